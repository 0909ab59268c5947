/**
 * A server that never answers does not leave the app spinning forever: the Supabase client bounds
 * every request (web/src/lib/timed-fetch.ts, SERVER_TIMEOUT_MS), and once the bound passes the page
 * says the server cannot be reached, in the person's language, never a raw AbortError. In
 * Chromium against the devstack; the hung requests are held by page.route and never answered.
 * The three cases run side by side, so the test waits about one bound, not three.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { SERVER_TIMEOUT_MS } from "../../web/src/lib/timed-fetch.ts";
import { connectTestDatabase } from "../support/database.ts";
import { DESKTOP, screenshotDir, watchConsole } from "./support/browser.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const OFFLINE_EN = "The server cannot be reached. Check your connection and try again.";
const OFFLINE_RU = "Сервер недоступен. Проверьте подключение и попробуйте ещё раз.";
/** Past the bound: the page's own work and a loaded machine, but not postgrest-js's retries. */
const SLACK_MS = 6_000;

/** Holds every matching request without answering, as a hung server does. */
async function hang(page: Page, url: RegExp): Promise<void> {
  await page.route(url, () => {});
}

/** Milliseconds from `started` until `text` is on the page; it must be after the bound. */
async function shownAfterBound(page: Page, text: string, started: number, what: string): Promise<number> {
  await page.getByText(text).first().waitFor({ timeout: SERVER_TIMEOUT_MS + SLACK_MS });
  const ms = performance.now() - started;
  console.log(`[e2e] ${what}: "${text}" after ${Math.round(ms)} ms (bound ${SERVER_TIMEOUT_MS} ms)`);
  assert.ok(ms >= SERVER_TIMEOUT_MS - 500, `${what}: shown after ${Math.round(ms)} ms, before the bound`);
  const body = await page.locator("body").innerText();
  assert.doesNotMatch(body, /AbortError|TimeoutError|aborted/i, `${what}: no raw error text`);
  return ms;
}

Deno.test({
  name: "a request the server never answers ends in the cannot-reach sentence after the bound",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const emails = ["en", "ru"].map((language) =>
      `timeout-${language}-${crypto.randomUUID().slice(0, 8)}@example.com`
    );
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("timeout", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;

      const contexts: BrowserContext[] = [];
      const newPage = async () => {
        const context = await browser.newContext({
          viewport: DESKTOP,
          locale: "en-GB",
          serviceWorkers: "block",
        });
        contexts.push(context);
        cleanups.push(() => context.close());
        return await context.newPage();
      };
      const signedIn = async (email: string, language: string) => {
        const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
        assert.equal(created.error, null);
        await sql`update public.profiles set language = ${language} where id = ${created.data.user!.id}`;
        const page = await newPage();
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.locator("main h1").first().waitFor();
        return page;
      };
      const [english, russian] = [await signedIn(emails[0]!, "en"), await signedIn(emails[1]!, "ru")];
      const signingIn = await newPage();
      const watches = [english, russian, signingIn].map(watchConsole);

      const publicHabits = async (page: Page, sentence: string, what: string) => {
        await hang(page, /\/rest\/v1\/public_habits\b/);
        const started = performance.now();
        await page.goto(`${spaUrl}/public`);
        await shownAfterBound(page, sentence, started, what);
        assert.equal(await page.locator("main .loading").count(), 0, `${what}: no spinner left`);
        await page.screenshot({ path: `${shots}/timeout-${what.replaceAll(" ", "-")}.png` });
      };
      const signIn = async () => {
        await signingIn.goto(`${spaUrl}/sign-in`);
        await signingIn.getByLabel("E-mail").fill(emails[0]!);
        await signingIn.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await hang(signingIn, /\/auth\/v1\/token\b/);
        const started = performance.now();
        await signingIn.getByRole("button", { name: "Sign in" }).click();
        await shownAfterBound(signingIn, OFFLINE_EN, started, "sign-in (Auth)");
        assert.ok(await signingIn.getByRole("button", { name: "Sign in" }).isEnabled(), "can try again");
      };
      const started = performance.now();
      await Promise.all([
        publicHabits(english, OFFLINE_EN, "Data API in English"),
        publicHabits(russian, OFFLINE_RU, "Data API in Russian"),
        signIn(),
      ]);
      // One bound, not four: postgrest-js does not retry the cut read (1 + 2 + 4 s apart).
      const ms = performance.now() - started;
      assert.ok(ms < SERVER_TIMEOUT_MS + SLACK_MS, `all three took ${Math.round(ms)} ms`);
      for (const context of contexts) await context.unrouteAll({ behavior: "ignoreErrors" });
      for (const page of [english, russian, signingIn]) await page.unrouteAll({ behavior: "ignoreErrors" });
      const errors = watches.flatMap((watch) => watch.errors);
      assert.deepEqual(errors.filter((error) => !/ERR_|net::/.test(error)), [], "no errors in the console");
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      for (const email of emails) await sql`delete from auth.users where email = ${email}`.catch(() => {});
      await sql.end();
      console.log(`[e2e] screenshots in ${shots}`);
    }
  },
});
