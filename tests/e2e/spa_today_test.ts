/**
 * The SPA's daily pages in Chromium: Today (mark done early, undo, reward and linked pleasant
 * habit, paused apart, the habit formula when empty), the 7-day marks and streak, the history's
 * strength chart, switching language (every visible string changes; both languages walked), ReDoc
 * and Swagger UI in dark mode, Today offline, and axe on every page in both themes and both
 * languages (failing on serious or critical findings). Screenshots go to E2E_SCREENSHOT_DIR.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { RU } from "../../web/src/i18n/ru.ts";
import { describeFindings, seriousAxeFindings } from "./support/axe.ts";
import {
  DESKTOP,
  expectEventually,
  failFastSteps,
  PHONE,
  screenshotDir,
  watchConsole,
} from "./support/browser.ts";
import { readyForAxe, SIGNED_OUT_PATHS, signedInPaths } from "./support/every-page.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";

/** English sentences of the catalogue that must not be seen once the page speaks Russian. */
const ENGLISH_SENTENCES = Object.entries(RU)
  .filter(([key, russian]) => key !== russian && !/_(one|few|many|other)$/.test(key) && /\w+ \w+/.test(key))
  .map(([key]) => key.split(/\{\{\w+\}\}/)[0]!.trim())
  .filter((start) => start.split(" ").length >= 2);

async function setTheme(page: Page, theme: "light" | "dark") {
  await page.evaluate((value) => {
    localStorage.setItem("habits.theme", value);
    document.documentElement.dataset.theme = value;
  }, theme);
}

/** The relative luminance of an element's computed background (0 black … 1 white). */
async function backgroundLuminance(page: Page, selector: string): Promise<number> {
  return await page.locator(selector).first().evaluate((element) => {
    let node: Element | null = element;
    while (node) {
      const color = getComputedStyle(node).backgroundColor;
      const parts = color.match(/[\d.]+/g)?.map(Number) ?? [];
      if (parts.length >= 3 && (parts[3] === undefined || parts[3] > 0)) {
        const [r, g, b] = parts.map((value) => {
          const c = value / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      }
      node = node.parentElement;
    }
    return 1;
  });
}

Deno.test({
  name: "Today, progress, two languages, both API doc pages, offline and axe in Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `today-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("today", () => ({
        pgNet: { enabled: false },
      }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;

      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now() where id = ${userId}`;

      const context: BrowserContext = await browser.newContext({
        viewport: DESKTOP,
        timezoneId: ZONE,
        locale: "en-GB",
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-today-step.png`);
      const expectProfileLanguage = async (language: string) => {
        for (let i = 0; i < 50; i++) {
          const [row] = await sql`select language from public.profiles where id = ${userId}`;
          if (row?.language === language) return;
          await sleep(100);
        }
        assert.fail(`profiles.language never became ${language}`);
      };

      await step("signing in opens Today; with no habits it teaches the habit formula", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
        await page.getByTestId("habit-formula").getByText("I will [ACTION] at [TIME] in [PLACE].").waitFor();
        // The browser's language is saved in the profile for the bot, a write after sign-in that
        // may land just after Today has painted.
        await expectProfileLanguage("en");
      });

      // Daily habits started ten days ago; "stretch" was done 1, 2 and 4 days ago.
      const [pleasant] =
        await sql`insert into public.habits (owner_id, action, place, time, duration_seconds, is_pleasant)
        values (${userId}, 'listen to one song', 'the sofa', '00:00', 60, true) returning id`;
      const [stretch] =
        await sql`insert into public.habits (owner_id, action, place, time, duration_seconds, reward)
        values (${userId}, 'stretch for a minute', 'the hall', '23:59', 60, 'a cup of tea') returning id`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds, related_habit_id)
        values (${userId}, 'do ten squats', 'the garden', '12:00', 60, ${pleasant!.id})`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds, is_paused)
        values (${userId}, 'water a plant', 'the window', '09:00', 60, true)`;
      await sql`update public.habits set starts_on = (now() at time zone ${ZONE})::date - 10,
        created_at = created_at - interval '10 days' where owner_id = ${userId}`;
      for (const daysAgo of [1, 2, 4]) {
        await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at)
          values (${
          stretch!.id
        }, ${userId}, (((now() at time zone ${ZONE})::date - ${daysAgo}::int) + time '23:59') at time zone ${ZONE})`;
      }
      const stretchCompletions = async () =>
        Number(
          (await sql`select count(*) from public.habit_completions where habit_id = ${stretch!.id}`)[0]
            ?.count,
        );

      await step("Today lists what is due in time order, paused habits apart", async () => {
        await page.reload();
        await page.getByTestId("today-entry").first().waitFor();
        const titles = await page.getByTestId("today-entry").locator("h2").allInnerTexts();
        assert.deepEqual(titles, [
          "I will listen to one song at 12:00 AM in the sofa",
          "I will do ten squats at 12:00 PM in the garden",
          "I will stretch for a minute at 11:59 PM in the hall",
        ]);
        await page.getByRole("region", { name: "Paused" }).getByText("water a plant").waitFor();
        await page.getByText("0 of 3 done").waitFor();
      });

      await step("mark done before its time, see the reward, undo", async () => {
        const entry = page.getByTestId("today-entry").filter({ hasText: "stretch for a minute" });
        await entry.getByRole("button", { name: "Mark done" }).click();
        await entry.getByText("Your reward: a cup of tea").waitFor();
        assert.equal(await stretchCompletions(), 4, "today's occurrence is recorded before its time");
        await page.getByText("1 of 3 done").waitFor();
        await page.screenshot({ path: `${shots}/desktop-today.png` });
        await entry.getByRole("button", { name: "Undo" }).click();
        await entry.getByRole("button", { name: "Mark done" }).waitFor();
        assert.equal(await stretchCompletions(), 3, "undo removes today's completion");
        const squats = page.getByTestId("today-entry").filter({ hasText: "do ten squats" });
        await squats.getByRole("button", { name: "Mark done" }).click();
        await squats.getByText("Now enjoy: listen to one song").waitFor();
      });

      await step("each habit card shows its last 7 days and its streak", async () => {
        await page.goto(`${spaUrl}/habits`);
        const card = page.locator(".habit-card", { hasText: "stretch for a minute" });
        await card.getByTestId("day-marks").waitFor();
        const marks = await card.getByTestId("day-marks").locator("li").evaluateAll((items) =>
          items.map((item) => item.getAttribute("data-mark"))
        );
        assert.deepEqual(marks, ["missed", "missed", "done", "missed", "done", "done", "open"]);
        assert.equal(await card.getByTestId("card-streak").innerText(), "Streak: 2");
      });

      await step(
        "the history page draws the strength chart, completion rates and a labelled heatmap",
        async () => {
          await page.goto(`${spaUrl}/habits/${stretch!.id}`);
          const chart = page.getByTestId("strength-chart").getByRole("img");
          await chart.waitFor();
          const label = await chart.getAttribute("aria-label") ?? "";
          const percent = Number(/(\d+) %/.exec(label)?.[1]);
          // Loop's score after 11 days with 3 done: above zero, well below full strength.
          assert.ok(percent > 0 && percent < 50, `strength ${label}`);
          await page.getByTestId("weekly-rates").waitFor();
          await page.getByTestId("monthly-rates").waitFor();
          assert.ok(await page.locator(".heatmap-month").count() >= 1, "month labels");
          assert.equal(await page.locator(".heatmap-weekday").count(), 3, "weekday labels");
          await page.screenshot({ path: `${shots}/desktop-history.png`, fullPage: true });
        },
      );

      await step(
        "switching to Russian changes every visible string and saves it in the profile",
        async () => {
          await page.goto(`${spaUrl}/`);
          await page.getByTestId("today-entry").first().waitFor();
          await page.getByLabel("Language").selectOption("ru");
          await page.getByRole("heading", { level: 1, name: "Сегодня" }).waitFor();
          const text = await page.locator("body").innerText();
          const english = ENGLISH_SENTENCES.filter((sentence) => text.includes(sentence));
          assert.deepEqual(english, [], "English sentences left on the Russian page");
          assert.match(text, /Ваша награда|Теперь в удовольствие/);
          await expectProfileLanguage("ru");
          await page.screenshot({ path: `${shots}/desktop-today-ru.png` });
        },
      );

      const signedInPages = signedInPaths(stretch!.id);
      const signedOutPages = SIGNED_OUT_PATHS;

      await step(
        "every page in both languages and both themes: no serious or critical axe finding",
        async () => {
          const anonymous = await browser.newContext({
            viewport: DESKTOP,
            timezoneId: ZONE,
            locale: "en-GB",
          });
          try {
            const guest = await anonymous.newPage();
            const problems: string[] = [];
            for (const language of ["ru", "en"] as const) {
              // Signed in, the profile's language wins over this device's.
              await sql`update public.profiles set language = ${language} where id = ${userId}`;
              for (const theme of ["light", "dark"] as const) {
                for (const [target, paths] of [[page, signedInPages], [guest, signedOutPages]] as const) {
                  await target.goto(`${spaUrl}/sign-up`);
                  await target.evaluate((value) => localStorage.setItem("habits.language", value), language);
                  await setTheme(target, theme);
                  for (const path of paths) {
                    await target.goto(`${spaUrl}${path}`);
                    await readyForAxe(target, path);
                    assert.equal(await target.evaluate(() => document.documentElement.lang), language);
                    const findings = await seriousAxeFindings(target);
                    if (findings.length > 0) {
                      problems.push(`${language} ${theme} ${path}:\n${describeFindings(findings)}`);
                    }
                  }
                }
              }
            }
            assert.deepEqual(problems, [], problems.join("\n\n"));
          } finally {
            await anonymous.close();
          }
        },
      );

      await step("ReDoc and Swagger UI follow the dark theme", async () => {
        await setTheme(page, "dark");
        await page.goto(`${spaUrl}/redoc`);
        await page.locator(".redoc-container .api-content").first().waitFor();
        await page.getByText("habits", { exact: true }).first().waitFor();
        assert.ok(await backgroundLuminance(page, ".redoc-container .api-content") < 0.1, "ReDoc is dark");
        await page.screenshot({ path: `${shots}/desktop-redoc-dark.png` });
        await page.goto(`${spaUrl}/api-docs`);
        await page.locator(".swagger-ui .opblock-tag").first().waitFor();
        assert.ok(await backgroundLuminance(page, ".swagger-ui .opblock-tag") < 0.1, "Swagger UI is dark");
        await page.screenshot({ path: `${shots}/desktop-api-docs-dark.png` });
        await page.goto(`${spaUrl}/`);
        await page.getByTestId("today-entry").first().waitFor();
        await page.screenshot({ path: `${shots}/desktop-today-dark.png` });
        await setTheme(page, "light");
      });

      await step("phone: Today in both languages and themes, a one-row header with a menu", async () => {
        const phone = await browser.newContext({
          viewport: PHONE,
          timezoneId: ZONE,
          locale: "en-GB",
          storageState: await context.storageState(),
          isMobile: true,
          hasTouch: true,
        });
        try {
          const phonePage = await phone.newPage();
          for (const language of ["en", "ru"] as const) {
            await sql`update public.profiles set language = ${language} where id = ${userId}`;
            for (const theme of ["light", "dark"] as const) {
              await phonePage.goto(`${spaUrl}/sign-up`);
              await phonePage.evaluate((value) => localStorage.setItem("habits.language", value), language);
              await setTheme(phonePage, theme);
              await phonePage.goto(`${spaUrl}/`);
              await phonePage.getByTestId("today-entry").first().waitFor();
              const header = await phonePage.locator(".site-header").boundingBox();
              assert.ok(header && header.height < 70, `the phone header is one row (${header?.height}px)`);
              const suffix = `${language === "ru" ? "-ru" : ""}${theme === "dark" ? "-dark" : ""}`;
              await phonePage.screenshot({ path: `${shots}/phone-today${suffix}.png` });
            }
          }
          await phonePage.getByRole("button", { name: "Меню" }).click();
          await phonePage.getByRole("navigation").getByRole("link", { name: "Мои привычки" }).click();
          await phonePage.getByRole("heading", { level: 1, name: "Мои привычки" }).waitFor();
        } finally {
          await phone.close();
        }
      });

      await step("back to English; offline, Today opens from the last load and says so", async () => {
        await page.goto(`${spaUrl}/settings`);
        await page.getByLabel("Язык", { exact: true }).selectOption("en");
        await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
        await expectProfileLanguage("en");
        await page.goto(`${spaUrl}/`);
        await page.getByTestId("today-entry").first().waitFor();
        await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
        await context.setOffline(true);
        try {
          await page.reload();
          // One notice, the frame's (tests/e2e/offline_pages_test.ts covers every page offline).
          await page.getByText("You are offline. Showing what was loaded at").waitFor();
          assert.equal(await page.getByTestId("saved-data-notice").count(), 1);
          assert.equal(await page.getByTestId("today-entry").count(), 3);
          assert.ok(await page.getByRole("button", { name: "Undo" }).first().isDisabled());
        } finally {
          await context.setOffline(false);
        }
      });

      await step(
        "the session ends in the middle of an edit: a clear message, nothing typed is lost",
        async () => {
          await page.goto(`${spaUrl}/habits/${stretch!.id}/edit`);
          const place = page.getByLabel("in (place)");
          await expectEventually(() => place.inputValue(), "the hall", "the place field");
          await place.fill("the balcony");
          // The stored access token stops being valid, as when it expired while the tab slept.
          await page.evaluate(() => {
            const key = Object.keys(localStorage).find((name) => name.endsWith("-auth-token")) ?? "";
            const session = JSON.parse(localStorage.getItem(key) ?? "{}");
            session.access_token = `${session.access_token.slice(0, -6)}AAAAAA`;
            localStorage.setItem(key, JSON.stringify(session));
          });
          await page.getByRole("button", { name: "Save changes" }).click();
          await page.getByText("Your session has expired. Sign in again.").waitFor();
          await page.getByRole("button", { name: "Sign in again" }).click();
          await page.getByText("Sign in again to save: what you typed is kept.").waitFor();
          await page.getByLabel("E-mail").fill(email);
          await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL(`${spaUrl}/habits/${stretch!.id}/edit`);
          await expectEventually(() => place.inputValue(), "the balcony", "the place field after signing in");
          await page.getByRole("button", { name: "Save changes" }).click();
          await page.getByText("Saved your changes.").waitFor();
          assert.equal(
            (await sql`select place from public.habits where id = ${stretch!.id}`)[0]?.place,
            "the balcony",
          );
        },
      );

      const unexpected = consoleWatch.errors.filter((error) =>
        !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(error)
      );
      assert.deepEqual(unexpected, [], "the browser console shows no errors");
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
