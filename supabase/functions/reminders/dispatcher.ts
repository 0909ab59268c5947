import { type Api, GrammyError, HttpError } from "grammy";
import { composeMessage } from "./message.ts";
import type { SendRateLimiter } from "./rate-limiter.ts";
import type { ClaimedNotification, DeliveryOutcome, OutboxStore } from "./store.ts";

export interface DispatchReport {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  skipped: number;
  released: number;
  durationMs: number;
}

export interface DispatchOptions {
  store: OutboxStore;
  api: Api;
  limiter: SendRateLimiter;
  batchSize: number;
  workingTimeMs: number;
  now?: () => number;
}

/** What a failed sendMessage means for the message: retry it, give up, or give up and unlink. */
export function classifySendError(error: unknown): DeliveryOutcome & { blocked?: boolean } {
  if (error instanceof GrammyError) {
    const description = `${error.error_code}: ${error.description}`;
    if (error.error_code === 429) {
      return { outcome: "retry", error: description, retryAfterSeconds: error.parameters.retry_after ?? 1 };
    }
    if (error.error_code === 403) return { outcome: "dead", error: description, blocked: true };
    if (error.error_code >= 500) return { outcome: "retry", error: description };
    return { outcome: "dead", error: description };
  }
  if (error instanceof HttpError) return { outcome: "retry", error: `network: ${error.message}` };
  return { outcome: "retry", error: error instanceof Error ? error.message : String(error) };
}

/**
 * Delivers the outbox: claims messages, sends each within Telegram's limits and records the
 * outcome, until the outbox is empty or the working time is used up. Messages whose send
 * slot would fall after the working time are released for the next run, unsent.
 */
export async function dispatchOutbox(options: DispatchOptions): Promise<DispatchReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = started + options.workingTimeMs;
  const report: DispatchReport = {
    claimed: 0,
    sent: 0,
    retried: 0,
    dead: 0,
    skipped: 0,
    released: 0,
    durationMs: 0,
  };

  // Set once a message had to be handed back: every later one would be too, so stop claiming.
  let outOfTime = false;
  const deliver = async (notification: ClaimedNotification): Promise<void> => {
    const outcome = await deliverOne(notification, options, deadline);
    if (outcome.outcome === "released") outOfTime = true;
    await options.store.record(notification.id, outcome);
    const counter =
      ({ sent: "sent", retry: "retried", dead: "dead", skipped: "skipped", released: "released" } as const)[
        outcome.outcome
      ];
    report[counter]++;
  };

  // A pipeline rather than batch by batch: a batch whose last message waits for its chat's
  // one-second gap must not keep the next batch from starting (bench/dispatch.ts, several
  // messages per chat). More is claimed whenever half of the batch size has gone out.
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  while (now() < deadline && !failure && !outOfTime) {
    const room = options.batchSize - inFlight.size;
    if (room < Math.ceil(options.batchSize / 2)) {
      await Promise.race(inFlight);
      continue;
    }
    const batch = await options.store.claim(room);
    if (batch.length === 0) {
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
      continue;
    }
    report.claimed += batch.length;
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
  report.durationMs = Math.round(now() - started);
  return report;
}

async function deliverOne(
  notification: ClaimedNotification,
  options: DispatchOptions,
  deadline: number,
): Promise<DeliveryOutcome> {
  if (notification.chat_id === null) return { outcome: "skipped", error: "no Telegram chat is linked" };
  if (notification.is_paused && notification.kind !== "habit_created") {
    return { outcome: "skipped", error: "the habit is paused" };
  }
  const chat = notification.chat_id.toString();
  const slot = options.limiter.reserve(chat);
  if (slot > deadline) return { outcome: "released", error: "working time used up", retryAfterSeconds: 0 };
  await options.limiter.waitFor(slot, chat);

  const message = composeMessage(notification);
  try {
    const sent = await options.api.sendMessage(notification.chat_id.toString(), message.text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: message.keyboard,
    });
    return { outcome: "sent", telegramMessageId: sent.message_id };
  } catch (error) {
    const failure = classifySendError(error);
    if (failure.outcome === "retry" && failure.retryAfterSeconds !== undefined) {
      options.limiter.pauseFor(failure.retryAfterSeconds * 1000);
    }
    if (failure.blocked) await options.store.markChatBlocked(notification.chat_id);
    const { blocked: _blocked, ...outcome } = failure;
    return outcome;
  }
}
