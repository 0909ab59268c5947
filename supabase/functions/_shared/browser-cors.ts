import { cors } from "hono/cors";
import { Hono, type MiddlewareHandler } from "hono";
import { misconfiguredResponse } from "./env.ts";

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

/**
 * What such a function answers when its environment is incomplete: the preflight, then its 500
 * function_misconfigured with CORS, so that the browser lets the SPA read it.
 */
export function misconfiguredForBrowser(
  method: "GET" | "POST",
  problems: string[],
): (request: Request) => Response | Promise<Response> {
  const app = new Hono();
  app.use(browserCors(method));
  app.all("*", () => misconfiguredResponse(problems));
  return (request) => app.fetch(request);
}
