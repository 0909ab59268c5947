/**
 * Fixing what happened, in Chromium: a past day of the last two weeks is marked and unmarked from
 * History and from the 7-day marks on My habits, each with undo; "Done today" on My habits can be
 * undone; "Last done" is when the person marked it, not the occurrence's due time.
 */
import assert from "node:assert/strict";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { DESKTOP, failFastSteps, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";

/** A local date as the app names a day in en-GB: "Sat 5 Dec". */
const dayName = (date: string) =>
  new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  })
    .format(new Date(`${date}T00:00:00Z`));

Deno.test({
  name: "past days are marked and unmarked from History and the 7-day marks, with undo",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `fix-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack(
        "fix-days",
        () => ({ pgNet: { enabled: false } }),
      );
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({
        email,
        password: PASSWORD,
        email_confirm: true,
      });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now(), language = 'en' where id = ${userId}`;
      const [habit] = await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'stretch for a minute', 'the hall', '07:00', 60) returning id`;
      const habitId = habit!.id as string;
      await sql`update public.habits set starts_on = (now() at time zone ${ZONE})::date - 20 where id = ${habitId}`;
      const localDay = async (daysAgo: number) =>
        String(
          (await sql`select to_char((now() at time zone ${ZONE})::date - ${daysAgo}::int, 'YYYY-MM-DD') as d`)[
            0
          ]!.d,
        );
      // Three days ago's 07:00 was marked two days ago at 21:15.
      await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at)
        values (${habitId}, ${userId},
          ((now() at time zone ${ZONE})::date - 3 + time '07:00') at time zone ${ZONE},
          ((now() at time zone ${ZONE})::date - 2 + time '21:15') at time zone ${ZONE})`;
      const doneOn = async (daysAgo: number) =>
        (await sql`select 1 from public.habit_completions where habit_id = ${habitId}
          and occurrence_at = ((now() at time zone ${ZONE})::date - ${daysAgo}::int + time '07:00') at time zone ${ZONE}`)
          .length === 1;

      const context = await browser.newContext({
        viewport: DESKTOP,
        timezoneId: ZONE,
        locale: "en-GB",
      });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(
        t,
        page,
        consoleWatch,
        `${shots}/failed-fix-days.png`,
      );

      await step("sign in", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
      });

      await step(
        '"Last done" is when the person marked it, not the occurrence\'s due time',
        async () => {
          await page.goto(`${spaUrl}/habits`);
          const card = page.locator(".habit-card", {
            hasText: "stretch for a minute",
          });
          const lastDone = await card.getByText(/^Last done:/).innerText();
          assert.match(lastDone, /9:15 PM/, lastDone);
          assert.doesNotMatch(lastDone, /7:00 AM/, lastDone);
        },
      );

      await step(
        "History: mark a past day done, undo, unmark a done day, undo",
        async () => {
          await page.goto(`${spaUrl}/habits/${habitId}`);
          const fix = page.getByTestId("fix-days");
          const twoDaysAgo = fix.getByRole("button", {
            name: dayName(await localDay(2)),
          });
          assert.equal(await twoDaysAgo.getAttribute("aria-pressed"), "false");
          await twoDaysAgo.click();
          await fix.getByText(`Marked ${dayName(await localDay(2))} as done.`)
            .waitFor();
          await fix.getByRole("button", {
            name: dayName(await localDay(2)),
            pressed: true,
          }).waitFor();
          assert.equal(
            await doneOn(2),
            true,
            "the past occurrence is recorded",
          );
          assert.equal(
            await twoDaysAgo.evaluate((button) => button === document.activeElement),
            true,
            "focus stays",
          );
          await fix.getByRole("button", { name: "Undo" }).click();
          await fix.getByText(
            `Undone: ${dayName(await localDay(2))} is as it was.`,
          ).waitFor();
          await page.waitForFunction(() =>
            document.querySelectorAll(
              "[data-testid=fix-days] [aria-pressed=true]",
            ).length === 1
          );
          assert.equal(await doneOn(2), false, "undo removes it again");

          const threeDaysAgo = fix.getByRole("button", {
            name: dayName(await localDay(3)),
          });
          await fix.getByRole("button", {
            name: dayName(await localDay(3)),
            pressed: true,
          }).waitFor();
          await threeDaysAgo.click();
          await fix.getByText(
            `${dayName(await localDay(3))} is no longer marked as done.`,
          ).waitFor();
          assert.equal(
            await doneOn(3),
            false,
            "unmarking deletes the completion",
          );
          await page.screenshot({
            path: `${shots}/desktop-history-fix-days.png`,
          });
          await fix.getByRole("button", { name: "Undo" }).click();
          await fix.getByText(
            `Undone: ${dayName(await localDay(3))} is as it was.`,
          ).waitFor();
          assert.equal(await doneOn(3), true, "undo marks it again");
          // The window is the last 14 days: older occurrences are not offered.
          assert.equal(
            await fix.getByRole("button").filter({ hasNotText: "Undo" })
              .count(),
            14,
          );
        },
      );

      await step(
        "My habits: a past day from the 7-day marks, and undo of Done today",
        async () => {
          await page.goto(`${spaUrl}/habits`);
          const card = page.locator(".habit-card", {
            hasText: "stretch for a minute",
          });
          const yesterday = card.getByTestId("day-marks").getByRole("button", {
            name: `${dayName(await localDay(1))}: missed`,
          });
          await yesterday.click();
          await card.getByText(`Marked ${dayName(await localDay(1))} as done.`)
            .waitFor();
          assert.equal(await doneOn(1), true);
          assert.equal(
            await card.getByTestId("day-marks").locator("button:focus").count(),
            1,
            "focus stays on the mark",
          );
          await card.getByTestId("day-marks").getByRole("button", {
            name: `${dayName(await localDay(1))}: done`,
            pressed: true,
          }).click();
          await card.getByText(
            `${dayName(await localDay(1))} is no longer marked as done.`,
          ).waitFor();
          assert.equal(await doneOn(1), false);

          await card.getByRole("button", { name: "Done today" }).click();
          await card.getByText("Marked as done. Well done!").waitFor();
          assert.equal(await doneOn(0), true);
          await card.getByRole("button", { name: "Undo" }).click();
          await card.getByText("Undone: not marked as done.").waitFor();
          assert.equal(
            await doneOn(0),
            false,
            "undo on My habits removes today's completion",
          );
        },
      );
      assert.deepEqual(consoleWatch.errors, []);

      await step("a page whose code cannot be fetched shows Try again instead of a blank page", async () => {
        // No service worker: it would answer from its cache, out of the test's reach.
        const cold = await browser.newContext({
          viewport: DESKTOP,
          timezoneId: ZONE,
          locale: "en-GB",
          serviceWorkers: "block",
          storageState: await context.storageState(),
        });
        cleanups.push(() => cold.close());
        const coldPage = await cold.newPage();
        await coldPage.route(
          /\/assets\/HistoryPage-[^/]*\.js$/,
          (route) => route.abort("internetdisconnected"),
        );
        await coldPage.goto(`${spaUrl}/habits/${habitId}`);
        await coldPage.getByTestId("page-error").getByRole("heading", {
          name: "This page could not be loaded",
        })
          .waitFor();
        await coldPage.unroute(/\/assets\/HistoryPage-[^/]*\.js$/);
        await coldPage.getByRole("button", { name: "Try again" }).click();
        await coldPage.getByTestId("fix-days").waitFor();
      });

      await step("offline, a History never opened on this device still loads its page", async () => {
        const fresh = await browser.newContext({
          viewport: DESKTOP,
          timezoneId: ZONE,
          locale: "en-GB",
          storageState: await context.storageState(),
        });
        cleanups.push(() => fresh.close());
        const freshPage = await fresh.newPage();
        await freshPage.goto(`${spaUrl}/`);
        await freshPage.getByRole("heading", { level: 1, name: "Today" }).waitFor();
        // Installed (and so precached) once it is ready.
        await freshPage.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
        await fresh.setOffline(true);
        await freshPage.goto(`${spaUrl}/habits/${habitId}`);
        // Its data is this browser's last load (localStorage came along with the session).
        await freshPage.getByRole("heading", { level: 1, name: /stretch for a minute/ }).waitFor();
        assert.equal(
          await freshPage.getByTestId("page-error").count(),
          0,
          "the page's code came from the cache",
        );
        await fresh.setOffline(false);
      });
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      await sql`delete from auth.users where email = ${email}`.catch(() => {});
      await sql.end();
    }
  },
});
