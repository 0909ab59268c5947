/**
 * axe on every page at phone width (390×844), in both languages and both themes, API docs
 * included: no serious or critical finding (the desktop walk is in spa_today_test.ts, the pages
 * behind two-factor sign-in and a first confirmation in gated_pages_axe_test.ts; the pages are
 * listed once, in support/every-page.ts). Also no page is wider than the phone, and each has one
 * main landmark (Swagger UI brings its own).
 */
import assert from "node:assert/strict";
import { connectTestDatabase, uniqueChatId } from "../support/database.ts";
import { describeFindings, seriousAxeFindings } from "./support/axe.ts";
import { failFastSteps, PHONE, screenshotDir, watchConsole } from "./support/browser.ts";
import {
  appRoutes,
  GATED_PATHS,
  readyForAxe,
  routesLeftOut,
  SIGNED_OUT_PATHS,
  signedInPaths,
} from "./support/every-page.ts";
import { startSpaStack } from "./support/spa-stack.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";

Deno.test("the axe walks reach every route of App.tsx", async () => {
  const walked = [
    ...signedInPaths("00000000-0000-0000-0000-000000000000"),
    ...SIGNED_OUT_PATHS,
    ...GATED_PATHS,
  ];
  const routes = await appRoutes();
  assert.ok(routes.length > 20, `only ${routes.length} routes read from App.tsx`);
  assert.deepEqual(routesLeftOut(routes, walked), [], "routes no axe walk opens");
  // The check itself: a route missing from the lists is reported.
  assert.deepEqual(routesLeftOut([...routes, "/habits/:habitId/share"], walked), ["/habits/:habitId/share"]);
});

Deno.test({
  name:
    "every page at phone width, both languages and themes: no serious axe finding, nothing wider than the phone",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `phone-axe-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const app = await startSpaStack("phone-axe", () => ({ pgNet: { enabled: false } }));
      cleanups.push(() => app.close());
      const { spaUrl, browser, admin } = app;
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now() where id = ${userId}`;
      const [habit] = await sql`insert into public.habits (owner_id, action, place, time, duration_seconds)
        values (${userId}, 'stretch for a minute', 'the hall', '07:00', 60) returning id`;
      await sql`update public.habits set starts_on = (now() at time zone ${ZONE})::date - 60 where id = ${
        habit!.id
      }`;

      const phone = { viewport: PHONE, isMobile: true, hasTouch: true, timezoneId: ZONE, locale: "en-GB" };
      const signedIn = await browser.newContext(phone);
      const guestContext = await browser.newContext(phone);
      cleanups.push(() => signedIn.close(), () => guestContext.close());
      const page = await signedIn.newPage();
      const guest = await guestContext.newPage();
      page.setDefaultTimeout(20_000);
      guest.setDefaultTimeout(20_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-phone-axe.png`);

      await step("sign in", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
      });

      const signedInPages = signedInPaths(habit!.id);
      const signedOutPages = SIGNED_OUT_PATHS;

      await step("axe and the page width on every page, both languages, both themes", async () => {
        const problems: string[] = [];
        for (const language of ["ru", "en"] as const) {
          await sql`update public.profiles set language = ${language} where id = ${userId}`;
          for (const theme of ["light", "dark"] as const) {
            for (const [target, paths] of [[page, signedInPages], [guest, signedOutPages]] as const) {
              await target.goto(`${spaUrl}/sign-up`);
              await target.evaluate(([lang, mode]) => {
                localStorage.setItem("habits.language", lang!);
                localStorage.setItem("habits.theme", mode!);
              }, [language, theme]);
              for (const path of paths) {
                await target.goto(`${spaUrl}${path}`);
                await readyForAxe(target, path);
                const findings = await seriousAxeFindings(target);
                if (findings.length > 0) {
                  problems.push(`${language} ${theme} ${path}:\n${describeFindings(findings)}`);
                }
                const mains = await target.evaluate(() =>
                  document.querySelectorAll("main:not([role]), [role=main]").length
                );
                if (mains !== 1) problems.push(`${language} ${theme} ${path}: ${mains} main landmarks`);
                const width = await target.evaluate(() => document.documentElement.scrollWidth);
                if (width > PHONE.width) problems.push(`${language} ${theme} ${path}: ${width} px wide`);
              }
            }
          }
        }
        assert.deepEqual(problems, [], problems.join("\n\n"));
      });
    } finally {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error) => console.error("[e2e] cleanup failed:", error));
      }
      await sql`delete from auth.users where email = ${email}`.catch(() => {});
      await sql.end();
    }
  },
});
