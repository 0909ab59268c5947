import { noteDeparturesInSets, recordInSets } from "./record-batch.ts";
import { withReplyParts } from "./reply-message.ts";
import type { ClaimedNotification, DeliveryOutcome } from "./notification.ts";
import type { Database } from "../_shared/db.ts";

export type { ClaimedNotification, DeliveryOutcome };

/** The outbox calls of the reminders function; the SQL functions hold the state machine. */
export function createOutboxStore(
  db: Database,
  settings: {
    leaseSeconds: number;
    maxAttempts: number;
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

    /**
     * Records a claimed message's outcome for the holder of lease generation `generation`; resolves
     * once it is committed (with others arriving meanwhile), rejects (isLeaseLost) once it is not.
     */
    record: recordInSets(db, settings.maxAttempts),

    /** Notes that a claimed message's request leaves at `at` (grouped); rejects (isLeaseLost) once the lease is lost. */
    noteDeparture: noteDeparturesInSets(db),

    /** Takes or renews the dispatcher lease: its generation (the fencing token), or null while another run holds it. */
    async holdDispatcherLease(holder: string, seconds: number): Promise<bigint | null> {
      const [row] = await db<{ generation: bigint | null }[]>`
        select private.hold_dispatcher_lease(${holder}::uuid, make_interval(secs => ${seconds})) as generation`;
      return row.generation === null ? null : BigInt(row.generation);
    },

    /** How long the run holding the dispatcher lease has held it (ms); null while nobody does. */
    async dispatcherLeaseHeldMs(): Promise<number | null> {
      const [row] = await db<{ held_ms: number | null }[]>`
        select (select extract(epoch from now() - d.acquired_at)::float8 * 1000
          from private.reminder_dispatcher d where d.lease_until > now()) as held_ms`;
      return row.held_ms;
    },

    /** Gives the lease up; unless `force`, only when nothing is left to send. */
    async releaseDispatcherLease(holder: string, force: boolean): Promise<boolean> {
      const [row] = await db<{ released: boolean }[]>`
        select private.release_dispatcher_lease(${holder}::uuid, ${force}) as released`;
      return row.released;
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
