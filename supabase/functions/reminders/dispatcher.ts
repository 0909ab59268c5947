import { sleep } from "../_shared/sleep.ts";
import {
  deliverOne,
  type DeliveryOptions,
  type DispatchReport,
  type RunState,
  type SendMessage,
  skipReason,
  takeSlotsFenced,
} from "./deliver-one.ts";
import { DispatcherLease } from "./lease.ts";
import { Retakes } from "./retakes.ts";
import { type ClaimedNotification, isLeaseLost, type OutboxStore } from "./store.ts";

export type { DispatchReport, SendMessage };

export interface DispatchOptions extends DeliveryOptions {
  batchSize: number;
  /** The run ends within this, whatever Telegram does: no send starts later than this less sendTimeoutMs. */
  workingTimeMs: number;
  /** How long one send may take (the Bot API call's own deadline). */
  sendTimeoutMs: number;
  /** The dispatcher lease: how long a run that died keeps others out. Renewed at a third of it. */
  dispatcherLeaseSeconds: number;
  /**
   * Asks for the next run (true when asked): called once when this run stops claiming with its
   * send time used up, before it sends its last slots, so the next run is there, waiting for the
   * lease, when this one gives it up.
   */
  askForNextRun?: () => Promise<boolean>;
  now?: () => number;
}

const counters = {
  sent: "sent",
  retry: "retried",
  uncertain: "maybeDelivered",
  rate_limited: "rateLimited",
  dead: "dead",
  skipped: "skipped",
  released: "released",
} as const;

/** Time kept after the last send may end, to record it and give the lease up. */
const RECORD_MARGIN_MS = 500;

/**
 * The hand-over. A run stops claiming when its claim's slots reach its last send time (up to a
 * batch, about a second, before it); a run that finds the lease held by one that far along waits
 * for it, at most HANDOVER_WAIT_MS (or half its own send time), and answers busy to everyone else
 * at once. A run that asked for its successor looks for it, at most HANDOVER_CHECK_MS, after giving
 * the lease up; if none came, the caller asks again.
 */
const HANDOVER_LEAD_MS = 2_000;
const HANDOVER_WAIT_MS = 3_000;
const HANDOVER_CHECK_MS = 1_000;

/**
 * Delivers the outbox: takes the single dispatcher lease (a fence: the database refuses the
 * claims, slots and records of a run that lost it), claims messages fairly, sends each within the
 * bot's send budget and records the outcome, until the outbox is empty or the working time is used
 * up. Every wait (a slot, a 429's pause, a backoff) ends by the working time, so the run ends
 * within it and gives the lease up; what it could not send goes back to the outbox, due when
 * Telegram allows it again.
 */
export async function dispatchOutbox(options: DispatchOptions): Promise<DispatchReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = started + options.workingTimeMs;
  const report: DispatchReport = {
    busy: false,
    claimed: 0,
    sent: 0,
    retried: 0,
    maybeDelivered: 0,
    rateLimited: 0,
    rateLimitWaits: 0,
    slotsRetaken: 0,
    dead: 0,
    skipped: 0,
    released: 0,
    fenced: 0,
    leaseWaitMs: 0,
    askedForNextRun: false,
    handedOver: false,
    durationMs: 0,
  };

  const { store } = options;
  const sendTimeMs = options.workingTimeMs - options.sendTimeoutMs - RECORD_MARGIN_MS;
  const lease = await DispatcherLease.takeOrWait(store, options.dispatcherLeaseSeconds, now, {
    holderEndsAfterMs: sendTimeMs - Math.min(HANDOVER_LEAD_MS, sendTimeMs / 2),
    maxWaitMs: Math.min(HANDOVER_WAIT_MS, sendTimeMs / 2),
  });
  report.leaseWaitMs = Math.round(now() - started);
  if (!lease) {
    report.busy = true;
    report.durationMs = Math.round(now() - started);
    return report;
  }
  const run: RunState = {
    lease,
    outOfTime: false,
    blockedChats: new Set(),
    sendBy: deadline - options.sendTimeoutMs - RECORD_MARGIN_MS,
    now,
    report,
  };
  run.retakes = new Retakes(async (notifications) =>
    await takeSlotsFenced(options.budget, notifications, run) ?? []
  );
  const renewal = setInterval(() => void lease.renew(), lease.renewEveryMs);
  let released = false;
  try {
    released = await deliverUntilDone(options, run);
  } finally {
    clearInterval(renewal);
    if (!released) await lease.release(true).catch(() => {});
  }
  if (report.askedForNextRun) {
    report.handedOver = await successorHolds(store, Math.min(HANDOVER_CHECK_MS, deadline - now()));
  }
  report.durationMs = Math.round(now() - started);
  return report;
}

/**
 * The pipeline: more is claimed whenever half of the batch size has gone out, with the send slots
 * of the whole claim taken in one statement, so a message waiting out its chat's gap never holds
 * up the rest. Returns true when the lease was given up because nothing was left to send.
 */
async function deliverUntilDone(options: DispatchOptions, run: RunState): Promise<boolean> {
  const { now } = run;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  // The send of each chat's latest message: a chat's next one starts after it, so a message whose
  // slot had to be retaken (it comes later) never lets the chat's next message overtake it.
  const chatTails = new Map<string, Promise<unknown>>();
  const deliver = async (notification: ClaimedNotification, slot: number | undefined): Promise<void> => {
    const chat = String(notification.chat_id);
    const previous = chatTails.get(chat);
    const sending = (previous ? previous.catch(() => {}) : Promise.resolve())
      .then(() => deliverOne(notification, options, run, slot));
    chatTails.set(chat, sending);
    const outcome = await sending.finally(() => {
      if (chatTails.get(chat) === sending) chatTails.delete(chat);
    });
    if (outcome.outcome === "released") run.outOfTime = true;
    try {
      await options.store.record(notification.id, outcome, run.lease.generation);
    } catch (error) {
      if (!isLeaseLost(error)) throw error;
      run.lease.lost = true;
      run.report.fenced++;
      return;
    }
    run.report[counters[outcome.outcome]]++;
  };

  let released = false;
  while (now() < run.sendBy && !failure && !run.outOfTime && run.lease.holds()) {
    const room = options.batchSize - inFlight.size;
    if (room < Math.ceil(options.batchSize / 2)) {
      await Promise.race(inFlight);
      continue;
    }
    const batch = await claimFenced(options.store, room, run);
    if (batch.length === 0) {
      void run.retakes?.flush(); // no claim brings slots for what waits to retake one
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      // Nothing claimable and nothing in flight. A message that becomes sendable within the
      // working time (a 429's retry_after, a backoff) is this run's to send: it stays, looking
      // again at least every half second so a newly queued message is not kept waiting.
      const nextIn = await options.store.nextDeliverableIn();
      if (nextIn !== null && now() + nextIn < run.sendBy) {
        await sleep(Math.min(Math.max(nextIn, 100), 500, run.sendBy - now()));
        continue;
      }
      // Give the lease up, unless a message arrived meanwhile (its kick was refused while this
      // run held the lease, so this run sends it).
      if (await run.lease.release(false)) {
        released = true;
        break;
      }
      await sleep(100);
      continue;
    }
    run.report.claimed += batch.length;
    // The slots of the whole claim, in one statement (none once the lease is lost: handed back).
    const sendable = batch.filter((notification) => skipReason(notification) === undefined);
    const slots = await takeClaimSlots(options, run, sendable);
    const slotOf = new Map(sendable.map((notification, i) => [notification, slots?.[i]]));
    for (const notification of batch) {
      const delivery: Promise<void> = deliver(notification, slotOf.get(notification))
        .catch((error) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  }
  await run.retakes?.close();
  if (!released && !failure) await askIfOutOfTime(options, run);
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return released;
}

/**
 * The slots of a claim's sendable messages and, in the same statement, of the messages waiting to
 * retake a voided slot (retakes.ts); null once the lease is lost.
 */
async function takeClaimSlots(
  options: DispatchOptions,
  run: RunState,
  sendable: ClaimedNotification[],
): Promise<number[] | null> {
  // The retaken first: a chat's voided message keeps its place before the chat's next one.
  const drained = run.retakes?.drain();
  const retaken = drained?.notifications ?? [];
  const all = [...retaken, ...sendable];
  const slots = all.length > 0 ? await takeSlotsFenced(options.budget, all, run) : [];
  drained?.settle(slots?.slice(0, retaken.length) ?? []);
  return slots === null ? null : slots.slice(retaken.length);
}

/**
 * Out of time in a backlog, the next run is asked for now, as this one stops claiming (not by a
 * run that claimed nothing: see next-run.ts); a failure only leaves it to the caller.
 */
async function askIfOutOfTime(options: DispatchOptions, run: RunState): Promise<void> {
  const outOfTime = run.outOfTime || run.now() >= run.sendBy;
  if (!outOfTime || !run.lease.holds() || run.report.claimed === 0) return;
  try {
    run.report.askedForNextRun = await options.askForNextRun?.() ?? false;
  } catch (error) {
    console.error(
      "reminders: the next run was not asked for:",
      error instanceof Error ? error.message : error,
    );
  }
}

/** Whether another run takes the lease within `withinMs` of this one giving it up. */
async function successorHolds(store: OutboxStore, withinMs: number): Promise<boolean> {
  const until = performance.now() + withinMs;
  while (true) {
    if (await store.dispatcherLeaseHeldMs().catch(() => null) !== null) return true;
    if (performance.now() >= until) return false;
    await sleep(Math.min(20, until - performance.now()));
  }
}

/** A claim for this run's lease generation; none once another run took the lease over. */
async function claimFenced(store: OutboxStore, room: number, run: RunState): Promise<ClaimedNotification[]> {
  try {
    return await store.claim(room, run.lease.generation);
  } catch (error) {
    if (!isLeaseLost(error)) throw error;
    run.lease.lost = true;
    return [];
  }
}
