/**
 * The README's promise (section "The web app", "Live updates"): after the network or Realtime
 * comes back, supabase-js rejoins and every open page reads its data again. Realtime does not
 * replay broadcasts it could not deliver, so what changed while it was away reaches an open page
 * only through that re-read (web/src/live/live-updates.ts, on every SUBSCRIBED after the first).
 *
 * Playwright's setOffline leaves an open WebSocket alone, so this test stops the stack's Realtime
 * stand-in instead (its sockets close), writes while it is down, and starts it on the same port.
 * realtime-js (2.119.1, RealtimeClient.js RECONNECT_INTERVALS) reconnects after 1, 2, 5, then
 * every 10 s, and rejoins its channels once the socket is open again: the pages must show the
 * change within that backoff, without a reload.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { failFastSteps, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
/** The longest reconnect interval of realtime-js, plus the rejoin and the re-read. */
const RESYNC_TIMEOUT_MS = 15_000;

/** A value set on the page's window: still there afterwards means the page was never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => Object.assign(globalThis, { resyncMarker: "not reloaded" }));
}
async function wasReloaded(page: Page): Promise<boolean> {
  return await page.evaluate(() => (globalThis as { resyncMarker?: string }).resyncMarker !== "not reloaded");
}

Deno.test({
  name: "after Realtime comes back, open Today and My habits pages show what changed while it was away",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `resync-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const app = await startSpaStack("resync");
    try {
      const { spaUrl, browser, admin, stack } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user!.id;
      // Habits need a connected chat (rule habits_require_telegram).
      await sql`update public.profiles set telegram_chat_id = ${uniqueChatId()}, telegram_linked_at = now()
        where id = ${userId}`;
      const [habit] = await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'stretch resync', 'the hall', '23:59', 60) returning id`;
      const context = await browser.newContext();
      const today = await context.newPage();
      today.setDefaultTimeout(20_000);
      const console_ = watchConsole(today);
      const step = failFastSteps(t, today, console_, `${shots}/resync-failed.png`);
      let habits: Page | undefined;
      const doneEntry = () =>
        today.locator('[data-testid="today-entry"].is-done', { hasText: "stretch resync" });
      const awayCard = () => habits!.locator(".habit-card", { hasText: "water resync" });

      await step("sign in, open Today in one tab and My habits in another", async () => {
        await today.goto(`${spaUrl}/sign-in`);
        await today.getByLabel("E-mail").fill(email);
        await today.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await today.getByRole("button", { name: "Sign in" }).click();
        await today.waitForURL(`${spaUrl}/`);
        await today.getByTestId("today-entry").filter({ hasText: "stretch resync" }).waitFor();
        habits = await context.newPage();
        habits.setDefaultTimeout(20_000);
        await habits.goto(`${spaUrl}/habits`);
        await habits.locator(".habit-card", { hasText: "stretch resync" }).waitFor();
        // Both pages are live before Realtime goes: a habit made now shows on My habits.
        await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
          values (${userId}, 'read resync', 'the sofa', '23:58', 60)`;
        await habits.locator(".habit-card", { hasText: "read resync" }).waitFor({ timeout: 2000 });
        await markPage(today);
        await markPage(habits);
      });

      await step(
        "while Realtime is down, a completion and a habit are written and heard by no one",
        async () => {
          await stack.realtime.stop();
          const [profile] = await sql`select timezone from public.profiles where id = ${userId}`;
          await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at)
          values (${habit!.id}, ${userId},
            ((now() at time zone ${profile!.timezone})::date + time '23:59') at time zone ${
            profile!.timezone
          })`;
          await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
          values (${userId}, 'water resync', 'the window', '09:00', 60)`;
          // Nothing else makes the pages read again: without Realtime they stay as they were.
          await sleep(1500);
          assert.equal(await doneEntry().count(), 0, "Today does not show the completion yet");
          assert.equal(await awayCard().count(), 0, "My habits does not show the new habit yet");
        },
      );

      await step("after Realtime comes back, both open pages show it without a reload", async () => {
        await stack.realtime.start();
        const back = performance.now();
        await doneEntry().waitFor({ timeout: RESYNC_TIMEOUT_MS });
        await awayCard().waitFor({ timeout: RESYNC_TIMEOUT_MS });
        console.log(
          `[resync] both pages re-read ${Math.round(performance.now() - back)} ms after Realtime came back`,
        );
        assert.equal(await wasReloaded(today), false, "Today was not reloaded");
        assert.equal(await wasReloaded(habits!), false, "My habits was not reloaded");
        await today.screenshot({ path: `${shots}/resync-today.png` });
      });

      // The reconnect attempts while Realtime is down fail their handshake in the console, as
      // they would in production; anything else is an error.
      const unexpected = console_.errors.filter((error) => !/^WebSocket connection to .* failed/.test(error));
      assert.deepEqual(unexpected, []);
    } finally {
      await app.close();
      await sql.end();
    }
  },
});
