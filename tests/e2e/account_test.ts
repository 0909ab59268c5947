/**
 * Account self-service end to end in Chromium against the devstack: forgot password → mail → new
 * password → sign in; change e-mail (code for one inbox, link for the other); sign in with an
 * e-mailed code; turn on TOTP and sign
 * in with it; delete the account, after which no table holds a row of that user and the linked
 * Telegram chat got a goodbye.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import * as OTPAuth from "otpauth";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { startFakeTelegram } from "../support/fake-telegram.ts";
import { TEST_BOT_TOKEN } from "../support/functions.ts";
import { watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const NEW_PASSWORD = "brand new 2 remember";
const THIRD_PASSWORD = "third time 3 lucky";

interface Mail {
  ID: string;
  Subject: string;
  Text: string;
  HTML: string;
}

/** The newest mail to `to` whose subject matches, that is not in `seen`; waits for it. */
async function mailTo(mailApi: string, to: string, subject: RegExp, seen: Set<string>): Promise<Mail> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const list = await (await fetch(`${mailApi}/api/v1/messages?limit=200`)).json() as {
      messages: { ID: string; Subject: string; To: { Address: string }[] }[];
    };
    const found = list.messages.find((m) =>
      !seen.has(m.ID) && subject.test(m.Subject) &&
      m.To.some((r) => r.Address.toLowerCase() === to.toLowerCase())
    );
    if (found) {
      seen.add(found.ID);
      return await (await fetch(`${mailApi}/api/v1/message/${found.ID}`)).json() as Mail;
    }
    await sleep(200);
  }
  throw new Error(`no mail "${subject}" to ${to}`);
}

const codeIn = (mail: Mail) => /code: (\d{6})/.exec(mail.Text)?.[1] ?? assert.fail(`no code in ${mail.Text}`);
const linkIn = (mail: Mail) =>
  (/https?:\/\/[^\s"'<>]+\/verify\?[^\s"'<>]+/.exec(mail.Text)?.[0] ?? assert.fail(`no link in ${mail.Text}`))
    .replaceAll("&amp;", "&");

Deno.test({
  name:
    "account self-service in Chromium: reset password, change e-mail, TOTP, change password, delete account",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const telegram = await startFakeTelegram({ token: TEST_BOT_TOKEN });
    const cleanups: (() => Promise<unknown>)[] = [];
    let email = `account-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const newEmail = `moved-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const otherEmail = `other-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const chatId = uniqueChatId();
    const seen = new Set<string>();
    try {
      const app = await startSpaStack("account", () => ({
        maxEmailFrequencySeconds: 1,
        pgNet: { enabled: false },
        functionsEnv: { TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN },
      }));
      cleanups.push(() => app.close());
      const { stack, spaUrl, browser, admin } = app;

      // A confirmed account with a habit and a linked Telegram chat.
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      const other = await admin.auth.admin.createUser({
        email: otherEmail,
        password: PASSWORD,
        email_confirm: true,
      });
      assert.equal(other.error, null);
      cleanups.push(() => admin.auth.admin.deleteUser(other.data.user?.id as string));
      await sql`update public.profiles set telegram_chat_id = ${chatId}, telegram_linked_at = now() where id = ${userId}`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
                values (${userId}, 'stretch', 'hall', '07:00', 60)`;

      const page = await (await browser.newContext({ locale: "en-GB" })).newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = async (name: string, body: () => Promise<void>) => {
        if (await t.step(name, body)) return;
        const text = await page.locator("main").innerText().catch(() => "");
        throw new Error(`step failed: ${name}\nat ${page.url()}:\n${text}\nconsole: ${consoleWatch.errors}`);
      };
      // Signing out finishes when the signed-in page sends the browser to /sign-in.
      const signOut = async () => {
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.waitForURL(/\/sign-in$/);
      };
      const signIn = async (address: string, password: string) => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(address);
        await page.getByLabel("Password", { exact: true }).fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
      };

      await step("forgot password → mail → choose a new password → sign in with it", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByText("Enter your e-mail and password.").waitFor();
        await page.getByRole("link", { name: "Forgot password?" }).click();
        await page.getByRole("heading", { name: "Reset your password" }).waitFor();
        await page.getByLabel("E-mail").fill(email);
        await page.getByRole("button", { name: "Send me a reset link" }).click();
        await page.getByText(`If an account uses ${email}`).waitFor();
        const mail = await mailTo(stack.urls.mail, email, /Reset Your Password/, seen);
        await page.goto(linkIn(mail));
        await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
        await page.getByLabel("New password").fill("short");
        await page.getByRole("button", { name: "Save the new password" }).click();
        await page.getByText("Choose a stronger password").waitFor();
        await page.getByLabel("New password").fill(NEW_PASSWORD);
        await page.getByRole("button", { name: "Save the new password" }).click();
        await page.getByText("Your new password is saved.").waitFor();
        await signOut();
        await signIn(email, PASSWORD);
        await page.getByText("The e-mail or password is wrong.").waitFor();
        await signIn(email, NEW_PASSWORD);
        await page.waitForURL(`${spaUrl}/`);
      });

      await step("change e-mail: check both inboxes, a code for one and the link for the other", async () => {
        await page.goto(`${spaUrl}/settings`);
        await page.getByLabel("New e-mail address").fill(email.toUpperCase());
        await page.getByRole("button", { name: "Change e-mail" }).click();
        await page.getByText("This is already your e-mail address.").waitFor();
        await page.getByLabel("New e-mail address").fill(otherEmail);
        await page.getByRole("button", { name: "Change e-mail" }).click();
        await page.getByText("Another account already uses this e-mail address.").waitFor();
        await page.getByLabel("New e-mail address").fill(newEmail);
        await page.getByRole("button", { name: "Change e-mail" }).click();
        await page.getByText("Check both inboxes").waitFor();
        const toCurrent = await mailTo(stack.urls.mail, email, /Confirm Email Change/, seen);
        const toNew = await mailTo(stack.urls.mail, newEmail, /Confirm Email Change/, seen);
        await page.getByLabel(`Code sent to ${email}`).fill("12");
        await page.getByRole("button", { name: "Use the code" }).first().click();
        await page.getByText("Enter the code from the e-mail: six digits.").waitFor();
        await page.getByLabel(`Code sent to ${email}`).fill("000000");
        await page.getByRole("button", { name: "Use the code" }).first().click();
        await page.getByText("This code or link is wrong, has expired or was already used.").waitFor();
        await page.getByLabel(`Code sent to ${email}`).fill(codeIn(toCurrent));
        await page.getByRole("button", { name: "Use the code" }).first().click();
        await page.getByText(`${email} is confirmed. Now confirm the other address.`).waitFor();
        await page.goto(linkIn(toNew));
        await page.waitForURL(`${spaUrl}/`);
        await page.goto(`${spaUrl}/settings`);
        await page.getByText(`Now: ${newEmail}`).waitFor();
        email = newEmail;
      });

      await step("sign in with an e-mailed code instead of the password", async () => {
        await signOut();
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByRole("link", { name: "Sign in with an e-mailed link or code" }).click();
        // React Router navigates in a transition: the sign-in page, with its own "E-mail" field,
        // stays on screen until the lazy page's code has arrived (seen on a loaded CI machine).
        await page.getByRole("heading", { name: "Sign in with an e-mail" }).waitFor();
        await page.getByLabel("E-mail").fill(`nobody-${crypto.randomUUID().slice(0, 8)}@example.com`);
        await page.getByRole("button", { name: "E-mail me a link and code" }).click();
        await page.getByText("There is no account with this e-mail. Create one first.").waitFor();
        await page.getByLabel("E-mail").fill(email);
        await page.getByRole("button", { name: "E-mail me a link and code" }).click();
        await page.getByText(`We sent a sign-in link to ${email}`).waitFor();
        const mail = await mailTo(stack.urls.mail, email, /Magic Link/, seen);
        await page.getByLabel("Or enter the 6-digit code from the e-mail").fill(codeIn(mail));
        await page.getByRole("button", { name: "Use the code" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.goto(`${spaUrl}/settings`);
      });

      let secret = "";
      const totpCode = () =>
        new OTPAuth.TOTP({ secret, algorithm: "SHA1", digits: 6, period: 30 }).generate();

      await step("turn on TOTP with the QR code's key; signing in then asks for the code", async () => {
        await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
        await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
        secret = (await page.getByTestId("totp-secret").innerText()).trim();
        await page.getByLabel("Code from the app").fill("123456" === totpCode() ? "654321" : "123456");
        await page.getByRole("button", { name: "Turn on" }).click();
        await page.getByText("That authenticator code is wrong.").waitFor();
        await page.getByLabel("Code from the app").fill(totpCode());
        await page.getByRole("button", { name: "Turn on" }).click();
        await page.getByText("Two-factor sign-in is on.").waitFor();
        await signOut();
        await signIn(email, NEW_PASSWORD);
        await page.getByRole("heading", { level: 1, name: "Two-factor sign-in" }).waitFor();
        await page.getByLabel("Authenticator code").fill("12");
        await page.getByRole("button", { name: "Continue" }).click();
        await page.getByText("Enter the 6-digit code from your authenticator app.").waitFor();
        await page.getByLabel("Authenticator code").fill(totpCode());
        await page.getByRole("button", { name: "Continue" }).click();
        // Back to the page the sign-out left (the settings), or the habits.
        await page.waitForURL(/\/(settings)?$/);
        await page.getByRole("button", { name: "Sign out" }).waitFor();
      });

      await step("turn TOTP off, then change the password in the settings", async () => {
        await page.goto(`${spaUrl}/settings`);
        await page.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
        await page.getByText("Two-factor sign-in is off.").waitFor();
        await page.getByRole("button", { name: "Set up two-factor sign-in" }).waitFor();
        await page.getByLabel("New password", { exact: true }).fill("short");
        await page.getByRole("button", { name: "Change password" }).click();
        await page.getByText("Choose a stronger password").waitFor();
        await page.getByLabel("New password", { exact: true }).fill(THIRD_PASSWORD);
        await page.getByRole("button", { name: "Change password" }).click();
        await page.getByText("Your new password is saved.").waitFor();
        await signOut();
        await signIn(email, THIRD_PASSWORD);
        await page.waitForURL(/\/(settings)?$/);
        await page.getByRole("button", { name: "Sign out" }).waitFor();
      });

      await step(
        "delete the account: typed confirmation, goodbye in Telegram, no row left anywhere",
        async () => {
          await page.goto(`${spaUrl}/settings`);
          const remove = page.getByRole("button", { name: "Delete my account" });
          assert.equal(await remove.isDisabled(), true, "nothing happens before the confirmation is typed");
          await page.getByLabel("Type DELETE to confirm").fill("DELETE");
          await remove.click();
          await page.getByText("Your account and all its data are deleted.").waitFor();
          await telegram.waitFor((calls) =>
            calls.some((call) => call.method === "sendMessage" && call.payload.chat_id === chatId)
          );
          // Every uuid, text and bigint column of every table in the app's and Auth's schemas.
          const columns = await sql<{ table_schema: string; table_name: string; column_name: string }[]>`
          select c.table_schema, c.table_name, c.column_name
          from information_schema.columns c
          join information_schema.tables t using (table_schema, table_name)
          where c.table_schema in ('public', 'private', 'auth') and t.table_type = 'BASE TABLE'
            and c.data_type in ('uuid', 'text', 'character varying', 'bigint')`;
          const leftovers: string[] = [];
          for (const { table_schema, table_name, column_name } of columns) {
            for (const value of [userId, String(chatId), newEmail]) {
              const [{ n }] = await sql<{ n: number }[]>`
              select count(*)::int as n from ${sql(table_schema)}.${sql(table_name)}
              where ${sql(column_name)}::text = ${value}`;
              if (n > 0) leftovers.push(`${table_schema}.${table_name}.${column_name} = ${value}`);
            }
          }
          assert.deepEqual(leftovers, []);
          await signIn(email, THIRD_PASSWORD);
          await page.getByText("The e-mail or password is wrong.").waitFor();
        },
      );
      assert.deepEqual(consoleWatch.errors, []);
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(console.error);
      await telegram.close();
      await sql.end();
    }
  },
});
