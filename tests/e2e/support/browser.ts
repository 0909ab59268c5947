import { sleep } from "../../../supabase/functions/_shared/sleep.ts";
import { type Browser, chromium, type Page } from "playwright-core";

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Where screenshots go: E2E_SCREENSHOT_DIR, or a fresh temporary directory. */
export async function screenshotDir(): Promise<string> {
  const dir = Deno.env.get("E2E_SCREENSHOT_DIR") ?? await Deno.makeTempDir({ prefix: "habits-e2e-shots-" });
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

/**
 * A step runner that stops the test at the first failed step (the rest would be meaningless),
 * with a screenshot, the page's text and the console errors.
 */
export function failFastSteps(
  t: Deno.TestContext,
  page: Page,
  console: { errors: string[] },
  screenshotPath: string,
): (name: string, body: () => Promise<void>) => Promise<void> {
  return async (name, body) => {
    if (await t.step(name, body)) return;
    await page.screenshot({ path: screenshotPath }).catch(() => {});
    const text = await page.locator("main").innerText().catch(() => "");
    throw new Error(
      `step failed: ${name}\nat ${page.url()}, the page said:\n${text}\nconsole: ${console.errors}`,
    );
  };
}

/** Debian's Chromium, headless, with the flags of the toolchain recipe (R3). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/**
 * Collects what the page reports as errors. Chromium logs every 4xx/5xx answer as "Failed to load
 * resource"; the tests provoke some on purpose (a wrong password, a rule violation), so those are
 * kept apart from real errors.
 */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      errors.push(message.text());
    }
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return { errors };
}

/**
 * Waits until `read()` (an input's value, an element's text) equals `expected`, as a person would
 * wait for a page that is still loading; fails with the last value seen after `timeoutMs`.
 */
export async function expectEventually(
  read: () => Promise<string>,
  expected: string,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await read();
  while (seen !== expected) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, still ${JSON.stringify(seen)}`);
    }
    await sleep(50);
    seen = await read();
  }
}
