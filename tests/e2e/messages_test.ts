/**
 * Messages a daily user meets, in Chromium: clearing the weekly digest's time says what to do (in
 * both languages) instead of showing Postgres's "invalid input syntax for type time"; an empty
 * Today says Telegram comes first; "delete" in lower case gets a hint; sign-up and Settings refuse
 * a long display name alike; a restored draft can be discarded; an exact duplicate habit is
 * warned about once.
 */
import assert from "node:assert/strict";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { DESKTOP, failFastSteps, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";

Deno.test({
  name: "messages say what to do: digest time, Telegram first, delete hint, name limit, drafts, duplicates",
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
      await sql`update public.profiles set timezone = ${ZONE}, language = 'en' where id = ${userId}`;
      const digestTime = async () =>
        String((await sql`select digest_time::text as t from public.profiles where id = ${userId}`)[0]!.t);

      const context = await browser.newContext({ viewport: DESKTOP, timezoneId: ZONE, locale: "en-GB" });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-messages.png`);

      await step(
        "sign-up refuses a display name over 80 characters as Settings does, without cutting it",
        async () => {
          await page.goto(`${spaUrl}/sign-up`);
          const name = page.getByLabel("Display name (optional)");
          await name.fill("n".repeat(81));
          assert.equal((await name.inputValue()).length, 81, "the name is not cut silently");
          await page.getByText("Keep the display name to 80 characters.").waitFor();
        },
      );

      await step("an empty Today says Telegram comes first, with the way to connect", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        const first = page.getByTestId("habit-formula").getByRole("status");
        await first.getByText(/connect your Telegram chat first/).waitFor();
        assert.equal(
          await first.getByRole("link", { name: "Connect Telegram" }).getAttribute("href"),
          "/telegram",
        );
        await sql`update public.profiles set telegram_chat_id = ${uniqueChatId()}, telegram_linked_at = now()
                  where id = ${userId}`;
        await page.reload();
        await page.getByTestId("habit-formula").waitFor();
        assert.equal(await page.getByTestId("telegram-first").count(), 0, "not once Telegram is linked");
      });

      await step("a restored draft can be discarded", async () => {
        await page.goto(`${spaUrl}/habits/new`);
        await page.getByLabel("I will (action)").fill("x");
        await page.getByLabel("Every … days (1–7)").fill("9");
        await page.goto(`${spaUrl}/habits`);
        await page.goto(`${spaUrl}/habits/new`);
        await page.getByText("This is the draft you left unsaved.").waitFor();
        assert.equal(await page.getByLabel("I will (action)").inputValue(), "x");
        await page.getByRole("button", { name: "Discard the draft" }).click();
        assert.equal(await page.getByLabel("I will (action)").inputValue(), "");
        await page.reload();
        await page.getByLabel("I will (action)").waitFor();
        assert.equal(await page.getByText("This is the draft you left unsaved.").count(), 0);
        assert.equal(await page.getByLabel("I will (action)").inputValue(), "");
      });

      await step("an exact duplicate habit is warned about once, then created", async () => {
        await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
          values (${userId}, 'read one page', 'the kitchen', '07:30', 60)`;
        await page.goto(`${spaUrl}/habits/new`);
        await page.getByLabel("I will (action)").fill("read one page");
        await page.getByLabel("in (place)").fill("the kitchen");
        await page.getByLabel(/^at \(time of day/).fill("07:30");
        await page.getByRole("button", { name: "Create habit" }).click();
        await page.getByText("You already have this exact habit.", { exact: false }).waitFor();
        const count = async () =>
          Number((await sql`select count(*) from public.habits where owner_id = ${userId}`)[0]!.count);
        assert.equal(await count(), 1, "nothing is created on the warning");
        await page.getByRole("button", { name: "Create habit" }).click();
        await page.waitForURL(`${spaUrl}/habits`);
        assert.equal(await count(), 2, "the second press creates it");
      });

      await step(
        "Settings says which detail is not valid: the e-mail, or a password over 72 characters",
        async () => {
          await page.goto(`${spaUrl}/settings`);
          await page.getByLabel("New e-mail address").fill("ada@@example.com");
          await page.getByRole("button", { name: "Change e-mail" }).click();
          await page.getByText("This e-mail address is not valid. Check it for typos").waitFor();
          await page.getByLabel("New password").fill("a1".repeat(40) + "b");
          await page.getByRole("button", { name: "Change password" }).click();
          await page.getByText("The password is too long: at most 72 characters").waitFor();
          assert.equal(await page.getByText("Some of the details are not valid").count(), 0);
        },
      );

      await step('"delete" in lower case explains why the button stays disabled', async () => {
        await page.goto(`${spaUrl}/settings`);
        const confirmation = page.getByLabel("Type DELETE to confirm");
        await confirmation.fill("delete");
        await page.getByText("Type it in capital letters: DELETE.").waitFor();
        assert.equal(await page.getByRole("button", { name: "Delete my account" }).isDisabled(), true);
        await confirmation.fill("DELETE");
        assert.equal(await page.getByText("Type it in capital letters: DELETE.").count(), 0);
        await confirmation.fill("");
      });

      for (
        const [language, label, save, sentence] of [
          ["en", "Digest time (local)", "Save digest", "Choose the digest's time, for example 7:00 PM."],
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
