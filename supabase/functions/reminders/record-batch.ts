import type { Database } from "../_shared/db.ts";
import { inSets } from "./in-sets.ts";
import type { DeliveryOutcome } from "./notification.ts";

/**
 * Records outcomes in sets (private.record_deliveries_fenced): a message's promise settles once
 * its own outcome is committed, so it is never taken as recorded before it is; it rejects
 * (isLeaseLost) once its run no longer holds the dispatcher lease.
 */
export function recordInSets(db: Database, maxAttempts: number) {
  const write = inSets<{ id: bigint; delivery: DeliveryOutcome }>((generation, set) =>
    db`
      select private.record_deliveries_fenced(
        ${generation.toString()}::bigint,
        ${set.map((p) => p.id.toString())}::bigint[],
        ${set.map((p) => p.delivery.outcome)}::text[],
        ${set.map((p) => p.delivery.outcome === "sent" ? p.delivery.telegramMessageId : null)}::bigint[],
        ${set.map((p) => p.delivery.outcome === "sent" ? null : p.delivery.error)}::text[],
        ${
      set.map((p) => "retryAfterSeconds" in p.delivery ? p.delivery.retryAfterSeconds ?? null : null)
    }::integer[],
        ${maxAttempts})`
  );
  return (id: bigint, delivery: DeliveryOutcome, generation: bigint) => write({ id, delivery }, generation);
}

/**
 * Notes in sets (private.note_departing_sends) that the requests of claimed messages are about to
 * leave at their slots: kept until their outcomes are recorded, so a takeover counts as maybe
 * delivered only what could have left. Rejects (isLeaseLost) once the run lost the lease.
 */
export function noteDeparturesInSets(db: Database) {
  const write = inSets<{ id: bigint; at: Date }>((generation, set) =>
    db`
      select private.note_departing_sends(${generation.toString()}::bigint,
        ${set.map((p) => p.id.toString())}::bigint[], ${set.map((p) => p.at.toISOString())}::timestamptz[])`
  );
  return (id: bigint, at: Date, generation: bigint) => write({ id, at }, generation);
}
