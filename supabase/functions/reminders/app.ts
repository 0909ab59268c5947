import { Hono, type MiddlewareHandler } from "hono";
import { timingSafeEqual } from "../_shared/secrets.ts";
import type { DispatchReport } from "./dispatcher.ts";

/**
 * POST delivers the outbox. Callers authenticate with `Authorization: Bearer <secret>`: the
 * reminders secret pg_cron sends (from Vault), or the service-role key. Nobody else may trigger
 * sends, so the function is never open even though verify_jwt is off.
 */
export function createRemindersApp(
  options: { acceptedSecrets: string[]; dispatch: () => Promise<DispatchReport> },
) {
  const app = new Hono();

  // The details go to the log only: an answer names no hosts, ports or database errors.
  app.onError((error, c) => {
    console.error("reminders: the run failed:", error instanceof Error ? error.message : error);
    return c.json({
      error: "internal_error",
      message: "The run failed; what was not sent stays queued for the next run.",
    }, 500);
  });

  app.post("*", bearerSecret(options.acceptedSecrets), async (c) => c.json(await options.dispatch()));

  app.all(
    "*",
    (c) => c.json({ error: "method_not_allowed", message: "POST to deliver pending reminders." }, 405),
  );
  return app;
}

/** Lets on only requests whose `Authorization: Bearer` is one of `accepted` (constant-time compare). */
function bearerSecret(accepted: string[]): MiddlewareHandler {
  return async (c, next) => {
    const token = c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
    if (!accepted.some((secret) => timingSafeEqual(token, secret))) {
      return c.json({ error: "unauthorized", message: "A valid Bearer secret is required." }, 401);
    }
    await next();
  };
}
