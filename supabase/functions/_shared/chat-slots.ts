import type { Database } from "./db.ts";

/**
 * Telegram allows about one message a second per chat. Every sender (the reminders dispatcher and
 * the webhook's replies) takes the chat's next slot from one place, the database, so two senders
 * never message a chat within this gap. The extra 100 ms absorbs network jitter.
 */
export const CHAT_SEND_INTERVAL_MS = 1_100;

/** Takes the chat's next send slot; resolves to how many milliseconds to wait before sending. */
export async function takeChatSendSlot(
  db: Database,
  chatId: string | number | bigint,
  intervalMs = CHAT_SEND_INTERVAL_MS,
): Promise<number> {
  const [row] = await db<{ wait_ms: number }[]>`
    select private.take_telegram_chat_slot(${chatId.toString()}::bigint, make_interval(secs => ${
    intervalMs / 1000
  })) as wait_ms`;
  return row.wait_ms;
}
