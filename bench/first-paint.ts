/**
 * Today's first paint on a slow 4G link: the production build of web/ against a devstack, served
 * gzipped as a static host serves it, opened cold (no HTTP cache, no service worker) in Chromium
 * with the link throttled through the Chrome DevTools Protocol (Network.emulateNetworkConditions:
 * 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip). Reports the first contentful paint, the
 * moment Today's habits are on the screen (median of the runs), and the compressed JS and CSS the
 * page had fetched by its first paint. The goals (issue 23): a first paint under 1.5 s, and at
 * most 150 kB before it, a check that fails the run (smoke mode included) above that.
 *
 *   bash bench/run.sh first-paint           # 5 runs, writes bench/results/first-paint.json
 *   bash bench/run.sh --smoke first-paint   # 1 run, checks only that both figures are sane
 */
import { createClient } from "@supabase/supabase-js";
import { readBenchEnv } from "./lib/env.ts";
import { Report } from "./lib/report.ts";
import { atScale } from "./lib/smoke.ts";
import { percentile } from "./lib/stats.ts";

const median = (values: number[]) => percentile(values, 50);

const env = readBenchEnv();
// The browser tests' helpers start the stack and build the SPA; they read the database from here.
Deno.env.set("TEST_DB_URL", env.dbUrl);
const { startSpaStack } = await import("../tests/e2e/support/spa-stack.ts");

const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1_000_000) / 8,
  uploadThroughput: (750 * 1_000) / 8,
};
const RUNS = atScale(5, 1);
const PASSWORD = "bench-first-paint-1";
const FIRST_LOAD_BUDGET_KB = 150;

const report = new Report("first-paint");
const app = await startSpaStack("first-paint", () => ({ pgNet: { enabled: false } }));
try {
  const email = `first-paint-${crypto.randomUUID().slice(0, 8)}@bench.local`;
  const created = await app.admin.auth.admin.createUser({ email, password: PASSWORD, email_confirm: true });
  if (created.error) throw created.error;
  const userId = created.data.user!.id;
  await app.admin.from("profiles").update({
    timezone: "Europe/Berlin",
    telegram_chat_id: 4_200_000_000 + Math.floor(Math.random() * 1_000_000),
    telegram_linked_at: new Date().toISOString(),
  }).eq("id", userId).throwOnError();
  // Three habits due today, as a daily user has them.
  const user = createClient(app.stack.urls.api, app.stack.keys.anon, { auth: { persistSession: false } });
  await user.auth.signInWithPassword({ email, password: PASSWORD });
  for (const [action, time] of [["stretch", "07:00"], ["read one page", "12:30"], ["floss", "22:00"]]) {
    await user.from("habits").insert({ action, place: "home", time, duration_seconds: 60 }).throwOnError();
  }

  // Signed in once, unthrottled; each measured run starts from that session (and what the app kept
  // in localStorage), cold otherwise: no HTTP cache, no service worker.
  const setup = await app.browser.newContext({ serviceWorkers: "block" });
  const setupPage = await setup.newPage();
  await setupPage.goto(`${app.spaUrl}/sign-in`);
  await setupPage.getByLabel("E-mail").fill(email);
  await setupPage.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await setupPage.getByRole("button", { name: "Sign in" }).click();
  await setupPage.waitForURL(`${app.spaUrl}/`);
  // Today read once, as a person who comes back daily has it: the profile's answers are on the device.
  await setupPage.getByTestId("today-entry").first().waitFor();
  const storageState = await setup.storageState();
  await setup.close();

  const paints: number[] = [];
  const todays: number[] = [];
  const firstLoads: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await app.browser.newContext({ serviceWorkers: "block", storageState, locale: "en-GB" });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
    await page.goto(`${app.spaUrl}/`, { timeout: 60_000 });
    await page.getByTestId("today-entry").first().waitFor({ timeout: 60_000 });
    const { paint, today, firstLoad } = await page.evaluate(() => {
      const paint = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1;
      // What came over the wire (compressed) for the app's code and styles before the first paint.
      const firstLoad = (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((entry) => /\/assets\/[^/]+\.(js|css)$/.test(new URL(entry.name).pathname))
        .filter((entry) => entry.responseEnd <= paint)
        .reduce((sum, entry) => sum + entry.encodedBodySize, 0);
      return { paint, today: performance.now(), firstLoad };
    });
    paints.push(paint);
    todays.push(today);
    firstLoads.push(firstLoad / 1000);
    await context.close();
  }
  report.add(
    "link",
    "1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip (CDP), cold: no cache, no service worker",
  );
  report.add(
    "served",
    "gzip at zlib's best level, as a static host serves files compressed ahead (tests/e2e/support/spa.ts)",
  );
  report.add("runs", RUNS);
  report.add("first_contentful_paint_ms", {
    median: Math.round(median(paints)),
    all: paints.map(Math.round),
  });
  report.add("today_habits_shown_ms", { median: Math.round(median(todays)), all: todays.map(Math.round) });
  report.add("js_css_before_first_paint_kb", {
    median: Number(median(firstLoads).toFixed(1)),
    budget: FIRST_LOAD_BUDGET_KB,
  });
  report.check("a first contentful paint was recorded", paints.every((value) => value > 0), paints);
  report.check("Today's habits came after the first paint", todays.every((value, i) => value >= paints[i]!));
  report.check(
    `at most ${FIRST_LOAD_BUDGET_KB} kB of compressed JS and CSS before the first paint`,
    firstLoads.every((kb) => kb > 0 && kb <= FIRST_LOAD_BUDGET_KB),
    firstLoads,
  );
  await user.auth.signOut();
  await app.admin.auth.admin.deleteUser(userId);
} finally {
  await app.close();
}
await report.finish();
