/**
 * Focus and keyboard in Chromium: after signing in, opening a form and saving, the focus is on
 * the new page's heading; when "Mark done" turns into "Undo" the focus stays on the row's button;
 * Escape closes the phone menu and gives the focus back to its button.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { DESKTOP, failFastSteps, PHONE, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";

/** What has the focus: "h1 Today", "button Undo", "body". */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return "body";
    return `${element.tagName.toLowerCase()} ${(element.textContent ?? "").trim()}`;
  });
}

async function expectFocus(page: Page, expected: string, what: string) {
  const deadline = Date.now() + 5000;
  let seen = await focused(page);
  while (seen !== expected && Date.now() < deadline) {
    await sleep(50);
    seen = await focused(page);
  }
  assert.equal(seen, expected, what);
}

Deno.test({
  name: "focus follows page changes and Mark done, and Escape closes the phone menu",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `focus-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("focus", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now(), language = 'en' where id = ${userId}`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'stretch for a minute', 'the hall', '23:59', 60)`;

      const context = await browser.newContext({ viewport: DESKTOP, timezoneId: ZONE, locale: "en-GB" });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-focus.png`);

      await step("after signing in, the focus is on Today's heading", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.keyboard.press("Enter");
        await page.waitForURL(`${spaUrl}/`);
        await expectFocus(page, "h1 Today", "focus after signing in");
      });

      await step("when Mark done turns into Undo, the focus stays on the row's button", async () => {
        const entry = page.getByTestId("today-entry").filter({ hasText: "stretch for a minute" });
        await entry.getByRole("button", { name: "Mark done" }).focus();
        await page.keyboard.press("Enter");
        await entry.getByRole("button", { name: "Undo" }).waitFor();
        await expectFocus(page, "button Undo", "focus after Mark done");
        await page.keyboard.press("Enter");
        await entry.getByRole("button", { name: "Mark done" }).waitFor();
        await expectFocus(page, "button Mark done", "focus after Undo");
      });

      await step("opening a form and saving it move the focus to the new page's heading", async () => {
        await page.goto(`${spaUrl}/habits`);
        await page.getByRole("link", { name: "New habit" }).click();
        await page.waitForURL(`${spaUrl}/habits/new`);
        await expectFocus(page, "h1 New habit", "focus after opening the form");
        await page.getByLabel("I will (action)").fill("drink a glass of water");
        await page.getByLabel("in (place)").fill("the kitchen");
        await page.getByLabel(/^at \(time of day/).fill("08:00");
        await page.getByRole("button", { name: "Create habit" }).click();
        await page.waitForURL(`${spaUrl}/habits`);
        await expectFocus(page, "h1 My habits", "focus after saving");
      });

      await step("Escape closes the phone menu and gives the focus back to its button", async () => {
        await page.setViewportSize(PHONE);
        const menu = page.getByRole("button", { name: "Menu" });
        await menu.click();
        assert.equal(await menu.getAttribute("aria-expanded"), "true");
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).focus();
        await page.keyboard.press("Escape");
        assert.equal(await menu.getAttribute("aria-expanded"), "false");
        await expectFocus(page, "button Menu", "focus after Escape");
        assert.equal(
          await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" })
            .isVisible(),
          false,
          "the menu's links are hidden again",
        );
      });
      assert.deepEqual(consoleWatch.errors, []);
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      await sql`delete from auth.users where email = ${email}`.catch(() => {});
      await sql.end();
    }
  },
});
