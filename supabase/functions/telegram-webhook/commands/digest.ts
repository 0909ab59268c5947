import { Composer } from "grammy";
import { type BotContext, type BotDeps, html, linkedOnly, profileOf } from "../context.ts";

/** /digest on|off: the weekly summary's opt-in; without an argument, how it stands. */
export function digestCommand({ habits }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("digest", linkedOnly, async (ctx) => {
    const t = ctx.t;
    const userId = profileOf(ctx).id;
    const wanted = String(ctx.match ?? "").trim().toLowerCase();
    if (wanted === "on" || wanted === "off") {
      const setting = await habits.setDigest(userId, wanted === "on");
      const reply = wanted === "on"
        ? t.digestOn(
          t.weekdays[setting.digest_weekday],
          t.clock(setting.digest_time),
        )
        : t.digestOff;
      return await ctx.reply(reply, html);
    }
    const setting = await habits.digestSetting(userId);
    await ctx.reply(
      t.digestUsage(
        setting.weekly_digest,
        t.weekdays[setting.digest_weekday],
        t.clock(setting.digest_time),
      ),
      html,
    );
  });
  return composer;
}
