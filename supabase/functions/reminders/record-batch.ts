import type { Database } from "../_shared/db.ts";
import type { DeliveryOutcome } from "./store.ts";

interface Pending {
  id: bigint;
  delivery: DeliveryOutcome;
  generation: bigint;
  done: { resolve: () => void; reject: (error: unknown) => void };
}

/**
 * Records outcomes in sets (group commit): an outcome is recorded at once when nothing is being
 * recorded; outcomes that arrive meanwhile go together in the next statement
 * (private.record_deliveries_fenced, one per dispatcher lease generation: the database refuses a
 * set whose run no longer holds the lease). Each caller's promise settles when its own outcome is
 * committed, so a message is never taken as recorded before it is. At a few messages a second every
 * set holds one outcome; at thousands, one statement records dozens.
 */
export function recordInSets(db: Database, maxAttempts: number) {
  let queued: Pending[] = [];
  let recording = false;

  const recordSet = async (generation: bigint, set: Pending[]) => {
    try {
      await db`
        select private.record_deliveries_fenced(
          ${generation.toString()}::bigint,
          ${set.map((p) => p.id.toString())}::bigint[],
          ${set.map((p) => p.delivery.outcome)}::text[],
          ${set.map((p) => p.delivery.outcome === "sent" ? p.delivery.telegramMessageId : null)}::bigint[],
          ${set.map((p) => p.delivery.outcome === "sent" ? null : p.delivery.error)}::text[],
          ${
        set.map((p) => "retryAfterSeconds" in p.delivery ? p.delivery.retryAfterSeconds ?? null : null)
      }::integer[],
          ${maxAttempts})`;
      for (const pending of set) pending.done.resolve();
    } catch (error) {
      for (const pending of set) pending.done.reject(error);
    }
  };

  const recordQueued = async () => {
    recording = true;
    while (queued.length > 0) {
      const generation = queued[0].generation;
      const set = queued.filter((pending) => pending.generation === generation);
      queued = queued.filter((pending) => pending.generation !== generation);
      await recordSet(generation, set);
    }
    recording = false;
  };

  return (id: bigint, delivery: DeliveryOutcome, generation: bigint): Promise<void> =>
    new Promise((resolve, reject) => {
      queued.push({ id, delivery, generation, done: { resolve, reject } });
      if (!recording) void recordQueued();
    });
}
