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
