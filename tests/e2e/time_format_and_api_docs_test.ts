/**
 * Issue 23, in the browser. One time format per person: the web app writes a habit's time as the
 * profile's time_format says (the language's CLDR clock by default, whatever the browser's region),
 * the same as the bot and reminders (supabase/functions/_shared/clock.ts), and Settings changes it.
 * ReDoc on a phone: nothing fetched from another site (its logo came from a CDN), headings that
 * skip no level, and a menu button that covers no text.
 */
import assert from "node:assert/strict";
import axe from "axe-core";
import type { Page } from "playwright-core";
import { formatWallClock } from "../../supabase/functions/_shared/clock.ts";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import {
  DESKTOP,
  expectEventually,
  failFastSteps,
  PHONE,
  screenshotDir,
  watchConsole,
} from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";

/** The text boxes in the page that a fixed element at `box` hides. */
function textUnder(page: Page, selector: string) {
  return page.evaluate((buttonSelector) => {
    const button = document.querySelector(buttonSelector);
    if (!button) return ["no button"];
    const b = button.getBoundingClientRect();
    const hidden: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim() || button.contains(node)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (
          r.width && r.height && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top
        ) {
          hidden.push(node.textContent.trim().slice(0, 40));
        }
      }
    }
    return hidden;
  }, selector);
}

Deno.test({
  name: "one time format per person in the web app; ReDoc on a phone stays local, ordered and uncovered",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `time-format-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("time-format", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set language = 'en', telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now() where id = ${userId}`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'stretch', 'the hall', '19:05', 60)`;

      // en-GB writes 24-hour times; the app follows the person's language and setting instead.
      const context = await browser.newContext({ viewport: DESKTOP, locale: "en-GB" });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-time-format.png`);
      const sentence = () => page.locator("main").getByText(/I will|Я буду/).first().innerText();
      const expectClock = async (language: "en" | "ru", format: "locale" | "24h" | "12h") => {
        const clock = formatWallClock("19:05", language, format);
        await page.goto(`${spaUrl}/habits`);
        await expectEventually(
          async () => String((await sentence()).includes(` ${clock}`)),
          "true",
          `${clock} on /habits`,
        );
        const [row] = await sql`select time_format from public.profiles where id = ${userId}`;
        assert.equal(row!.time_format, format);
      };

      await step("English follows CLDR's 12-hour clock by default, on an en-GB browser too", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await expectClock("en", "locale");
        assert.ok((await sentence()).includes("7:05 PM"));
      });

      await step("24-hour chosen in Settings is saved in the profile and used at once", async () => {
        await page.goto(`${spaUrl}/settings`);
        await page.getByLabel("Time format").selectOption("24h");
        await expectEventually(
          async () =>
            (await sql`select time_format from public.profiles where id = ${userId}`)[0]!
              .time_format as string,
          "24h",
          "the saved time_format",
        );
        await expectClock("en", "24h");
        assert.ok((await sentence()).includes("19:05"));
      });

      await step("Russian follows its 24-hour clock; 12-hour is written the bot's way", async () => {
        await page.goto(`${spaUrl}/settings`);
        await page.getByLabel("Time format").selectOption("locale");
        await page.locator("#language").selectOption("ru");
        await expectEventually(
          async () =>
            (await sql`select language from public.profiles where id = ${userId}`)[0]!.language as string,
          "ru",
          "the saved language",
        );
        await expectClock("ru", "locale");
        assert.ok((await sentence()).includes("19:05"));
        await page.goto(`${spaUrl}/settings`);
        await page.getByLabel("Формат времени").selectOption("12h");
        await expectEventually(
          async () =>
            (await sql`select time_format from public.profiles where id = ${userId}`)[0]!
              .time_format as string,
          "12h",
          "the saved time_format",
        );
        await expectClock("ru", "12h");
        assert.ok((await sentence()).includes("7:05 PM"));
      });

      const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      cleanups.push(() => phone.close());
      const guest = await phone.newPage();
      guest.setDefaultTimeout(30_000);
      const elsewhere: string[] = [];
      guest.on("request", (request) => {
        const url = new URL(request.url());
        // data: and blob: (ReDoc's search worker) never leave the page.
        if (url.protocol.startsWith("http") && !["127.0.0.1", "localhost"].includes(url.hostname)) {
          elsewhere.push(request.url());
        }
      });
      await guest.goto(`${spaUrl}/redoc`);
      await guest.locator(".redoc-container .api-content h2").first().waitFor();
      await guest.waitForTimeout(1000);

      await step("ReDoc fetches nothing from another site (its logo came from a CDN)", () => {
        assert.deepEqual(elsewhere, []);
        return Promise.resolve();
      });

      await step("ReDoc's headings skip no level under the page's h1 (axe heading-order)", async () => {
        await guest.addScriptTag({ content: axe.source });
        const violations = await guest.evaluate(async () => {
          // deno-lint-ignore no-explicit-any
          const result = await (globalThis as any).axe.run(document, { runOnly: ["heading-order"] });
          // deno-lint-ignore no-explicit-any
          return result.violations.flatMap((v: any) => v.nodes.map((n: any) => `${n.target}`));
        });
        assert.deepEqual(violations, []);
      });

      await step("ReDoc's menu button covers no text on a phone, wherever the page is scrolled", async () => {
        const button = ".redoc-container .menu-content + div";
        assert.ok(await guest.locator(button).isVisible(), "the phone menu button is shown");
        const height = await guest.evaluate(() => document.documentElement.scrollHeight);
        for (const y of [0, Math.floor(height / 3), Math.floor((2 * height) / 3), height]) {
          await guest.evaluate((top) => globalThis.scrollTo(0, top), y);
          assert.deepEqual(await textUnder(guest, button), [], `scrolled to ${y}`);
        }
        await guest.screenshot({ path: `${shots}/redoc-phone.png` });
      });
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
      await sql.end();
    }
  },
});
