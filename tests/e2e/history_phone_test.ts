/**
 * History and progress on a 390×844 phone, in English and Russian, light and dark: the page is no
 * wider than the screen, no two labels print over each other, the chart text stays readable,
 * the heatmap opens on today and takes the keyboard, the rate values are written out, and axe
 * finds nothing serious. Screenshots of History on a phone in both languages go to
 * docs/screenshots (E2E_UPDATE_DOCS_SCREENSHOTS=1) or E2E_SCREENSHOT_DIR.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { describeFindings, seriousAxeFindings } from "./support/axe.ts";
import { failFastSteps, PHONE, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";
const DOCS_SHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;

interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The visible boxes of what `locator` matches. */
function boxesOf(locator: Locator): Promise<Box[]> {
  return locator.evaluateAll((elements) =>
    elements.map((element) => {
      const rect = element.getBoundingClientRect();
      return {
        text: element.textContent ?? "",
        left: rect.left,
        right: rect.right,
        top: rect.top,
        bottom: rect.bottom,
      };
    }).filter((box) => box.right > box.left)
  );
}

function overlapping(boxes: Box[]): string[] {
  const found: string[] = [];
  boxes.forEach((a, i) =>
    boxes.slice(i + 1).forEach((b) => {
      if (
        a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
        a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5
      ) {
        found.push(`${a.text}/${b.text}`);
      }
    })
  );
  return found;
}

async function expectFitsPhone(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    weekly: document.querySelector("[data-testid=weekly-rates]")!
      .getBoundingClientRect().right,
    monthly: document.querySelector("[data-testid=monthly-rates]")!
      .getBoundingClientRect().right,
    table: document.querySelector(".deliveries-table")!.getBoundingClientRect()
      .right,
  }));
  assert.ok(widths.page <= PHONE.width, `the page is ${widths.page} px wide`);
  assert.ok(
    widths.weekly <= PHONE.width,
    `the weekly bars end at ${widths.weekly} px`,
  );
  assert.ok(
    widths.monthly <= PHONE.width,
    `the monthly bars end at ${widths.monthly} px`,
  );
  assert.ok(
    widths.table <= PHONE.width,
    `the deliveries table ends at ${widths.table} px`,
  );
}

async function expectReadableLabels(page: Page) {
  for (const chart of ["weekly-rates", "monthly-rates"]) {
    const labels = await boxesOf(
      page.getByTestId(chart).locator(".rate-label, .rate-value"),
    );
    assert.ok(labels.length >= 8, `${chart} has labels`);
    assert.deepEqual(overlapping(labels), [], `${chart} labels do not touch`);
    const values = await page.getByTestId(chart).locator(".rate-value")
      .allInnerTexts();
    assert.ok(
      values.every((value) => /^\d{1,3} %$/.test(value)),
      `${chart} values as text: ${values}`,
    );
  }
  assert.deepEqual(
    overlapping(await boxesOf(page.locator(".heatmap-month"))),
    [],
    "month labels",
  );
  // The strength chart's axis text, as drawn on the screen (the SVG scales with its width).
  const axisPx = await page.locator(".chart svg").evaluate((svg) => {
    const drawn = (svg as SVGSVGElement).getBoundingClientRect().width /
      (svg as SVGSVGElement).viewBox.baseVal.width;
    const text = svg.querySelector(".chart-label")!;
    return parseFloat(getComputedStyle(text).fontSize) * drawn;
  });
  assert.ok(axisPx >= 11, `the chart's axis text is ${axisPx.toFixed(1)} px`);
}

async function expectHeatmapOnToday(page: Page) {
  const scroller = page.getByTestId("heatmap").locator(".heatmap-scroll");
  const state = await scroller.evaluate((element) => ({
    tabIndex: element.tabIndex,
    scrollable: element.scrollWidth > element.clientWidth,
    atEnd: element.scrollLeft + element.clientWidth >= element.scrollWidth - 1,
  }));
  assert.ok(state.scrollable, "20 weeks are wider than a phone");
  assert.ok(state.atEnd, "the heatmap opens scrolled to today");
  assert.equal(
    state.tabIndex,
    0,
    "the heatmap's scroll area takes the keyboard",
  );
  const before = await scroller.evaluate((element) => element.scrollLeft);
  await scroller.focus();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction(
    (start) => document.querySelector(".heatmap-scroll")!.scrollLeft < start,
    before,
    { timeout: 3000 },
  );
}

Deno.test({
  name: "History fits a phone in both languages: no overflow, no touching labels, heatmap on today",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const docsShots = Deno.env.get("E2E_UPDATE_DOCS_SCREENSHOTS") === "1" ? DOCS_SHOTS : shots;
    const emails: string[] = [];
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack(
        "history-phone",
        () => ({ pgNet: { enabled: false } }),
      );
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;

      for (const language of ["en", "ru"] as const) {
        const email = `phone-${language}-${crypto.randomUUID().slice(0, 8)}@example.com`;
        emails.push(email);
        const created = await admin.auth.admin.createUser({
          email,
          password: PASSWORD,
          email_confirm: true,
        });
        assert.equal(created.error, null);
        const userId = created.data.user?.id as string;
        await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                  telegram_linked_at = now(), language = ${language} where id = ${userId}`;
        const [habit] = await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
          values (${userId}, 'stretch for a minute', 'the hall', '07:00', 60) returning id`;
        // Created when it started, as a daily user's habit is: its misses count (misses before a
        // habit was created do not, private.streak_marks).
        await sql`update public.habits set starts_on = (now() at time zone ${ZONE})::date - 200,
                  created_at = created_at - interval '201 days' where id = ${habit!.id}`;
        // Done on two days of three, for 200 days.
        await sql`insert into public.habit_completions (habit_id, owner_id, occurrence_at)
          select ${
          habit!.id
        }, ${userId}, ((now() at time zone ${ZONE})::date - n + time '07:00') at time zone ${ZONE}
          from generate_series(1, 200) as n where n % 3 <> 0`;
        await sql`insert into public.notifications (habit_id, owner_id, kind, due_at, status, attempts, last_error)
          values (${habit!.id}, ${userId}, 'reminder', now() - interval '1 day', 'dead', 5,
                  'Telegram answered 403: Forbidden: bot was blocked by the user')`;

        const context = await browser.newContext({
          viewport: PHONE,
          isMobile: true,
          hasTouch: true,
          timezoneId: ZONE,
          locale: language === "ru" ? "ru-RU" : "en-GB",
        });
        cleanups.push(() => context.close());
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        const consoleWatch = watchConsole(page);
        const step = failFastSteps(
          t,
          page,
          consoleWatch,
          `${shots}/failed-history-phone-${language}.png`,
        );

        await step(`${language}: sign in and open the history`, async () => {
          await page.goto(`${spaUrl}/sign-in`);
          await page.locator("input[type=email]").fill(email);
          await page.locator("input[type=password]").fill(PASSWORD);
          await page.locator("form button[type=submit]").click();
          await page.waitForURL(`${spaUrl}/`);
          await page.goto(`${spaUrl}/habits/${habit!.id}`);
          await page.getByTestId("weekly-rates").waitFor();
          await page.locator(".deliveries-table").waitFor();
          assert.equal(
            await page.evaluate(() => document.documentElement.lang),
            language,
          );
          // Done yesterday and the day before, missed the day before that (today is still open).
          assert.equal(await page.getByTestId("current-streak").innerText(), "2");
        });

        await step(
          `${language}: the page fits 390 px and its labels stay apart and readable`,
          async () => {
            await expectFitsPhone(page);
            await expectReadableLabels(page);
            await page.screenshot({
              path: `${docsShots}/phone-history-${language}.png`,
              fullPage: true,
            });
          },
        );

        await step(
          `${language}: the heatmap opens on today and scrolls with the keyboard`,
          async () => {
            await expectHeatmapOnToday(page);
          },
        );

        await step(
          `${language}: axe finds nothing serious in light and dark`,
          async () => {
            for (const theme of ["light", "dark"]) {
              await page.evaluate((value) => {
                localStorage.setItem("habits.theme", value);
                document.documentElement.dataset.theme = value;
              }, theme);
              const findings = await seriousAxeFindings(page);
              assert.deepEqual(
                findings,
                [],
                `${language} ${theme}:\n${describeFindings(findings)}`,
              );
            }
          },
        );
        assert.deepEqual(consoleWatch.errors, []);
      }
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      for (const email of emails) {
        await sql`delete from auth.users where email = ${email}`.catch(
          () => {},
        );
      }
      await sql.end();
    }
  },
});
