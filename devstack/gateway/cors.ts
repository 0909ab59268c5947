import type { MiddlewareHandler } from "hono";

/**
 * CORS as Supabase's gateway answers it (Kong's cors plugin): preflight requests are answered by
 * the gateway itself with 200, before any apikey check, and every other response carries
 * Access-Control-Allow-Origin (overriding whatever the upstream set, as the plugin does).
 */
export const ALLOWED_METHODS = "GET,POST,PUT,PATCH,DELETE,OPTIONS";
export const EXPOSED_HEADERS = "Content-Range,X-Supabase-Api-Version";
const DEFAULT_ALLOWED_HEADERS =
  "authorization,x-client-info,apikey,content-type,prefer,accept-profile,content-profile,x-supabase-api-version,range";

export function cors(): MiddlewareHandler {
  return async (c, next) => {
    const request = c.req.raw;
    const isPreflight = request.method === "OPTIONS" && request.headers.has("access-control-request-method");
    if (isPreflight) {
      const headers = new Headers({
        "access-control-allow-origin": "*",
        "access-control-allow-methods": ALLOWED_METHODS,
        "access-control-allow-headers": request.headers.get("access-control-request-headers") ??
          DEFAULT_ALLOWED_HEADERS,
        "access-control-max-age": "3600",
        "content-length": "0",
      });
      return new Response(null, { status: 200, headers });
    }
    await next();
    // A WebSocket handshake (101) has no CORS and cannot be copied.
    if (c.res.status === 101) return;
    // Responses coming from fetch() have immutable headers: copy them before changing.
    const response = new Response(c.res.body, c.res);
    response.headers.set("access-control-allow-origin", "*");
    response.headers.set("access-control-expose-headers", EXPOSED_HEADERS);
    c.res = response;
  };
}
