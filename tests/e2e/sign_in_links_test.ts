/**
 * Sign-in links and pre-registration in Chromium against the devstack:
 * - a link carrying someone else's tokens (`/auth/confirm#access_token=…`) never replaces the
 *   session: a clear page says the link was not started in this browser;
 * - sign-up → confirm in the same browser goes through PKCE, then asks for the password;
 * - the confirmation link opened in another browser says the address is confirmed and how to
 *   sign in (an e-mailed code, then the password);
 * - a stranger who signed up first with the owner's address and a password of their own cannot
 *   sign in with it once the owner confirms.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import type { Page } from "playwright-core";
import { connectTestDatabase } from "../support/database.ts";
import { failFastSteps, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const STRANGER_PASSWORD = "stranger 1 typed this";
const OWNER_PASSWORD = "owner 2 typed this";
const CHOSEN_PASSWORD = "chosen 3 after confirming";

interface Mail {
  ID: string;
  Subject: string;
  Text: string;
}

/** The newest mail to `to` that is not in `seen` (which it joins); waits for it. */
async function nextMailTo(mailApi: string, to: string, seen: Set<string>): Promise<Mail> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const list = await (await fetch(`${mailApi}/api/v1/messages?limit=200`)).json() as {
      messages: { ID: string; To: { Address: string }[] }[];
    };
    const found = list.messages.find((m) =>
      !seen.has(m.ID) && m.To.some((r) => r.Address.toLowerCase() === to.toLowerCase())
    );
    if (found) {
      seen.add(found.ID);
      return await (await fetch(`${mailApi}/api/v1/message/${found.ID}`)).json() as Mail;
    }
    await sleep(200);
  }
  throw new Error(`no new mail to ${to}`);
}

const linkIn = (mail: Mail) =>
  (/https?:\/\/[^\s"'<>]+\/verify\?[^\s"'<>]+/.exec(mail.Text)?.[0] ?? assert.fail(`no link in ${mail.Text}`))
    .replaceAll("&amp;", "&");
const codeIn = (mail: Mail) => /code: (\d{6})/.exec(mail.Text)?.[1] ?? assert.fail(`no code in ${mail.Text}`);

/** The e-mail of the session supabase-js keeps in this page's storage, or null. */
function storedSessionEmail(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => name.endsWith("-auth-token"));
    const stored = key ? JSON.parse(localStorage.getItem(key) ?? "null") : null;
    return stored?.user?.email ?? null;
  });
}

async function signUpInBrowser(page: Page, spaUrl: string, email: string, password: string) {
  await page.goto(`${spaUrl}/sign-up`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("heading", { name: "Check your e-mail" }).waitFor();
}

async function choosePassword(page: Page, password: string) {
  await page.getByRole("heading", { name: "Choose your password" }).waitFor();
  await page.getByLabel("New password").fill(password);
  await page.getByRole("button", { name: "Save the password" }).click();
  await page.getByText("Your e-mail is confirmed. Welcome!").waitFor();
}

Deno.test({
  name: "sign-in links and pre-registration in Chromium",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const cleanups: (() => Promise<unknown>)[] = [];
    const tag = crypto.randomUUID().slice(0, 8);
    const seen = new Set<string>();
    try {
      const app = await startSpaStack(
        "links",
        () => ({ maxEmailFrequencySeconds: 1, pgNet: { enabled: false } }),
      );
      cleanups.push(() => app.close());
      const { stack, spaUrl, browser, admin } = app;
      const anonClient = () =>
        createClient(stack.urls.api, stack.keys.anon, {
          auth: { persistSession: false, autoRefreshToken: false },
        });

      const context = await browser.newContext({ locale: "en-GB" });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, "/dev/null");

      await step(
        "a link with a stranger's tokens leaves the session as it was and says it was not started here",
        async () => {
          const victim = `victim-${tag}@example.com`;
          const stranger = `stranger-${tag}@example.com`;
          for (const email of [victim, stranger]) {
            const created = await admin.auth.admin.createUser({
              email,
              password: OWNER_PASSWORD,
              email_confirm: true,
            });
            assert.equal(created.error, null);
          }
          const { data, error } = await anonClient().auth.signInWithPassword({
            email: stranger,
            password: OWNER_PASSWORD,
          });
          assert.equal(error, null);
          const session = data.session as NonNullable<typeof data.session>;

          await page.goto(`${spaUrl}/sign-in`);
          await page.getByLabel("E-mail").fill(victim);
          await page.getByLabel("Password", { exact: true }).fill(OWNER_PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL(`${spaUrl}/`);
          assert.equal(await storedSessionEmail(page), victim);

          const fragment = new URLSearchParams({
            access_token: session.access_token,
            expires_at: String(session.expires_at),
            expires_in: String(session.expires_in),
            refresh_token: session.refresh_token,
            token_type: "bearer",
            type: "signup",
          });
          await page.goto(`${spaUrl}/auth/confirm#${fragment}`);
          await page.getByRole("heading", { name: "This link cannot sign you in here" }).waitFor();
          await page.getByText("This link was not started in this browser").waitFor();
          assert.equal(new URL(page.url()).hash, "", "the tokens are gone from the address bar");
          assert.equal(await storedSessionEmail(page), victim, "the session is the one the browser had");
          await page.getByRole("link", { name: `Continue as ${victim}` }).click();
          await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
          await page.reload();
          await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
          assert.equal(await storedSessionEmail(page), victim);
          await page.getByRole("button", { name: "Sign out" }).click();
          await page.waitForURL(/\/sign-in$/);
        },
      );

      await step(
        "sign-up, then the link in the same browser: PKCE signs in, then the password is chosen",
        async () => {
          const email = `same-browser-${tag}@example.com`;
          await signUpInBrowser(page, spaUrl, email, OWNER_PASSWORD);
          const link = linkIn(await nextMailTo(stack.urls.mail, email, seen));
          assert.match(new URL(link).searchParams.get("token") ?? "", /^pkce_/, "the link is a PKCE link");
          await page.goto(link);
          await page.waitForURL(`${spaUrl}/auth/choose-password`);
          assert.equal(await storedSessionEmail(page), email);
          await choosePassword(page, CHOSEN_PASSWORD);
          await page.getByRole("button", { name: "Sign out" }).click();
          await page.waitForURL(/\/sign-in$/);
          await page.getByLabel("E-mail").fill(email);
          await page.getByLabel("Password", { exact: true }).fill(CHOSEN_PASSWORD);
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.getByRole("heading", { level: 1, name: "Today" }).waitFor();
          await page.getByRole("button", { name: "Sign out" }).click();
          await page.waitForURL(/\/sign-in$/);
        },
      );

      await step(
        "the link opened in another browser says the e-mail is confirmed and leads to signing in",
        async () => {
          const email = `other-browser-${tag}@example.com`;
          await signUpInBrowser(page, spaUrl, email, OWNER_PASSWORD);
          const link = linkIn(await nextMailTo(stack.urls.mail, email, seen));
          const fresh = await (await browser.newContext({ locale: "en-GB" })).newPage();
          fresh.setDefaultTimeout(15_000);
          try {
            await fresh.goto(link);
            await fresh.getByRole("heading", { name: "E-mail confirmed" }).waitFor();
            await fresh.getByText("This browser did not start that request, so it is not signed in here.")
              .waitFor();
            assert.equal(await storedSessionEmail(fresh), null, "no session in the other browser");
            const [row] = await sql<{ confirmed: boolean }[]>`
              select email_confirmed_at is not null as confirmed from auth.users where email = ${email}`;
            assert.equal(row.confirmed, true);

            // The way forward: a code from e-mail, then the password.
            await fresh.getByRole("link", { name: "Sign in with a code from e-mail" }).click();
            await fresh.getByLabel("E-mail").fill(email);
            await fresh.getByRole("button", { name: "E-mail me a link and code" }).click();
            const code = codeIn(await nextMailTo(stack.urls.mail, email, seen));
            await fresh.getByLabel("Or enter the 6-digit code from the e-mail").fill(code);
            await fresh.getByRole("button", { name: "Use the code" }).click();
            await choosePassword(fresh, CHOSEN_PASSWORD);
          } finally {
            await fresh.context().close();
          }
        },
      );

      await step(
        "a stranger's earlier sign-up password no longer signs in once the owner confirms; the owner's chosen one does",
        async () => {
          const email = `prereg-${tag}@example.com`;
          const strangerSignUp = await anonClient().auth.signUp({ email, password: STRANGER_PASSWORD });
          assert.equal(strangerSignUp.error, null);
          await nextMailTo(stack.urls.mail, email, seen); // the stranger's mail, unopened
          await sleep(1100); // max_frequency is 1 s here

          await signUpInBrowser(page, spaUrl, email, OWNER_PASSWORD);
          await page.goto(linkIn(await nextMailTo(stack.urls.mail, email, seen)));
          await choosePassword(page, CHOSEN_PASSWORD);

          const stranger = await anonClient().auth.signInWithPassword({ email, password: STRANGER_PASSWORD });
          assert.equal(stranger.error?.code, "invalid_credentials");
          const typedAtSignUp = await anonClient().auth.signInWithPassword({
            email,
            password: OWNER_PASSWORD,
          });
          assert.equal(typedAtSignUp.error?.code, "invalid_credentials");
          const chosen = await anonClient().auth.signInWithPassword({ email, password: CHOSEN_PASSWORD });
          assert.equal(chosen.error, null);
        },
      );
      assert.deepEqual(consoleWatch.errors, []);
    } finally {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(console.error);
      await sql.end();
    }
  },
});
