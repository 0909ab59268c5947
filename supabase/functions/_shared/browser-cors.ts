import { cors } from "hono/cors";
import type { MiddlewareHandler } from "hono";

/**
 * CORS for a function the SPA calls from the browser. The hosted platform's gateway adds none to
 * /functions/v1 (supabase.com/docs/guides/functions/cors): the function answers the preflight
 * (204, the request's headers allowed) and marks every answer, errors included, as readable by any
 * origin. Any origin is safe here because callers authenticate with a bearer token, never a cookie.
 * Put first, before method checks and authentication, which a preflight never passes.
 */
export function browserCors(method: "GET" | "POST"): MiddlewareHandler {
  return cors({ origin: "*", allowMethods: [method, "OPTIONS"], maxAge: 3600 });
}
