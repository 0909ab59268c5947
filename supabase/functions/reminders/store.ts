import { takeChatSendSlot } from "../_shared/chat-slots.ts";
import { withReplyParts } from "./reply-message.ts";
import type { ClaimedNotification } from "./notification.ts";
import type { Database } from "../_shared/db.ts";

export type { ClaimedNotification };

export type DeliveryOutcome =
  | { outcome: "sent"; telegramMessageId: number }
  | { outcome: "retry"; error: string; retryAfterSeconds?: number }
  | { outcome: "uncertain"; error: string }
  | { outcome: "rate_limited"; error: string; retryAfterSeconds: number }
  | { outcome: "dead"; error: string }
  | { outcome: "skipped"; error: string }
  | { outcome: "released"; error: string; retryAfterSeconds: number };

/** The outbox calls of the reminders function; the SQL functions hold the state machine. */
export function createOutboxStore(
  db: Database,
  settings: {
    leaseSeconds: number;
    maxAttempts: number;
    chatIntervalMs: number;
  },
) {
  return {
    async claim(batchSize: number): Promise<ClaimedNotification[]> {
      // The time format is read beside the claim (a scalar subquery keeps the claim's order).
      return await withReplyParts(
        db,
        await db<ClaimedNotification[]>`
        select c.*, (select p.time_format from public.profiles p where p.telegram_chat_id = c.chat_id) as time_format
        from private.claim_messages(${batchSize}, make_interval(secs => ${settings.leaseSeconds})) c`,
      );
    },

    async record(id: bigint, delivery: DeliveryOutcome): Promise<void> {
      const messageId = delivery.outcome === "sent" ? delivery.telegramMessageId : null;
      const error = delivery.outcome === "sent" ? null : delivery.error;
      const retryAfter = "retryAfterSeconds" in delivery ? delivery.retryAfterSeconds ?? null : null;
      await db`
        select private.record_delivery(${id.toString()}::bigint, ${delivery.outcome}, ${messageId}, ${error},
          ${retryAfter}, ${settings.maxAttempts})`;
    },

    /** Takes or renews the single dispatcher lease; false while another run holds it. */
    async acquireDispatcherLease(
      holder: string,
      seconds: number,
    ): Promise<boolean> {
      const [row] = await db<{ taken: boolean }[]>`
        select private.acquire_dispatcher_lease(${holder}::uuid, make_interval(secs => ${seconds})) as taken`;
      return row.taken;
    },

    /** Gives the lease up; unless `force`, only when nothing is left to send. */
    async releaseDispatcherLease(
      holder: string,
      force: boolean,
    ): Promise<boolean> {
      const [row] = await db<{ released: boolean }[]>`
        select private.release_dispatcher_lease(${holder}::uuid, ${force}) as released`;
      return row.released;
    },

    /** Messages sent in the last two seconds, per chat (for the rate limiter of a new run). */
    async recentSends(): Promise<{ chat_id: bigint; sent_at: Date }[]> {
      return await db<
        { chat_id: bigint; sent_at: Date }[]
      >`select chat_id, sent_at from private.recent_sends()`;
    },

    /** Takes the chat's next slot, shared with the webhook's replies; how many ms to wait. */
    takeChatSlot: (chatId: string) => takeChatSendSlot(db, chatId, settings.chatIntervalMs),

    /** Milliseconds until the earliest queued message may be sent; null when none waits. */
    async nextDeliverableIn(): Promise<number | null> {
      const [row] = await db<
        { wait_ms: number | null }[]
      >`select private.next_deliverable_in() as wait_ms`;
      return row.wait_ms;
    },

    async markChatBlocked(chatId: bigint): Promise<void> {
      await db`select private.mark_telegram_chat_blocked(${chatId.toString()}::bigint)`;
    },
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;
