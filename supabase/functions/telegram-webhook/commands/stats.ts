import { Composer } from "grammy";
import { type BotContext, type BotDeps, html, linkedOnly, profileOf } from "../context.ts";
import { visibleLength } from "../../_shared/telegram-length.ts";
import { replyInParts } from "../long-reply.ts";
import { pageLines } from "../paging.ts";

/** /stats: each habit's streak, best streak and last marks. */
export function statsCommand({ habits, store }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("stats", linkedOnly, async (ctx) => {
    const t = ctx.t;
    const rows = await habits.streaks(profileOf(ctx).id);
    if (rows.length === 0) return await ctx.reply(t.statsEmpty, html);
    const lines = rows.map((row) =>
      t.statsLine(
        row.action,
        row.streak,
        row.best_streak,
        row.last_marks,
        row.is_paused,
      )
    );
    const heading = `<b>${t.statsHeading}</b>\n\n`;
    const pages = pageLines(lines, visibleLength(heading)).map((page, index) =>
      (index === 0 ? heading : "") + page.join("\n")
    );
    await replyInParts(ctx, store, pages);
  });
  return composer;
}
