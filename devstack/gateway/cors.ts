import type { MiddlewareHandler } from "hono";

/**
 * CORS as Supabase's gateway answers it: Kong's cors plugin with its defaults
 * (kong/plugins/cors/handler.lua) on /auth/v1, /rest/v1 and /realtime/v1. A preflight (OPTIONS with
 * Origin and Access-Control-Request-Method) is answered by the gateway itself with 200, before any
 * apikey check; every other response gets Access-Control-Allow-Origin: * (overriding whatever the
 * upstream set), and keeps the Access-Control-Expose-Headers its upstream sends. /functions/v1
 * gets none: on the hosted platform a function answers CORS itself.
 */
export const ALLOWED_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT";

/**
 * What each upstream exposes when the request has an Origin: PostgREST's corsExposedHeaders
 * (src/PostgREST/Cors.hs, wai-cors joins them with ", ") and GoTrue's ExposedHeaders
 * (internal/api/api.go, rs/cors). The stand-ins do not send these themselves, so the gateway does.
 */
const UPSTREAM_EXPOSED: [prefix: string, headers: string][] = [
  [
    "/rest/v1",
    "Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, " +
    "Transfer-Encoding, Range-Unit",
  ],
  ["/auth/v1/", "X-Total-Count, Link, X-Supabase-Api-Version"],
];

const underPrefix = (pathname: string, prefix: string) =>
  pathname === prefix || pathname.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);

export function cors(): MiddlewareHandler {
  return async (c, next) => {
    const request = c.req.raw;
    const origin = request.headers.get("origin");
    if (request.method === "OPTIONS" && origin && request.headers.has("access-control-request-method")) {
      const headers = new Headers({
        "access-control-allow-origin": "*",
        "access-control-allow-methods": ALLOWED_METHODS,
        "content-length": "0",
      });
      const requested = request.headers.get("access-control-request-headers");
      if (requested) headers.set("access-control-allow-headers", requested);
      return new Response(null, { status: 200, headers });
    }
    await next();
    // A WebSocket handshake (101) has no CORS and cannot be copied.
    if (c.res.status === 101) return;
    // Responses coming from fetch() have immutable headers: copy them before changing.
    const response = new Response(c.res.body, c.res);
    response.headers.set("access-control-allow-origin", "*");
    const pathname = new URL(request.url).pathname;
    const exposed = UPSTREAM_EXPOSED.find(([prefix]) => underPrefix(pathname, prefix))?.[1];
    if (origin && exposed) response.headers.set("access-control-expose-headers", exposed);
    c.res = response;
  };
}
