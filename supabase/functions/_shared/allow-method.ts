import type { MiddlewareHandler } from "hono";

/**
 * Lets on only `method`: a CORS preflight (OPTIONS) gets 204, any other method 405. Put first,
 * before authentication; it also keeps HEAD out, which hono would otherwise route as GET.
 */
export function allowMethod(method: "GET" | "POST"): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return c.body(null, 204);
    if (c.req.method !== method) {
      return c.json({ error: "method_not_allowed", message: `Use ${method}.` }, 405);
    }
    await next();
  };
}
