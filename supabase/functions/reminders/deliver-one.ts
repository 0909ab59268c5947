import type { SendBudget } from "../_shared/send-budget.ts";
import { sleep } from "../_shared/sleep.ts";
import type { DispatcherLease } from "./lease.ts";
import type { Retakes } from "./retakes.ts";
import { composeMessage, type OutgoingMessage } from "./message.ts";
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
  /** Slots given up and taken again: a retry_after announced meanwhile, or a send that could not
   * leave within the late tolerance of its slot (a busy machine). Each costs the bot one slot. */
  slotsRetaken: number;
  dead: number;
  skipped: number;
  released: number;
  /** Outcomes the database refused to record: another run took the lease over and sends them. */
  fenced: number;
  /** How long this run waited for its predecessor to give the lease up (ms). */
  leaseWaitMs: number;
  /** This run asked for the next one as it stopped claiming, with work left. */
  askedForNextRun: boolean;
  /** Another run held the lease right after this one gave it up: the backlog goes on. */
  handedOver: boolean;
  durationMs: number;
}

/** Sends one message to one chat and returns Telegram's message id. */
export type SendMessage = (chatId: string, message: OutgoingMessage) => Promise<number>;

export interface DeliveryOptions {
  store: OutboxStore;
  send: SendMessage;
  /** The bot's send budget, shared with every other sender through the database. */
  budget: SendBudget;
}

export interface RunState {
  lease: DispatcherLease;
  outOfTime: boolean;
  blockedChats: Set<string>;
  /** No send starts after this (same clock as `now`). */
  sendBy: number;
  /** Where a message whose slot was voided gets its new one. */
  retakes?: Retakes;
  now: () => number;
  report: DispatchReport;
}

/** Why a claimed message is not sent at all, or undefined when it is to be sent. */
export function skipReason(notification: ClaimedNotification): DeliveryOutcome | undefined {
  if (notification.chat_id === null) return { outcome: "skipped", error: "no Telegram chat is linked" };
  if (notification.is_paused && notification.kind !== "habit_created") {
    return { outcome: "skipped", error: "the habit is paused" };
  }
  if (notification.kind === "weekly_digest" && notification.digest === null) {
    return { outcome: "skipped", error: "the weekly digest could not be computed" };
  }
  return undefined;
}

/**
 * Send slots for these claimed messages' chats (one statement), for this run's lease generation;
 * null once another run took the lease over.
 */
export async function takeSlotsFenced(
  budget: SendBudget,
  notifications: ClaimedNotification[],
  run: RunState,
): Promise<number[] | null> {
  try {
    const chats = notifications.map((notification) => String(notification.chat_id));
    // No slot after the run's last send time: such a message is handed back at no cost to the bot.
    return await budget.take(chats, { generation: run.lease.generation, notAfter: run.sendBy });
  } catch (error) {
    if (!isLeaseLost(error)) throw error;
    run.lease.lost = true;
    return null;
  }
}

/**
 * Notes, as the bot's pause is checked (shortly before the slot), that the message's request
 * leaves at `slot`: a takeover then counts it as maybe delivered. False once the lease is lost.
 */
async function noteDeparture(
  options: DeliveryOptions,
  notification: ClaimedNotification,
  slot: number,
  run: RunState,
): Promise<boolean> {
  const { budget } = options;
  const noteAt = slot - budget.checkLeadMs;
  if (noteAt > performance.now()) await sleep(noteAt - performance.now());
  try {
    await options.store.noteDeparture(notification.id, budget.databaseTime(slot), run.lease.generation);
    return true;
  } catch (error) {
    if (!isLeaseLost(error)) throw error;
    run.lease.lost = true;
    return false;
  }
}

/** Not sent by this run: back in the outbox, due once Telegram's pause (if any) is over. */
function handBack(run: RunState, budget: SendBudget): DeliveryOutcome {
  const error = run.lease.lost ? "the dispatcher lease was lost" : "working time used up";
  const pausedMs = Math.max(0, budget.pausedUntil - run.now());
  return { outcome: "released", error, retryAfterSeconds: Math.ceil(pausedMs / 1000) };
}

/**
 * Sends one claimed message at its slot (`takenSlot`, taken with its claim's, or a new one) and
 * says what happened. Every wait ends by the run's last send time; a run whose lease lapsed
 * sends nothing.
 */
export async function deliverOne(
  notification: ClaimedNotification,
  options: DeliveryOptions,
  run: RunState,
  takenSlot: number | undefined,
): Promise<DeliveryOutcome> {
  const skip = skipReason(notification);
  if (skip || notification.chat_id === null) {
    return skip ?? { outcome: "skipped", error: "no Telegram chat is linked" };
  }
  const { budget } = options;
  const chatId = notification.chat_id;
  const chat = chatId.toString();
  const message = composeMessage(notification);
  const blocked = { outcome: "skipped", error: "the chat blocked the bot (403)" } as const;
  let slot = takenSlot;
  while (true) {
    if (run.blockedChats.has(chat)) return blocked;
    if (!run.lease.holds() || run.now() >= run.sendBy) return handBack(run, budget);
    // A slot in the bot's send budget (the bot's rate, the chat's gap, any retry_after).
    slot ??= (await takeSlotsFenced(budget, [notification], run))?.[0];
    if (slot === undefined || slot > run.sendBy) return handBack(run, budget);
    const noting = noteDeparture(options, notification, slot, run);
    // A retry_after announced to any sender meanwhile, or a late departure, voids the slot.
    const mayGo = await budget.depart(slot);
    const noted = await noting;
    slot = undefined;
    if (!mayGo && noted) {
      run.report.slotsRetaken++;
      // Taken with the next claim's slots (retakes.ts), so the chat's gap idles no slot.
      slot = await run.retakes?.slotFor(notification);
      continue;
    }
    // The last check before the request leaves: a run whose lease lapsed sends nothing.
    if (!noted || !run.lease.holds()) return handBack(run, budget);
    if (run.blockedChats.has(chat)) return blocked;
    try {
      return { outcome: "sent", telegramMessageId: await options.send(chat, message) };
    } catch (error) {
      const failure = classifySendError(error);
      if (failure.outcome === "rate_limited") {
        await budget.pause(failure.retryAfterSeconds);
        // Wait it out here (the next slot is after the pause) when the pause ends before the last
        // send may start; else hand it back with next_attempt_at exactly retry_after from now.
        // Either way it is not a failed attempt.
        if (run.now() + failure.retryAfterSeconds * 1000 < run.sendBy) {
          run.report.rateLimitWaits++;
          continue;
        }
        return failure;
      }
      if (failure.blocked) {
        run.blockedChats.add(chat);
        await options.store.markChatBlocked(chatId);
      }
      const { blocked: _blocked, ...outcome } = failure;
      return outcome;
    }
  }
}
