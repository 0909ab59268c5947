import type { MiddlewareHandler } from "hono";

/**
 * The apikey rule of Supabase's gateway (Kong key-auth): requests must carry a known key in the
 * `apikey` header or the `?apikey=` query parameter. Routes that e-mail links open in a browser
 * are exempt; callers decide which routes use this middleware.
 */
export function requireApiKey(validKeys: readonly string[]): MiddlewareHandler {
  const known = new Set(validKeys);
  return async (c, next) => {
    const key = apiKeyOf(c.req.raw);
    if (key === null) {
      return c.json({
        message: "No API key found in request",
        hint: "No `apikey` request header or url param was found.",
      }, 401);
    }
    if (!known.has(key)) {
      return c.json({
        message: "Invalid API key",
        hint: "Double check your Supabase `anon` or `service_role` API key.",
      }, 401);
    }
    await next();
  };
}

/** The key sent in the `apikey` header, else in the `apikey` query parameter, else null. */
export function apiKeyOf(request: Request): string | null {
  return request.headers.get("apikey") ?? new URL(request.url).searchParams.get("apikey");
}
