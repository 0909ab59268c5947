import type { Transformer } from "grammy";
import { takeChatSendSlot } from "../_shared/chat-slots.ts";
import { sleep } from "../_shared/sleep.ts";
import type { Database } from "../_shared/db.ts";

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
 * Keeps the webhook's Bot API calls within Telegram's per-chat limit, which it shares with the
 * reminders dispatcher:
 * - each sendMessage first takes the chat's next slot in the database (the dispatcher takes its
 *   slots there too) and waits for it, at most `maxWaitMs`;
 * - a 429 anyway is waited out once when retry_after fits `maxWaitMs`, and the reply sent again;
 * - a 400 for a callback query answered already (a redelivered update) or too old is logged and
 *   taken as done: the button's effect is recorded, and the rest of the handler still runs.
 * Beyond the bound it throws ReplyNotSentError (or returns the 429), and the webhook ends the
 * update with its effects committed instead of failing it.
 */
export function paceReplies(
  db: Database,
  options: { maxWaitMs: number },
): Transformer {
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
      const wait = await takeChatSendSlot(db, chatId);
      if (wait > options.maxWaitMs) {
        throw new ReplyNotSentError(
          chatId,
          `the chat's next free slot is ${wait} ms away`,
        );
      }
      if (wait > 0) await sleep(wait);
      return await prev(method, payload, signal);
    };
    const first = await send();
    if (first.ok || first.error_code !== 429) return first;
    const retryAfterMs = (first.parameters?.retry_after ?? 1) * 1000;
    if (retryAfterMs > options.maxWaitMs) return first;
    await sleep(retryAfterMs);
    return await send();
  };
}
