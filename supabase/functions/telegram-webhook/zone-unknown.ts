import type { MiddlewareFn } from "grammy";
import { type BotContext, html } from "./context.ts";

/** Postgres refusing a zone it no longer knows: 22023 `time zone "…" not recognized`. */
function isUnknownZone(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "22023" && typeof message === "string" && /time zone .* not recognized/.test(message);
}

/**
 * A profile's zone can stop resolving after it was stored (a legacy name when tzdata-legacy
 * leaves the server): the tick then pauses the person with a reason (private.run_reminder_tick).
 * Every handler that works out a day or a time fails the same way, so the failure is answered
 * here with the zone's sentence instead of a 500, which Telegram would redeliver again and again.
 * What the handler recorded before the failure stands.
 */
export const answerUnknownZone: MiddlewareFn<BotContext> = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    if (!ctx.profile || !isUnknownZone(error)) throw error;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t.zoneUnknown(ctx.profile.timezone), html);
  }
};
