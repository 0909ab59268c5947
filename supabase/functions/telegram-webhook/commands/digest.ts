import { Composer } from "grammy";
import { type BotContext, type BotDeps, html, linkedOnly, profileOf } from "../context.ts";

/** /digest on|off: the weekly summary's opt-in; without an argument, how it stands. */
export function digestCommand({ habits }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("digest", linkedOnly, async (ctx) => {
    const t = ctx.t;
    const profile = profileOf(ctx);
    const wanted = String(ctx.match ?? "").trim().toLowerCase();
    if (wanted === "on" || wanted === "off") {
      const setting = await habits.setDigest(profile.id, wanted === "on");
      const reply = wanted === "on"
        ? t.digestOn(
          t.weekdays[setting.digest_weekday],
          t.clock(setting.digest_time),
        )
        : t.digestOff;
      return await ctx.reply(reply, html);
    }
    await ctx.reply(
      t.digestUsage(
        profile.weekly_digest,
        t.weekdays[profile.digest_weekday],
        t.clock(profile.digest_time),
      ),
      html,
    );
  });
  return composer;
}
