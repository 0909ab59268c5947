import { sleep } from "../_shared/sleep.ts";
import { composeMessage, type OutgoingMessage } from "./message.ts";
import type { SendRateLimiter } from "./rate-limiter.ts";
import { DispatcherLease } from "./lease.ts";
import { classifySendError } from "./send-outcome.ts";
import { type ClaimedNotification, type DeliveryOutcome, isLeaseLost, type OutboxStore } from "./store.ts";

export interface DispatchReport {
  /** Another run holds the dispatcher lease: this one sent nothing (that run takes the work). */
  busy: boolean;
  claimed: number;
  sent: number;
  retried: number;
  /** Sends that timed out: retried, and maybe delivered already. */
  maybeDelivered: number;
  /** 429s whose retry_after did not fit this run: handed back, not counted as attempts. */
  rateLimited: number;
  /** 429s waited out inside this run. */
  rateLimitWaits: number;
  dead: number;
  skipped: number;
  released: number;
  /** Outcomes the database refused to record: another run took the lease over and sends them. */
  fenced: number;
  durationMs: number;
}

/** Sends one message to one chat and returns Telegram's message id. */
export type SendMessage = (chatId: string, message: OutgoingMessage) => Promise<number>;

export interface DispatchOptions {
  store: OutboxStore;
  send: SendMessage;
  limiter: SendRateLimiter;
  batchSize: number;
  /** The run ends within this, whatever Telegram does: no send starts later than this less sendTimeoutMs. */
  workingTimeMs: number;
  /** How long one send may take (the Bot API call's own deadline). */
  sendTimeoutMs: number;
  /** The dispatcher lease: how long a run that died keeps others out. Renewed at a third of it. */
  dispatcherLeaseSeconds: number;
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
 * Delivers the outbox: takes the single dispatcher lease (so Telegram's limits hold however many
 * runs overlap), claims messages fairly, sends each within Telegram's limits and records the
 * outcome, until the outbox is empty or the working time is used up. Every wait (a chat's gap, a
 * 429's pause, a backoff) ends by the working time, so the run ends within it and gives the lease
 * up; what it could not send goes back to the outbox, due when Telegram allows it again.
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
    dead: 0,
    skipped: 0,
    released: 0,
    fenced: 0,
    durationMs: 0,
  };

  const { store, limiter } = options;
  const lease = await DispatcherLease.take(store, options.dispatcherLeaseSeconds, now);
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
  const renewal = setInterval(() => void lease.renew(), lease.renewEveryMs);
  let released = false;
  try {
    const wallClockOffset = Date.now() - now();
    for (const earlier of await store.recentSends()) {
      limiter.recordEarlierSend(earlier.chat_id.toString(), earlier.sent_at.getTime() - wallClockOffset);
    }
    released = await deliverUntilDone(options, run);
  } finally {
    clearInterval(renewal);
    if (!released) await lease.release(true).catch(() => {});
  }
  report.durationMs = Math.round(now() - started);
  return report;
}

interface RunState {
  lease: DispatcherLease;
  outOfTime: boolean;
  blockedChats: Set<string>;
  /** No send starts after this (same clock as `now`). */
  sendBy: number;
  now: () => number;
  report: DispatchReport;
}

/**
 * The pipeline: more is claimed whenever half of the batch size has gone out, so a message
 * waiting out its chat's gap never holds up the rest. Returns true when the lease was given up
 * because nothing was left to send.
 */
async function deliverUntilDone(options: DispatchOptions, run: RunState): Promise<boolean> {
  const { now } = run;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const deliver = async (notification: ClaimedNotification): Promise<void> => {
    const outcome = await deliverOne(notification, options, run);
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
    for (const notification of batch) {
      const delivery: Promise<void> = deliver(notification)
        .catch((error) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return released;
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

/** The message's send slot for this run's lease generation; null once another run took the lease over. */
async function takeSlotFenced(
  store: OutboxStore,
  id: bigint,
  chat: string,
  run: RunState,
): Promise<number | null> {
  try {
    return await store.takeSendSlot(id, chat, run.lease.generation);
  } catch (error) {
    if (!isLeaseLost(error)) throw error;
    run.lease.lost = true;
    return null;
  }
}

/** Not sent by this run: back in the outbox, due once Telegram's pause (if any) is over. */
function handBack(run: RunState, limiter: SendRateLimiter): DeliveryOutcome {
  const error = run.lease.lost ? "the dispatcher lease was lost" : "working time used up";
  return { outcome: "released", error, retryAfterSeconds: Math.ceil(limiter.pausedForMs() / 1000) };
}

async function deliverOne(
  notification: ClaimedNotification,
  options: DispatchOptions,
  run: RunState,
): Promise<DeliveryOutcome> {
  if (notification.chat_id === null) return { outcome: "skipped", error: "no Telegram chat is linked" };
  if (notification.is_paused && notification.kind !== "habit_created") {
    return { outcome: "skipped", error: "the habit is paused" };
  }
  if (notification.kind === "weekly_digest" && notification.digest === null) {
    return { outcome: "skipped", error: "the weekly digest could not be computed" };
  }
  const { limiter } = options;
  const chat = notification.chat_id.toString();
  const message = composeMessage(notification);
  const blocked = { outcome: "skipped", error: "the chat blocked the bot (403)" } as const;
  while (true) {
    if (run.blockedChats.has(chat)) return blocked;
    if (!run.lease.holds() || run.now() >= run.sendBy) return handBack(run, limiter);
    if (await limiter.waitFor(limiter.reserve(chat), chat, run.sendBy) === null) {
      return handBack(run, limiter);
    }
    // The chat's slot in the database: the webhook's replies message the chat too.
    if (!run.lease.holds()) return handBack(run, limiter);
    const chatWait = await takeSlotFenced(options.store, notification.id, chat, run);
    if (chatWait === null) return handBack(run, limiter);
    if (chatWait > 0) {
      if (run.now() + chatWait > run.sendBy) return handBack(run, limiter);
      await sleep(chatWait);
    }
    // The last check before the request leaves: a run whose lease lapsed sends nothing.
    if (!run.lease.holds()) return handBack(run, limiter);
    if (run.blockedChats.has(chat)) return blocked;
    try {
      return { outcome: "sent", telegramMessageId: await options.send(chat, message) };
    } catch (error) {
      const failure = classifySendError(error);
      if (failure.outcome === "rate_limited") {
        const pauseMs = failure.retryAfterSeconds * 1000;
        limiter.pauseFor(pauseMs);
        // Wait it out here when the pause ends before the last send may start; else hand it back
        // with next_attempt_at exactly retry_after from now. Either way it is not a failed attempt.
        if (run.now() + pauseMs < run.sendBy) {
          run.report.rateLimitWaits++;
          continue;
        }
        return failure;
      }
      if (failure.blocked) {
        run.blockedChats.add(chat);
        await options.store.markChatBlocked(notification.chat_id);
      }
      const { blocked: _blocked, ...outcome } = failure;
      return outcome;
    }
  }
}
