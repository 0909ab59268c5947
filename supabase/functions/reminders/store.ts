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
    /** Claims for the holder of lease generation `generation`; throws (isLeaseLost) once it is not. */
    async claim(batchSize: number, generation: bigint): Promise<ClaimedNotification[]> {
      // The time format is read beside the claim (a scalar subquery keeps the claim's order).
      return await withReplyParts(
        db,
        await db<ClaimedNotification[]>`
        select c.*, (select p.time_format from public.profiles p where p.telegram_chat_id = c.chat_id) as time_format
        from private.claim_messages_fenced(${generation.toString()}::bigint, ${batchSize},
          make_interval(secs => ${settings.leaseSeconds})) c`,
      );
    },

    /** Records an outcome, refused (isLeaseLost) once `generation` no longer holds the lease. */
    async record(id: bigint, delivery: DeliveryOutcome, generation: bigint): Promise<void> {
      const messageId = delivery.outcome === "sent" ? delivery.telegramMessageId : null;
      const error = delivery.outcome === "sent" ? null : delivery.error;
      const retryAfter = "retryAfterSeconds" in delivery ? delivery.retryAfterSeconds ?? null : null;
      await db`
        select private.record_delivery_fenced(${generation.toString()}::bigint, ${id.toString()}::bigint,
          ${delivery.outcome}, ${messageId}, ${error}, ${retryAfter}, ${settings.maxAttempts})`;
    },

    /** Takes or renews the dispatcher lease: its generation (the fencing token), or null while another run holds it. */
    async holdDispatcherLease(holder: string, seconds: number): Promise<bigint | null> {
      const [row] = await db<{ generation: bigint | null }[]>`
        select private.hold_dispatcher_lease(${holder}::uuid, make_interval(secs => ${seconds})) as generation`;
      return row.generation === null ? null : BigInt(row.generation);
    },

    /** Gives the lease up; unless `force`, only when nothing is left to send. */
    async releaseDispatcherLease(holder: string, force: boolean): Promise<boolean> {
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

    /** The chat's next slot (the webhook's replies take it too) for message `id`: ms to wait. Fenced. */
    async takeSendSlot(id: bigint, chatId: string, generation: bigint): Promise<number> {
      const [row] = await db<{ wait_ms: number }[]>`
        select private.take_notification_send_slot(${generation.toString()}::bigint, ${id.toString()}::bigint,
          ${chatId}::bigint, make_interval(secs => ${settings.chatIntervalMs / 1000})) as wait_ms`;
      return row.wait_ms;
    },

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

/** The database refused a claim or record: another run holds the dispatcher lease now. */
export const isLeaseLost = (error: unknown): boolean =>
  error instanceof Error && error.message.startsWith("dispatcher_lease_lost");
