import { Composer, InlineKeyboard } from "grammy";
import { type BotContext, type BotDeps, html, linkedOnly } from "../context.ts";

/** /stop: disconnects the chat, after a confirmation. */
export function stopCommand({ store }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("stop", linkedOnly, async (ctx) => {
    const keyboard = new InlineKeyboard().text(ctx.t.stopYes, "stop:confirm")
      .text(ctx.t.stopNo, "stop:cancel");
    await ctx.reply(ctx.t.stopQuestion, { ...html, reply_markup: keyboard });
  });

  composer.callbackQuery("stop:confirm", async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId !== undefined) await store.unlinkChat(chatId);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t.stopped, html);
  });

  composer.callbackQuery("stop:cancel", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t.stopCancelled, html);
  });

  return composer;
}
