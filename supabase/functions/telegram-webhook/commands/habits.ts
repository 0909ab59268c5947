import { Composer, InlineKeyboard } from "grammy";
import { decodeHabitsPage, encodeHabitsPage } from "../../_shared/callback-data.ts";
import { answerStale, type BotContext, type BotDeps, html, linkedOnly, profileOf } from "../context.ts";
import type { WebhookStore } from "../store.ts";

/** /habits: the list, paged: one message with "Previous"/"Next" buttons that edit it in place. */
export function habitsCommand({ store }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("habits", linkedOnly, async (ctx) => {
    const { text, keyboard } = await habitsPage(
      ctx,
      store,
      profileOf(ctx).id,
      0,
    );
    await ctx.reply(text, { ...html, reply_markup: keyboard });
  });

  composer.callbackQuery(/^habits:/, async (ctx) => {
    const wanted = decodeHabitsPage(ctx.callbackQuery.data);
    if (wanted === null || ctx.chat?.id === undefined || !ctx.profile) {
      return await answerStale(ctx);
    }
    const { text, keyboard, moved } = await habitsPage(
      ctx,
      store,
      ctx.profile.id,
      wanted,
    );
    await ctx.answerCallbackQuery(
      moved ? { text: ctx.t.buttonAlert.habits_changed } : {},
    );
    await ctx.editMessageText(text, { ...html, reply_markup: keyboard });
  });

  return composer;
}

async function habitsPage(
  ctx: BotContext,
  store: WebhookStore,
  userId: string,
  wanted: number,
) {
  const pages = ctx.t.habitPages(await store.habitsOf(userId));
  const page = Math.min(wanted, pages.length - 1);
  const keyboard = new InlineKeyboard();
  if (page > 0) keyboard.text(ctx.t.previous, encodeHabitsPage(page - 1));
  if (page < pages.length - 1) {
    keyboard.text(ctx.t.next, encodeHabitsPage(page + 1));
  }
  // A single page gets no keyboard at all (not an empty one).
  return {
    text: pages[page],
    keyboard: pages.length > 1 ? keyboard : undefined,
    moved: page !== wanted,
  };
}
