/**
 * axe on the two pages only a person in a given state reaches (support/every-page.ts
 * GATED_PATHS): the authenticator code, asked after the password when TOTP is on, and "Choose
 * your password", asked after an address's first confirmation. At phone and desktop width, in
 * both languages and both themes: no serious or critical finding, one main landmark, nothing
 * wider than the screen. The other pages are walked in spa_today_test.ts and phone_axe_test.ts.
 */
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import * as OTPAuth from "otpauth";
import { connectTestDatabase } from "../support/database.ts";
import { describeFindings, seriousAxeFindings } from "./support/axe.ts";
import { DESKTOP, failFastSteps, PHONE, screenshotDir, watchConsole } from "./support/browser.ts";
import { GATED_PATHS, readyForAxe } from "./support/every-page.ts";
import { type SpaStack, startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";
const WIDTHS = { desktop: DESKTOP, phone: PHONE } as const;

/** Turns TOTP on for the account through supabase-js, as the settings page does. */
async function turnOnTotp(app: SpaStack, email: string): Promise<void> {
  const user = createClient(app.stack.urls.api, app.stack.keys.anon, { auth: { persistSession: false } });
  const signedIn = await user.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(signedIn.error, null);
  const enrolled = await user.auth.mfa.enroll({ factorType: "totp" });
  assert.equal(enrolled.error, null);
  const { id, totp } = enrolled.data!;
  const code = new OTPAuth.TOTP({ secret: totp.secret, algorithm: "SHA1", digits: 6, period: 30 }).generate();
  const verified = await user.auth.mfa.challengeAndVerify({ factorId: id, code });
  assert.equal(verified.error, null);
  await user.auth.signOut();
}

Deno.test({
  name:
    "the two-factor and choose-password pages at both widths, both languages and themes: no serious axe finding",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const tag = crypto.randomUUID().slice(0, 8);
    const emails = {
      "/sign-in/two-factor": `gated-totp-${tag}@example.com`,
      "/auth/choose-password": `gated-new-${tag}@example.com`,
    };
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("gated-axe", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const ids: Record<string, string> = {};
      for (const [path, email] of Object.entries(emails)) {
        const created = await app.admin.auth.admin.createUser({
          email,
          password: PASSWORD,
          email_confirm: true,
        });
        assert.equal(created.error, null);
        ids[path] = created.data.user!.id;
        // A language in the profile from the start: a profile without one gets the page's language
        // written by the app after sign-in (profile/language-sync.ts), which could land after this
        // test sets the language below and turn the page back to English.
        await sql`update public.profiles set timezone = ${ZONE}, language = 'en' where id = ${ids[path]!}`;
      }
      await turnOnTotp(app, emails["/sign-in/two-factor"]);
      // As the confirmation hook leaves it after an address's first confirmation.
      await sql`update public.profiles set must_choose_password = true where id = ${ids[
        "/auth/choose-password"
      ]!}`;
      assert.deepEqual(Object.keys(emails), GATED_PATHS);

      const problems: string[] = [];
      for (const [width, viewport] of Object.entries(WIDTHS)) {
        for (const path of GATED_PATHS) {
          const context = await app.browser.newContext({
            viewport,
            isMobile: width === "phone",
            hasTouch: width === "phone",
            timezoneId: ZONE,
            locale: "en-GB",
          });
          cleanups.push(() => context.close());
          const page = await context.newPage();
          page.setDefaultTimeout(20_000);
          const consoleWatch = watchConsole(page);
          const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-gated-axe.png`);
          await step(`${width}: signing in leads to ${path}`, async () => {
            await page.goto(`${app.spaUrl}/sign-in`);
            await page.getByLabel("E-mail").fill(emails[path as keyof typeof emails]);
            await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
            await page.getByRole("button", { name: "Sign in" }).click();
            await page.waitForURL((url) => url.pathname === path);
          });
          await step(`${width} ${path}: axe in both languages and themes`, async () => {
            for (const language of ["ru", "en"] as const) {
              await sql`update public.profiles set language = ${language} where id = ${ids[path]!}`;
              for (const theme of ["light", "dark"] as const) {
                await page.evaluate(([lang, mode]) => {
                  localStorage.setItem("habits.language", lang!);
                  localStorage.setItem("habits.theme", mode!);
                }, [language, theme]);
                await page.reload();
                assert.equal(new URL(page.url()).pathname, path);
                // The page may open in the language a sign-in's profile read left on the device
                // and turn to the profile's a moment later (profile/language-sync.ts): wait for it.
                await page.waitForFunction((lang) => document.documentElement.lang === lang, language);
                await readyForAxe(page, path);
                assert.equal(await page.evaluate(() => document.documentElement.lang), language);
                const where = `${width} ${language} ${theme} ${path}`;
                const findings = await seriousAxeFindings(page);
                if (findings.length > 0) problems.push(`${where}:\n${describeFindings(findings)}`);
                const mains = await page.evaluate(() =>
                  document.querySelectorAll("main:not([role]), [role=main]").length
                );
                if (mains !== 1) problems.push(`${where}: ${mains} main landmarks`);
                const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
                if (scrollWidth > viewport.width) problems.push(`${where}: ${scrollWidth} px wide`);
              }
            }
            assert.deepEqual(consoleWatch.errors, []);
          });
          await context.close();
        }
      }
      assert.deepEqual(problems, [], problems.join("\n\n"));
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      await sql`delete from auth.users where email in ${sql(Object.values(emails))}`.catch(() => {});
      await sql.end();
    }
  },
});
