/**
 * The habit edit page offline, in Chromium with the app's service worker: it opens from the newest
 * copy of the habit saved by Today or My habits, with the frame's "loaded at" notice; saving is
 * refused with the app's sentence and what was typed stays; a habit this device never loaded says
 * so; back online the page reads the habit afresh, and what was typed is kept and can be saved.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { DESKTOP, expectEventually, failFastSteps, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";
const NOTICE = "You are offline. Showing what was loaded at";
const NOT_LOADED_HERE = "You are offline, and this was not loaded on this device yet.";
const UNREACHABLE = "The server cannot be reached. Check your connection and try again.";

const value = (page: Page, label: string) => page.getByLabel(label, { exact: true }).inputValue();

Deno.test({
  name: "the habit edit page opens offline from the saved habit, refuses to save and keeps the typing",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `offline-edit-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("offline-edit", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now(), language = 'en' where id = ${userId}`;
      const [song] = await sql`insert into public.habits
        (owner_id, action, place, time, duration_seconds, is_pleasant)
        values (${userId}, 'listen to one song', 'the sofa', '20:00', 30, true) returning id`;
      const [stretch] = await sql`insert into public.habits
        (owner_id, action, place, time, interval_days, duration_seconds, reward)
        values (${userId}, 'stretch for a minute', 'the hall', '07:30', 2, 60, 'a cup of tea') returning id`;
      const [desk] = await sql`insert into public.habits
        (owner_id, action, place, time, duration_seconds, related_habit_id)
        values (${userId}, 'tidy the desk', 'the study', '18:00', 90, ${song!.id}) returning id`;

      const context = await browser.newContext({ viewport: DESKTOP, timezoneId: ZONE, locale: "en-GB" });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-offline-edit-step.png`);
      const editPage = (id: string) => `${spaUrl}/habits/${id}/edit`;

      await step("signed in, Today and My habits are loaded on this device", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.waitForFunction(
          (key) => localStorage.getItem(key) !== null,
          `habits.saved:today:${userId}`,
        );
        await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
        await page.goto(`${spaUrl}/habits`);
        await page.locator(".habit-card", { hasText: "stretch for a minute" }).waitFor();
        assert.equal(await page.locator(".habit-card").count(), 3);
      });

      await context.setOffline(true);
      // Made elsewhere while this device is offline: it never reached this device.
      const [plants] = await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'water the plants', 'the balcony', '09:00', 60) returning id`;

      await step("offline, the edit form shows the habit's saved values and the saved notice", async () => {
        await page.goto(editPage(stretch!.id));
        await page.getByRole("heading", { level: 1, name: "Edit habit" }).waitFor();
        await expectEventually(() => value(page, "I will (action)"), "stretch for a minute", "the action");
        assert.equal(await value(page, "in (place)"), "the hall");
        assert.equal(await value(page, "at (time of day, your time zone)"), "07:30");
        assert.equal(await value(page, "Every … days (1–7)"), "2");
        assert.equal(await value(page, "Takes … seconds (at most 120)"), "60");
        assert.ok(await page.getByLabel("A reward", { exact: true }).isChecked());
        assert.equal(await value(page, "Reward"), "a cup of tea");
        await page.getByTestId("saved-data-notice").getByText(NOTICE).waitFor();
        assert.equal(await page.locator("main").getByText(NOT_LOADED_HERE).count(), 0);
        assert.equal(await page.locator(".loading").count(), 0, "no spinner");
        await page.screenshot({ path: `${shots}/offline-edit.png`, fullPage: true });
      });

      await step("offline, saving is refused with the sentence and what was typed stays", async () => {
        await page.getByLabel("I will (action)", { exact: true }).fill("stretch for two minutes");
        await page.getByLabel("Reward", { exact: true }).fill("a glass of water");
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.locator("main").getByText(UNREACHABLE).waitFor();
        assert.equal(page.url(), editPage(stretch!.id), "still on the form");
        assert.equal(await value(page, "I will (action)"), "stretch for two minutes");
        assert.equal(await value(page, "Reward"), "a glass of water");
        const [row] = await sql`select action, reward from public.habits where id = ${stretch!.id}`;
        assert.deepEqual({ ...row }, { action: "stretch for a minute", reward: "a cup of tea" });
      });

      await step("offline, a linked habit shows its saved pleasant habit", async () => {
        await page.goto(editPage(desk!.id));
        await expectEventually(() => value(page, "I will (action)"), "tidy the desk", "the action");
        assert.ok(await page.getByLabel("One of my pleasant habits", { exact: true }).isChecked());
        assert.equal(await value(page, "Pleasant habit"), song!.id);
        assert.match(
          await page.getByLabel("Pleasant habit", { exact: true }).locator("option:checked").innerText(),
          /listen to one song/,
        );
      });

      await step("offline, a habit this device never loaded still says so", async () => {
        // Saved answers of another account on this device are not this person's habits.
        await page.evaluate(({ key, habit }) => {
          const data = { habits: [habit], total: 1 };
          localStorage.setItem(key, JSON.stringify({ data, savedAt: new Date().toISOString() }));
        }, {
          key: `habits.saved:habits:${crypto.randomUUID()}:1`,
          habit: { ...plants, action: "someone else's copy", place: "elsewhere", time: "09:00:00" },
        });
        await page.goto(editPage(plants!.id));
        await page.locator("main").getByText(NOT_LOADED_HERE).waitFor();
        assert.equal(await page.getByLabel("I will (action)", { exact: true }).count(), 0, "no form");
        assert.equal(await page.locator(".loading").count(), 0, "no spinner");
      });

      await step("back online, the edit page reads the habit afresh from the server", async () => {
        await page.goto(editPage(desk!.id));
        await expectEventually(() => value(page, "in (place)"), "the study", "the saved place");
        await sql`update public.habits set place = 'the office' where id = ${desk!.id}`;
        await context.setOffline(false);
        await expectEventually(() => value(page, "in (place)"), "the office", "the place read afresh");
        await page.getByTestId("saved-data-notice").waitFor({ state: "detached" });
      });

      await step("what was typed offline is kept and saves once online", async () => {
        await page.goto(editPage(stretch!.id));
        await expectEventually(() => value(page, "I will (action)"), "stretch for two minutes", "the typing");
        assert.equal(await value(page, "Reward"), "a glass of water");
        assert.equal(await page.getByTestId("saved-data-notice").count(), 0);
        await page.getByRole("button", { name: "Save changes" }).click();
        await page.waitForURL(`${spaUrl}/habits`);
        await page.getByText("Saved your changes.").waitFor();
        const [row] = await sql`select action, reward from public.habits where id = ${stretch!.id}`;
        assert.deepEqual({ ...row }, { action: "stretch for two minutes", reward: "a glass of water" });
      });

      await step("online, a habit the server cannot be read for opens from its saved copy", async () => {
        const habitRead = new RegExp(`/rest/v1/habits\\?.*id=eq\\.${song!.id}`);
        await page.route(habitRead, (route) => route.abort("connectionrefused"));
        try {
          await page.goto(editPage(song!.id));
          // After supabase-js's retries of the read (1 + 2 + 4 s).
          await expectEventually(
            () => value(page, "I will (action)"),
            "listen to one song",
            "the action",
            20_000,
          );
          await page.getByTestId("saved-data-notice")
            .getByText("The server cannot be reached. Showing what was loaded at").waitFor();
        } finally {
          await page.unroute(habitRead);
        }
      });

      await step("online, a habit the server no longer has is not shown from its saved copy", async () => {
        await sql`delete from public.habits where id = ${desk!.id}`;
        await page.goto(editPage(desk!.id));
        await page.getByRole("link", { name: "Back to my habits" }).waitFor();
        assert.equal(await page.getByLabel("I will (action)", { exact: true }).count(), 0, "no form");
        assert.equal(await page.getByTestId("saved-data-notice").count(), 0);
      });
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      await sql`delete from auth.users where email = ${email}`.catch(() => {});
      await sql.end();
      console.log(`[e2e] screenshots in ${shots}`);
    }
  },
});
