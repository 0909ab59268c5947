import type { InlineKeyboard } from "grammy";
import { type BotContext, html } from "./context.ts";
import type { ReplyPart, WebhookStore } from "./store.ts";

/**
 * Answers with `parts` (HTML), `keyboard` under the last one. One part is sent at once. Several
 * are queued through the outbox, once per update, and the reminders dispatcher sends them within
 * the chat's limits: sending them here took a second each, so a long reply outlasted Telegram's
 * 60 s webhook wait, and the redelivered update sent every part again.
 */
export async function replyInParts(
  ctx: BotContext,
  store: WebhookStore,
  parts: string[],
  keyboard?: InlineKeyboard,
): Promise<void> {
  const markup = keyboard
    ? { inline_keyboard: keyboard.inline_keyboard.filter((row) => row.length > 0) }
    : undefined;
  if (parts.length === 1) {
    await ctx.reply(parts[0], { ...html, ...(markup ? { reply_markup: markup } : {}) });
    return;
  }
  const queued: ReplyPart[] = parts.map((text, index) =>
    index === parts.length - 1 && markup ? { text, reply_markup: markup } : { text }
  );
  const chatId = ctx.chat?.id;
  if (chatId === undefined) throw new Error("replyInParts: the update has no chat");
  if (await store.queueReply(ctx.update.update_id, chatId, queued) === 0) {
    console.error(`telegram-webhook: update ${ctx.update.update_id}: its reply was queued before; not again`);
  }
}
