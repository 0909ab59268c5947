import { type Browser, chromium, type Page } from "playwright-core";

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
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await read();
  }
}
