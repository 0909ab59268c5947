import type { MiddlewareHandler } from "hono";
import type { Caller } from "./caller.ts";

/** Hono context of a route that `requireCaller` guards: the authenticated caller. */
export type CallerEnv = { Variables: { caller: Caller } };

/**
 * The shared authentication step (caller.ts `authenticate`) as hono middleware: the route runs
 * only for a caller it accepts, who is then `c.get("caller")`; anyone else gets its 401 or 403.
 */
export function requireCaller(
  authenticate: (request: Request) => Promise<Caller | Response>,
): MiddlewareHandler<CallerEnv> {
  return async (c, next) => {
    const outcome = await authenticate(c.req.raw);
    if (outcome instanceof Response) return outcome;
    c.set("caller", outcome);
    await next();
  };
}
