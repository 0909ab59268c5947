import type { Transformer } from "grammy";
import { NoSendSlotError, type SendBudget, waitForSendSlot } from "../_shared/send-budget.ts";

/** A reply not sent because the chat's next free slot, or Telegram's retry_after, is too far off. */
export class ReplyNotSentError extends Error {
  constructor(readonly chatId: string, reason: string) {
    super(`reply to chat ${chatId} not sent: ${reason}`);
    this.name = "ReplyNotSentError";
  }
}

/** Telegram's answer to a callback query answered already, or after its ~15 s window. */
const staleQuery = /query is too old|query id is invalid/i;

/**
 * Keeps the webhook's Bot API calls within Telegram's limits, which it shares with the reminders
 * dispatcher and every other instance (the bot's one send budget, private.take_telegram_send_slots):
 * - each sendMessage first takes a slot in the database (the bot's rate, the chat's gap, any
 *   announced retry_after) and waits for it, at most `maxWaitMs`; a retry_after announced while
 *   it waits voids the slot and it takes another;
 * - a 429 anyway pauses every sender for retry_after (recorded in the database); the reply is
 *   sent again once, when its next slot is within `maxWaitMs`;
 * - a 400 for a callback query answered already (a redelivered update) or too old is logged and
 *   taken as done: the button's effect is recorded, and the rest of the handler still runs.
 * Beyond the bound it throws ReplyNotSentError (or returns the 429), and the webhook ends the
 * update with its effects committed instead of failing it.
 */
export function paceReplies(
  budget: SendBudget,
  options: { maxWaitMs: number; now?: () => number },
): Transformer {
  const now = options.now ?? (() => performance.now());
  return async (prev, method, payload, signal) => {
    if (method !== "sendMessage") {
      const result = await prev(method, payload, signal);
      if (
        method === "answerCallbackQuery" && !result.ok &&
        result.error_code === 400 &&
        staleQuery.test(result.description)
      ) {
        console.error(
          `telegram-webhook: answerCallbackQuery: ${result.description}; taken as answered`,
        );
        return { ok: true, result: true } as unknown as typeof result;
      }
      return result;
    }
    const chatId = String((payload as { chat_id?: unknown }).chat_id);
    const send = async () => {
      try {
        await waitForSendSlot(budget, chatId, options.maxWaitMs, now);
      } catch (error) {
        if (!(error instanceof NoSendSlotError)) throw error;
        throw new ReplyNotSentError(chatId, `the next free slot is ${Math.round(error.msAway)} ms away`);
      }
      return await prev(method, payload, signal);
    };
    const first = await send();
    if (first.ok || first.error_code !== 429) return first;
    const retryAfter = first.parameters?.retry_after ?? 1;
    await budget.pause(retryAfter);
    if (retryAfter * 1000 > options.maxWaitMs) return first;
    return await send();
  };
}
