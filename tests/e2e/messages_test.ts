/**
 * Messages a daily user meets, in Chromium, in both languages: clearing the weekly digest's time
 * says what to do instead of showing Postgres's "invalid input syntax for type time".
 */
import assert from "node:assert/strict";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { DESKTOP, failFastSteps, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";

Deno.test({
  name: "clearing the digest's time says to choose one, in English and Russian",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `messages-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("messages", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now(), language = 'en' where id = ${userId}`;
      const digestTime = async () =>
        String((await sql`select digest_time::text as t from public.profiles where id = ${userId}`)[0]!.t);

      const context = await browser.newContext({ viewport: DESKTOP, timezoneId: ZONE, locale: "en-GB" });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-messages.png`);

      await step("sign in and open Settings", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.goto(`${spaUrl}/settings`);
      });

      for (
        const [language, label, save, sentence] of [
          ["en", "Digest time (local)", "Save digest", "Choose the digest's time, for example 19:00."],
          ["ru", "Время сводки (местное)", "Сохранить сводку", "Укажите время сводки, например 19:00."],
        ] as const
      ) {
        await step(`${language}: an empty digest time is explained, and nothing is saved`, async () => {
          if (language === "ru") await page.locator("header").getByLabel("Language").selectOption("ru");
          const form = page.locator("form", { has: page.getByRole("button", { name: save }) });
          await form.getByLabel(label).fill("");
          await form.getByRole("button", { name: save }).click();
          await form.getByRole("alert").getByText(sentence).waitFor();
          assert.doesNotMatch(await page.locator("main").innerText(), /invalid input syntax/);
          assert.equal(await digestTime(), "19:00:00");
        });
      }
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
