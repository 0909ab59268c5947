import { GrammyError } from "grammy";
import { shorten } from "../_shared/telegram-length.ts";
import type { BotContext } from "./context.ts";

/** Telegram's button labels show about 40 characters; longer ones end in "…". */
const LABEL_LIMIT = 40;

/**
 * Shows a recorded Done on the message whose button was pressed: the pressed button's row becomes
 * one "☑️ Done: <habit>" button (pressing it again answers "already recorded"). This runs for the
 * first press and for Telegram's redelivery alike, so the person sees the result even when the
 * first handling died and the callback query has expired (Telegram then refuses its answer:
 * "query is too old", Bot API answerCallbackQuery). An edit Telegram refuses (the mark is there
 * already: "message is not modified"; the message is gone) changes nothing and is logged.
 */
export async function markDoneOnMessage(ctx: BotContext, action: string): Promise<void> {
  const query = ctx.callbackQuery;
  // date 0: the message is no longer accessible to the bot (Bot API, MaybeInaccessibleMessage).
  if (!query?.data || !query.message || query.message.date === 0) return;
  const data = query.data;
  const full = ctx.t.doneMark(action);
  const mark = {
    text: shorten(full, LABEL_LIMIT),
    callback_data: data,
  };
  const rows = query.message.reply_markup?.inline_keyboard;
  const hasPressed = rows?.some((row) => row.some((b) => "callback_data" in b && b.callback_data === data));
  // A reminder's keyboard is Done and Snooze in one row; without the keyboard in the update, that is all it had.
  const marked = rows && hasPressed
    ? rows.map((row) => row.some((b) => "callback_data" in b && b.callback_data === data) ? [mark] : row)
    : data.startsWith("done:")
    ? [[mark]]
    : null;
  if (!marked) return;
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: marked } });
  } catch (error) {
    if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
    console.error(`telegram-webhook: marking Done on its message: ${error.description}; left as it is`);
  }
}
