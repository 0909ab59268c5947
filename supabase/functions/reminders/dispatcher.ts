import { sleep } from "../_shared/sleep.ts";
import { composeMessage, type OutgoingMessage } from "./message.ts";
import type { SendRateLimiter } from "./rate-limiter.ts";
import { classifySendError } from "./send-outcome.ts";
import type { ClaimedNotification, DeliveryOutcome, OutboxStore } from "./store.ts";

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
  durationMs: number;
}

/** Sends one message to one chat and returns Telegram's message id. */
export type SendMessage = (chatId: string, message: OutgoingMessage) => Promise<number>;

export interface DispatchOptions {
  store: OutboxStore;
  send: SendMessage;
  limiter: SendRateLimiter;
  batchSize: number;
  workingTimeMs: number;
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

/**
 * Delivers the outbox: takes the single dispatcher lease (so Telegram's limits hold however many
 * runs overlap), claims messages fairly, sends each within Telegram's limits and records the
 * outcome, until the outbox is empty or the working time is used up.
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
    durationMs: 0,
  };

  const holder = crypto.randomUUID();
  const { store, limiter } = options;
  if (!await store.acquireDispatcherLease(holder, options.dispatcherLeaseSeconds)) {
    report.busy = true;
    report.durationMs = Math.round(now() - started);
    return report;
  }
  const run: RunState = { lost: false, outOfTime: false, blockedChats: new Set(), deadline, report };
  const renewal = setInterval(async () => {
    try {
      if (!await store.acquireDispatcherLease(holder, options.dispatcherLeaseSeconds)) run.lost = true;
    } catch {
      run.lost = true;
    }
  }, options.dispatcherLeaseSeconds * 1000 / 3);
  let released = false;
  try {
    const wallClockOffset = Date.now() - now();
    for (const earlier of await store.recentSends()) {
      limiter.recordEarlierSend(earlier.chat_id.toString(), earlier.sent_at.getTime() - wallClockOffset);
    }
    released = await deliverUntilDone(options, run, holder, now);
  } finally {
    clearInterval(renewal);
    if (!released) await store.releaseDispatcherLease(holder, true).catch(() => {});
  }
  report.durationMs = Math.round(now() - started);
  return report;
}

interface RunState {
  lost: boolean;
  outOfTime: boolean;
  blockedChats: Set<string>;
  deadline: number;
  report: DispatchReport;
}

/**
 * The pipeline: more is claimed whenever half of the batch size has gone out, so a message
 * waiting out its chat's gap never holds up the rest. Returns true when the lease was given up
 * because nothing was left to send.
 */
async function deliverUntilDone(
  options: DispatchOptions,
  run: RunState,
  holder: string,
  now: () => number,
): Promise<boolean> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const deliver = async (notification: ClaimedNotification): Promise<void> => {
    const outcome = await deliverOne(notification, options, run);
    if (outcome.outcome === "released") run.outOfTime = true;
    await options.store.record(notification.id, outcome);
    run.report[counters[outcome.outcome]]++;
  };

  let released = false;
  while (now() < run.deadline && !failure && !run.outOfTime && !run.lost) {
    const room = options.batchSize - inFlight.size;
    if (room < Math.ceil(options.batchSize / 2)) {
      await Promise.race(inFlight);
      continue;
    }
    const batch = await options.store.claim(room);
    if (batch.length === 0) {
      if (inFlight.size > 0) {
        await Promise.race(inFlight);
        continue;
      }
      // Nothing claimable and nothing in flight. A message that becomes sendable within the
      // working time (a 429's retry_after, a backoff) is this run's to send: it stays, looking
      // again at least every half second so a newly queued message is not kept waiting.
      const nextIn = await options.store.nextDeliverableIn();
      if (nextIn !== null && now() + nextIn < run.deadline) {
        await sleep(Math.min(Math.max(nextIn, 100), 500));
        continue;
      }
      // Give the lease up, unless a message arrived meanwhile (its kick was refused while this
      // run held the lease, so this run sends it).
      if (await options.store.releaseDispatcherLease(holder, false)) {
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
  const chat = notification.chat_id.toString();
  const message = composeMessage(notification);
  const handBack = { outcome: "released", error: "working time used up", retryAfterSeconds: 0 } as const;
  while (true) {
    if (run.blockedChats.has(chat)) return { outcome: "skipped", error: "the chat blocked the bot (403)" };
    const slot = options.limiter.reserve(chat);
    if (slot > run.deadline || run.lost) return handBack;
    await options.limiter.waitFor(slot, chat);
    // The chat's slot in the database: the webhook's replies message the chat too.
    const chatWait = await options.store.takeChatSlot(chat);
    if (chatWait > 0) {
      if ((options.now ?? performance.now.bind(performance))() + chatWait > run.deadline) return handBack;
      await sleep(chatWait);
    }
    if (run.lost) return { ...handBack, error: "the dispatcher lease was lost" };
    if (run.blockedChats.has(chat)) return { outcome: "skipped", error: "the chat blocked the bot (403)" };
    try {
      return { outcome: "sent", telegramMessageId: await options.send(chat, message) };
    } catch (error) {
      const failure = classifySendError(error);
      if (failure.outcome === "rate_limited") {
        const pauseMs = failure.retryAfterSeconds * 1000;
        options.limiter.pauseFor(pauseMs);
        // Wait it out here when the pause ends inside the working time; else hand it back with
        // next_attempt_at exactly retry_after from now. Either way it is not a failed attempt.
        if ((options.now ?? performance.now.bind(performance))() + pauseMs < run.deadline) {
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
