/**
 * A new build replaces the old one on the device: its service worker (web/sw.js, given the build's
 * id by web/service-worker.ts) installs, fills a cache of its own and deletes the older build's,
 * so hashed files of old builds do not pile up; and offline still works from the new cache:
 * Today from its last load within 1 s with one notice, My habits and Settings too.
 * Two real builds of web/ are served in turn on the same address, as a deploy would.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startStack } from "../../devstack/stack.ts";
import { connectTestDatabase, testDatabaseUrl, uniqueChatId } from "../support/database.ts";
import { DESKTOP, failFastSteps, launchChromium, screenshotDir, watchConsole } from "./support/browser.ts";
import { buildSpa, freePort, serveSpa, type SpaServer } from "./support/spa.ts";
import { createClient } from "@supabase/supabase-js";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";

const PASSWORD = "habits2go4it";
const ZONE = "Europe/Berlin";
const NOTICE = "You are offline. Showing what was loaded at";

/** The cache name a build's sw.js carries. */
async function cacheOfBuild(dir: string): Promise<string> {
  const worker = await Deno.readTextFile(join(dir, "sw.js"));
  const id = /const CACHE = `\$\{PREFIX\}([0-9a-f]{16})`/.exec(worker)?.[1];
  assert.ok(id, "sw.js carries a 16-digit build id");
  return `habits-shell-${id}`;
}

async function cacheNames(page: Page): Promise<string[]> {
  return (await page.evaluate(() => caches.keys())).sort();
}

/** The paths kept in one cache. */
function cachedPaths(page: Page, cache: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const requests = await (await caches.open(name)).keys();
    return requests.map((request) => new URL(request.url).pathname);
  }, cache);
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

Deno.test({
  name: "a new build's service worker deletes the old build's cache and keeps the app offline",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const sql = connectTestDatabase();
    const shots = await screenshotDir();
    const email = `sw-update-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cleanups: (() => Promise<unknown>)[] = [];
    try {
      const port = freePort();
      const spaUrl = `http://127.0.0.1:${port}`;
      const stack = await startStack({
        databaseUrl: testDatabaseUrl(),
        siteUrl: spaUrl,
        uriAllowList: [`${spaUrl}/**`],
        pgNet: { enabled: false },
      });
      cleanups.push(() => stack.stop());
      const [first, second] = [
        await Deno.makeTempDir({ prefix: "habits-spa-sw-1-" }),
        await Deno.makeTempDir({ prefix: "habits-spa-sw-2-" }),
      ];
      cleanups.push(() => Deno.remove(first, { recursive: true }));
      cleanups.push(() => Deno.remove(second, { recursive: true }));
      // Two builds that differ as a deploy's would: here the URL's spelling (the app drops a
      // trailing slash), which changes the main chunk and so every hash after it.
      await buildSpa({ supabaseUrl: stack.urls.api, anonKey: stack.keys.anon, outDir: first });
      await buildSpa({ supabaseUrl: `${stack.urls.api}/`, anonKey: stack.keys.anon, outDir: second });
      const [oldCache, newCache] = [await cacheOfBuild(first), await cacheOfBuild(second)];
      assert.notEqual(oldCache, newCache, "another build, another cache");
      const again = await Deno.makeTempDir({ prefix: "habits-spa-sw-again-" });
      cleanups.push(() => Deno.remove(again, { recursive: true }));
      await buildSpa({ supabaseUrl: stack.urls.api, anonKey: stack.keys.anon, outDir: again });
      assert.equal(
        await cacheOfBuild(again),
        oldCache,
        "the same sources, the same cache: nothing refetched",
      );

      let server: SpaServer = serveSpa(first, port);
      cleanups.push(() => server.close());
      const browser = await launchChromium();
      cleanups.push(() => browser.close());

      const admin = createClient(stack.urls.api, stack.keys.serviceRole, { auth: { persistSession: false } });
      const created = await admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
      assert.equal(created.error, null);
      const userId = created.data.user?.id as string;
      await sql`update public.profiles set timezone = ${ZONE}, telegram_chat_id = ${uniqueChatId()},
                telegram_linked_at = now(), language = 'en', display_name = 'Updated Ute'
                where id = ${userId}`;
      await sql`insert into public.habits (owner_id, action, place, time, duration_seconds, starts_on)
        values (${userId}, 'water the plants', 'the kitchen', '23:59', 60,
                (now() at time zone ${ZONE})::date - 1)`;

      const context = await browser.newContext({ viewport: DESKTOP, timezoneId: ZONE, locale: "en-GB" });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const consoleWatch = watchConsole(page);
      const step = failFastSteps(t, page, consoleWatch, `${shots}/failed-sw-update-step.png`);
      let oldAssets: string[] = [];

      await step("the first build's worker keeps the app in the first build's cache", async () => {
        await page.goto(`${spaUrl}/sign-in`);
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.waitForURL(`${spaUrl}/`);
        await page.getByTestId("today-entry").first().waitFor();
        await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
        assert.deepEqual(await cacheNames(page), [oldCache]);
        const listed: string[] = JSON.parse(await Deno.readTextFile(join(first, "precache.json")));
        await waitFor("the first build's files in its cache", async () => {
          const kept = new Set(await cachedPaths(page, oldCache));
          return listed.every((file) => kept.has(file));
        });
        oldAssets = listed.filter((file) => file.startsWith("/assets/"));
        await page.goto(`${spaUrl}/habits`);
        await page.locator(".habit-card").first().waitFor();
        await page.goto(`${spaUrl}/settings`);
        await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
      });

      await step("after a deploy, the new build's worker takes over and deletes the old cache", async () => {
        await server.close();
        server = serveSpa(second, port);
        await page.goto(`${spaUrl}/`);
        await page.getByTestId("today-entry").first().waitFor();
        await page.evaluate(async () => {
          await (await navigator.serviceWorker.getRegistration())?.update();
        });
        await waitFor("the old cache to go", async () => {
          const names = await cacheNames(page);
          return names.length === 1 && names[0] === newCache;
        });
        const kept = new Set(await cachedPaths(page, newCache));
        const listed: string[] = JSON.parse(await Deno.readTextFile(join(second, "precache.json")));
        const missing = listed.filter((file) => !kept.has(file));
        assert.deepEqual(missing, [], "every file of the new build is kept");
        const stale = oldAssets.filter((file) => kept.has(file) && !listed.includes(file));
        assert.deepEqual(stale, [], "no file only the old build had");
        const state = await page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return {
            active: registration?.active?.state,
            waiting: registration?.waiting === null,
            controlled: navigator.serviceWorker.controller !== null,
          };
        });
        assert.deepEqual(state, { active: "activated", waiting: true, controlled: true });
      });

      await step("offline, the new build opens Today within 1 s, My habits and Settings too", async () => {
        // Loaded online once by the new build, so that its own last loads are the ones shown.
        await page.goto(`${spaUrl}/habits`);
        await page.locator(".habit-card").first().waitFor();
        await page.goto(`${spaUrl}/`);
        await page.getByTestId("today-entry").first().waitFor();
        await context.setOffline(true);
        try {
          await page.reload({ waitUntil: "commit" });
          await page.getByTestId("today-entry").first().waitFor();
          const ms = await page.evaluate(() => performance.now());
          console.log(`[e2e] after the update, offline Today showed ${Math.round(ms)} ms after the reload`);
          assert.ok(ms < 1_000, `Today showed after ${Math.round(ms)} ms`);
          await page.getByText(NOTICE).waitFor();
          assert.equal(await page.getByTestId("saved-data-notice").count(), 1);
          await page.goto(`${spaUrl}/habits`);
          await page.locator(".habit-card", { hasText: "water the plants" }).waitFor();
          await page.goto(`${spaUrl}/settings`);
          await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
          assert.equal(await page.getByLabel("Display name").inputValue(), "Updated Ute");
          assert.equal(await page.getByTestId("page-error").count(), 0, "every page's code was kept");
        } finally {
          await context.setOffline(false);
        }
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
