/**
 * Every page of the web app, for the axe walks: at desktop width in spa_today_test.ts, at phone
 * width in phone_axe_test.ts, and the two pages only a person in a given state reaches in
 * gated_pages_axe_test.ts. phone_axe_test.ts fails when a route of web/src/App.tsx is in none of
 * these lists, so a new page cannot miss the walk.
 */
import type { Page } from "playwright-core";

/** Pages a signed-in person opens (the habit's id fills `:habitId`). */
export const signedInPaths = (habitId: string) => [
  "/",
  "/today",
  "/habits",
  "/habits/new",
  `/habits/${habitId}`,
  `/habits/${habitId}/edit`,
  "/public",
  "/telegram",
  "/settings",
  "/api-docs",
  "/swagger",
  "/redoc",
];

/** Pages anyone opens signed out, the landings of a failed link included. */
export const SIGNED_OUT_PATHS = [
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/sign-in/email",
  "/check-email",
  // What an expired confirmation link shows (GoTrue redirects with error_code).
  "/auth/confirm?error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired",
  // The reset page opened without its link.
  "/auth/reset-password",
  "/nowhere",
];

/**
 * Pages a person reaches only in a given state: the authenticator code (TOTP on, signed in with
 * the password) and "Choose your password" (just confirmed). Walked in gated_pages_axe_test.ts.
 */
export const GATED_PATHS = ["/sign-in/two-factor", "/auth/choose-password"];

/** Waits until the page at `path` has drawn what axe should see (the API docs load late). */
export async function readyForAxe(page: Page, path: string): Promise<void> {
  await page.locator("main h1").first().waitFor();
  if (path === "/api-docs" || path === "/swagger") {
    await page.locator(".swagger-ui .opblock-tag").first().waitFor();
  } else if (path === "/redoc") await page.locator(".redoc-container .api-content").first().waitFor();
  else await page.locator(".loading").waitFor({ state: "detached" });
}

/** The routes of web/src/App.tsx (`path="…"` and the index route), as written there. */
export async function appRoutes(): Promise<string[]> {
  const source = await Deno.readTextFile(new URL("../../../web/src/App.tsx", import.meta.url));
  const paths = [...source.matchAll(/<Route\s+path="([^"]+)"/g)].map((match) => `/${match[1]}`);
  return /<Route\s+index\b/.test(source) ? ["/", ...paths] : paths;
}

/** Whether a concrete path (query left out) is one the route pattern serves. */
export function routeServes(route: string, path: string): boolean {
  const concrete = path.split("?")[0]!;
  if (route === "/*") return true;
  const pattern = route.split("/").map((part) => part.startsWith(":") ? "[^/]+" : part).join("/");
  return new RegExp(`^${pattern}$`).test(concrete);
}

/** Routes that no walked path reaches (the catch-all counts only for a path no other route serves). */
export function routesLeftOut(routes: string[], paths: string[]): string[] {
  const specific = routes.filter((route) => route !== "/*");
  return routes.filter((route) =>
    !paths.some((path) =>
      route === "/*" ? !specific.some((other) => routeServes(other, path)) : routeServes(route, path)
    )
  );
}
