/**
 * Live updates in Chromium, without reloads: connecting Telegram in the chat page turns the open
 * Telegram page to "Connected", a habit created elsewhere appears on the open Today page, and Done
 * pressed on a reminder in the chat page, or in another tab, shows there within a second of the
 * completion reaching the database. The path is the real one: chat page → Bot API stand-in →
 * telegram-webhook function → trigger → realtime.broadcast_changes → Realtime (devstack/realtime)
 * → supabase-js channel → Today.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { failFastSteps, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";

/** A value set on the page's window: still there afterwards means the page was never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(globalThis, { liveMarker: "not reloaded" }));
}
async function wasReloaded(page: Page): Promise<boolean> {
  return await page.evaluate(() => (globalThis as { liveMarker?: string }).liveMarker !== "not reloaded");
}

Deno.test({
  name: "a Done pressed in the Telegram chat shows on the open Today page within a second, without a reload",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `live-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const remindersSecret = `live-${crypto.randomUUID()}`;
    const app = await startSpaStack("live", () => ({ functionsEnv: { REMINDERS_SECRET: remindersSecret } }));
    try {
      const { spaUrl, browser, admin, stack } = app;
      // The reminder tick reaches this stack's functions (as devstack/start.ts sets it up).
      for (const [name, value] of [["project_url", stack.urls.api], ["reminders_secret", remindersSecret]]) {
        await sql`delete from vault.secrets where name = ${name}`;
        await sql`select vault.create_secret(${value}, ${name})`;
      }
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user!.id;
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const console_ = watchConsole(page);
      let chat: Page | undefined;
      const step = failFastSteps(t, page, console_, `${shots}/live-failed-spa.png`);

      await step("sign in", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
      });

      await step("the Telegram page turns Connected by itself when the chat connects", async () => {
        await page.goto(`${spaUrl}/telegram`);
        await page.getByRole("button", { name: "Connect Telegram" }).click();
        await markPage(page);
        // This build has no bot link (no VITE_ bot settings): open the chat page's deep link, as
        // tapping the t.me link would.
        const command = await page.getByTestId("link-command").innerText();
        const code = command.replace(/^\/start\s+/, "").trim();
        // A person of this test's own in the chat page: tests share the database, and the chat
        // page's first person has the same id in every stack.
        const personId = uniqueChatId();
        const made = await fetch(`${stack.urls.telegram}/api/users`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ first_name: "Live", id: personId }),
        });
        assert.equal(made.status, 201, await made.text());
        chat = await context.newPage();
        chat.setDefaultTimeout(20_000);
        await chat.goto(`${stack.urls.telegram}/`);
        await chat.evaluate((id) => localStorage.setItem("telegram-stand-in-person", String(id)), personId);
        await chat.goto(`${stack.urls.telegram}/habits_local_bot?start=${code}`);
        await chat.getByText("✅ Connected!").waitFor();
        await page.getByTestId("telegram-status").getByText("Connected").waitFor({ timeout: 2000 });
        assert.equal(await wasReloaded(page), false);
      });

      await step("a habit created elsewhere appears on the open Today page", async () => {
        await page.goto(`${spaUrl}/`);
        await page.getByTestId("habit-formula").waitFor();
        await markPage(page);
        await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
          values (${userId}, 'stretch live', 'the hall', '23:59', 60)`;
        await page.getByTestId("today-entry").filter({ hasText: "stretch live" }).waitFor({ timeout: 2000 });
        assert.equal(await wasReloaded(page), false);
      });

      await step(
        "Done pressed in the Telegram chat shows on the open Today page within a second",
        async () => {
          await chat!.bringToFront();
          await chat!.getByRole("button", { name: "Remind me now" }).click();
          await chat!.getByText("Time for your habit").waitFor({ timeout: 30_000 });
          await chat!.getByRole("button", { name: "✅ Done" }).click();
          // From the moment the completion is in the database, not from the click: the webhook's
          // own work is not what this promise is about.
          let committed = 0;
          for (let i = 0; i < 1000 && committed === 0; i++) {
            const [row] =
              await sql`select 1 from public.habit_completions where owner_id = ${userId} and source = 'telegram'`;
            if (row) committed = performance.now();
            else await sleep(10);
          }
          assert.ok(committed > 0, "the completion from Telegram was recorded");
          await page.locator('[data-testid="today-entry"].is-done', { hasText: "stretch live" })
            .waitFor({ timeout: 1000 });
          const took = performance.now() - committed;
          assert.ok(took < 1000, `shown ${Math.round(took)} ms after the completion`);
          assert.equal(await wasReloaded(page), false, "Today was not reloaded");
          await page.screenshot({ path: `${shots}/live-today-done-from-telegram.png` });
        },
      );

      await step("Done pressed in another tab shows on the open Today page within a second", async () => {
        await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
          values (${userId}, 'read live', 'the sofa', '23:59', 60)`;
        await page.getByTestId("today-entry").filter({ hasText: "read live" }).waitFor({ timeout: 2000 });
        const other = await context.newPage();
        await other.goto(`${spaUrl}/`);
        const otherEntry = other.getByTestId("today-entry").filter({ hasText: "read live" });
        await otherEntry.getByRole("button", { name: /Mark done/ }).click();
        // From the moment the completion is in the database, not from the click.
        let committed = 0;
        for (let i = 0; i < 500 && committed === 0; i++) {
          const [row] =
            await sql`select 1 from public.habit_completions where owner_id = ${userId} and source = 'web'`;
          if (row) committed = performance.now();
          else await sleep(10);
        }
        assert.ok(committed > 0, "the completion was recorded");
        await page.locator('[data-testid="today-entry"].is-done', { hasText: "read live" })
          .waitFor({ timeout: 1000 });
        const took = performance.now() - committed;
        assert.ok(took < 1000, `shown ${Math.round(took)} ms after the completion`);
        assert.equal(await wasReloaded(page), false, "Today was not reloaded");
        await other.close();
      });

      assert.deepEqual(console_.errors, []);
    } finally {
      await app.close();
      await sql.end();
    }
  },
});
