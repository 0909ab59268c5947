/**
 * Issue 23's layout findings, measured in Chromium at 390×844 and 1280×800: Settings (the digest
 * checkbox on its label's line, fields as wide as each other, a gap after each hint), the habit
 * form's two numbers side by side at one height, the check-email page's two buttons (one width,
 * apart), and the Russian habits heading beside its "Новая привычка" button without overlap.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { DESKTOP, failFastSteps, PHONE, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";

type Box = { x: number; y: number; width: number; height: number };
const box = async (page: Page, selector: string): Promise<Box> => {
  const found = await page.locator(selector).first().boundingBox();
  assert.ok(found, `${selector} is on the page`);
  return found;
};
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

Deno.test({
  name:
    "layout at phone and desktop width: Settings, the habit form, check-email, the Russian habits heading",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `layout-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("layout", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set language = 'en', telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now() where id = ${userId}`;

      for (const [width, viewport] of [["phone", PHONE], ["desktop", DESKTOP]] as const) {
        const context = await browser.newContext({ viewport, locale: "en-GB" });
        cleanups.push(() => context.close());
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        const step = failFastSteps(t, page, watchConsole(page), `${shots}/failed-layout-${width}.png`);

        await step(`${width}: the check-email page's two buttons share a width and stand apart`, async () => {
          await page.goto(`${spaUrl}/check-email?email=${encodeURIComponent(email)}`);
          const buttons = page.locator("main button");
          await buttons.first().waitFor();
          assert.equal(await buttons.count(), 2);
          const [first, second] = [await buttons.nth(0).boundingBox(), await buttons.nth(1).boundingBox()];
          assert.ok(first && second);
          assert.ok(Math.abs(first.width - second.width) <= 1, `widths ${first.width} and ${second.width}`);
          const gap = second.y - (first.y + first.height);
          assert.ok(gap >= 8, `the buttons are ${gap} px apart`);
        });

        await step(`${width}: Settings' checkbox, field widths and hint gaps`, async () => {
          await page.goto(`${spaUrl}/sign-in`);
          await page.getByLabel("E-mail").fill(email);
          await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL(`${spaUrl}/`);
          await page.goto(`${spaUrl}/settings`);
          await page.locator("#display_name").waitFor();
          const checkbox = page.getByLabel("Send me a weekly digest in Telegram");
          const tick = await checkbox.boundingBox();
          const label = await page.locator("label", { has: checkbox }).boundingBox();
          assert.ok(tick && label);
          const offset = Math.abs(tick.y + tick.height / 2 - (label.y + label.height / 2));
          assert.ok(offset <= 4, `the checkbox sits ${offset} px off its label's middle`);
          const widths = await Promise.all(
            ["#language", "#time_format", "#display_name", "#timezone"].map(async (id) =>
              (await box(page, id)).width
            ),
          );
          assert.ok(Math.max(...widths) - Math.min(...widths) <= 1, `field widths ${widths.join(", ")}`);
          await page.screenshot({ path: `${shots}/layout-settings-${width}.png`, fullPage: true });
          for (const id of ["#language", "#time_format"]) {
            const hint = await box(page, `.field:has(${id}) .hint`);
            const next = await page.locator(`.field:has(${id}) + *`).first().boundingBox();
            assert.ok(next);
            const gap = next.y - (hint.y + hint.height);
            assert.ok(gap >= 8, `${gap} px between the hint under ${id} and what follows`);
          }
        });

        await step(`${width}: the habit form's two numbers sit at one height`, async () => {
          await page.goto(`${spaUrl}/habits/new`);
          const interval = await box(page, "#interval_days");
          const duration = await box(page, "#duration_seconds");
          if (width === "desktop") {
            assert.ok(Math.abs(interval.y - duration.y) <= 1, `inputs at ${interval.y} and ${duration.y}`);
          } else assert.ok(!overlap(interval, duration));
        });

        await step(`${width}: the Russian habits heading and its button do not overlap`, async () => {
          // The profile's language wins when a page loads.
          await sql`update public.profiles set language = 'ru' where id = ${userId}`;
          await page.goto(`${spaUrl}/habits`);
          await page.getByRole("link", { name: "Новая привычка" }).waitFor();
          const heading = await box(page, "main h1");
          const button = await page.getByRole("link", { name: "Новая привычка" }).boundingBox();
          assert.ok(button);
          assert.ok(
            !overlap(heading, button),
            `heading ${JSON.stringify(heading)}, button ${JSON.stringify(button)}`,
          );
          const lines = await page.getByRole("link", { name: "Новая привычка" }).evaluate((element) => {
            const range = document.createRange();
            range.selectNodeContents(element);
            return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
          });
          assert.ok(lines <= 1, `the button's words take ${lines} lines`);
          const below = await page.locator("main .page-heading + *").first().boundingBox();
          assert.ok(below);
          const gap = below.y - (button.y + button.height);
          assert.ok(gap >= 8, `the button is ${gap} px above what follows`);
          await page.screenshot({ path: `${shots}/layout-habits-ru-${width}.png` });
          await sql`update public.profiles set language = 'en' where id = ${userId}`;
        });
      }
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
      await sql.end();
    }
  },
});
