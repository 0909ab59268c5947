/**
 * Every signed-in page offline, in Chromium with the app's service worker (issue 23): Today
 * reloads from its last load within 1 s with ONE notice; My habits, Settings and a History open
 * from their last load; a page whose data never reached this device says so at once instead of
 * spinning, as do the new-habit form, the edit form of a habit never loaded here
 * (offline_habit_edit_test.ts has the saved one) and Public habits; a page whose code cannot be
 * fetched shows Try again, which works once it can.
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

/** Milliseconds from the start of the page's navigation until `visible` is on screen. */
async function msUntil(page: Page, visible: () => Promise<void>): Promise<number> {
  await visible();
  return await page.evaluate(() => performance.now());
}

/** The frame's notice is the only one: no page adds its own about being offline. */
async function assertOneNotice(page: Page): Promise<void> {
  assert.equal(await page.getByTestId("saved-data-notice").count(), 1, "the frame's notice");
  const inPage = page.locator("main").locator("[role=status], [role=alert]").filter({
    hasText: /offline|loaded at/i,
  });
  assert.equal(await inPage.count(), 0, "no second notice inside the page");
}

Deno.test({
  name: "each signed-in page opens offline from its last load, with one notice",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `offline-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("offline", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now(), language = 'en', display_name = 'Offline Olga'
                where id = ${userId}`;
      const [habit] = await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'stretch for a minute', 'the hall', '23:59', 60) returning id`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'read one page', 'the sofa', '00:00', 60)`;
      await sql`update public.habits set starts_on = (now() at time zone ${ZONE})::date - 3 where owner_id = ${userId}`;
      const historyPath = `/habits/${habit!.id}`;

      const context = await browser.newContext({ viewport: DESKTOP, timezoneId: ZONE, locale: "en-GB" });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-offline-step.png`);
      const offline = async (body: () => Promise<void>) => {
        await context.setOffline(true);
        try {
          await body();
        } finally {
          await context.setOffline(false);
        }
      };

      await step("signed in, Today loads and the service worker keeps every page's code", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.getByTestId("today-entry").first().waitFor();
        // Installed, and so precached, once it is ready.
        await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      });

      await step("offline, a page whose data never reached this device says so at once", async () => {
        await offline(async () => {
          await page.goto(`${spaUrl}/habits`, { waitUntil: "commit" });
          const ms = await msUntil(
            page,
            () =>
              page.getByText(NOT_LOADED_HERE).first()
                .waitFor(),
          );
          // At once: not after supabase-js's 7 s of retries (1 + 2 + 4 s) for a read that failed.
          assert.ok(ms < 3_000, `the message came after ${Math.round(ms)} ms, not at once`);
          assert.equal(
            await page.getByTestId("page-error").count(),
            0,
            "My habits' code came from the cache",
          );
          assert.equal(await page.locator(".loading").count(), 0, "no spinner");
        });
      });

      await step("online once: My habits, Settings and the History are loaded", async () => {
        await page.goto(`${spaUrl}/habits`);
        await page.locator(".habit-card").first().waitFor();
        await page.goto(`${spaUrl}/settings`);
        await expectEventually(
          () => page.getByLabel("Display name").inputValue(),
          "Offline Olga",
          "the name",
        );
        await page.goto(`${spaUrl}${historyPath}`);
        await page.getByTestId("strength-chart").waitFor();
        await page.goto(`${spaUrl}/`);
        await page.getByTestId("today-entry").first().waitFor();
      });

      await step("offline, a reload shows the saved Today within 1 s, with one notice", async () => {
        await offline(async () => {
          await page.reload({ waitUntil: "commit" });
          const ms = await msUntil(page, () => page.getByTestId("today-entry").first().waitFor());
          console.log(`[e2e] offline, the saved Today showed ${Math.round(ms)} ms after the reload`);
          assert.ok(ms < 1_000, `Today showed after ${Math.round(ms)} ms`);
          await page.getByText(NOTICE).waitFor();
          assert.equal(await page.getByTestId("today-entry").count(), 2);
          assert.ok(await page.getByRole("button", { name: "Mark done" }).first().isDisabled());
          await assertOneNotice(page);
          await page.screenshot({ path: `${shots}/offline-today.png` });
        });
      });

      await step("offline, My habits, Settings and the History open from their last load", async () => {
        await offline(async () => {
          await page.goto(`${spaUrl}/habits`);
          await page.locator(".habit-card", { hasText: "stretch for a minute" }).waitFor();
          assert.equal(await page.locator(".habit-card").count(), 2);
          await assertOneNotice(page);

          await page.goto(`${spaUrl}/settings`);
          await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
          assert.equal(await page.getByLabel("Display name").inputValue(), "Offline Olga");
          assert.equal(await page.getByLabel("Time zone").inputValue(), ZONE);
          await assertOneNotice(page);

          await page.goto(`${spaUrl}${historyPath}`);
          await page.getByRole("heading", { level: 1, name: /stretch for a minute/ }).waitFor();
          await page.getByTestId("strength-chart").waitFor();
          await assertOneNotice(page);
          await page.screenshot({ path: `${shots}/offline-history.png`, fullPage: true });
        });
      });

      await step("offline, the pages that keep nothing say so at once instead of waiting", async () => {
        await offline(async () => {
          // A habit this device never loaded (offline_habit_edit_test.ts opens a saved one).
          for (const path of ["/habits/new", `/habits/${crypto.randomUUID()}/edit`, "/public"]) {
            await page.goto(`${spaUrl}${path}`);
            // Not "The server cannot be reached", which came after supabase-js's 7 s of retries.
            await page.locator("main").getByText(NOT_LOADED_HERE).first().waitFor();
            assert.equal(await page.locator(".loading").count(), 0, `${path}: no spinner`);
            assert.equal(
              await page.getByTestId("page-error").count(),
              0,
              `${path}: its code came from the cache`,
            );
          }
        });
      });

      await step(
        "offline, the API docs say what is missing instead of a blank page or a raw error",
        async () => {
          await offline(async () => {
            // Swagger UI's code (over 200 kB) is kept only once opened: Try again, not a blank page.
            await page.goto(`${spaUrl}/api-docs`);
            await page.getByTestId("page-error").getByRole("button", { name: "Try again" }).waitFor();
            // ReDoc's page is kept; the document it shows comes from the server.
            await page.goto(`${spaUrl}/redoc`);
            await page.locator("main").getByText(NOT_LOADED_HERE).first().waitFor();
            assert.equal(await page.locator("main").getByText("Failed to fetch").count(), 0);
          });
        },
      );

      await step("online, a document that cannot be fetched is said as a sentence", async () => {
        const documentUrl = /\/rest\/v1\/$/;
        await page.route(documentUrl, (route) => route.abort("connectionrefused"));
        try {
          await page.goto(`${spaUrl}/redoc`);
          await page.locator("main").getByText(
            "The server cannot be reached. Check your connection and try again.",
          )
            .waitFor();
          assert.equal(await page.locator("main").getByText("Failed to fetch").count(), 0);
        } finally {
          await page.unroute(documentUrl);
        }
      });

      await step("back online, the notice goes and the page reads afresh", async () => {
        await page.getByTestId("saved-data-notice").waitFor({ state: "detached" });
        await sql`update public.habits set action = 'stretch for two minutes' where id = ${habit!.id}`;
        await page.goto(`${spaUrl}/habits`);
        await page.locator(".habit-card", { hasText: "stretch for two minutes" }).waitFor();
      });

      await step("a page whose code cannot be fetched offers Try again, which then works", async () => {
        // Without the service worker, so that the failed fetch reaches the network.
        const cold = await browser.newContext({
          viewport: DESKTOP,
          timezoneId: ZONE,
          locale: "en-GB",
          serviceWorkers: "block",
          storageState: await context.storageState(),
        });
        cleanups.push(() => cold.close());
        const coldPage = await cold.newPage();
        const chunk = /\/assets\/SettingsPage-[^/]*\.js$/;
        await coldPage.route(chunk, (route) => route.abort("internetdisconnected"));
        await coldPage.goto(`${spaUrl}/settings`);
        await coldPage.getByTestId("page-error").getByRole("heading", {
          name: "This page could not be loaded",
        })
          .waitFor();
        assert.equal(await coldPage.getByRole("button", { name: "Try again" }).count(), 1);
        await coldPage.unroute(chunk);
        await coldPage.getByRole("button", { name: "Try again" }).click();
        await coldPage.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        assert.equal(await coldPage.getByLabel("Display name").inputValue(), "Offline Olga");
      });

      await step("signing out removes what was saved for offline use", async () => {
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.waitForURL(`${spaUrl}/sign-in`);
        const saved = await page.evaluate(() =>
          Object.keys(localStorage).filter((key) => key.startsWith("habits.saved:"))
        );
        assert.deepEqual(saved, []);
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
