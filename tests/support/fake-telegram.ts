/**
 * The tests' Bot API: the devstack's Telegram stand-in (devstack/telegram/) on a free port, with
 * the helpers tests use: recorded calls, injected failures (chaos mode), counters, getUpdates
 * queueing. The functions reach it through TELEGRAM_API_ROOT, as they reach api.telegram.org.
 *
 * Tests post updates straight to the webhook function, so the stand-in runs with
 * externalUpdates: chats, messages and callback queries it has not seen count as real.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import type { RecordedCall } from "../../devstack/telegram/bot.ts";
import type { ChaosRule } from "../../devstack/telegram/chaos.ts";
import {
  type Counters,
  type RunningTelegram,
  startTelegram,
  type TelegramOptions,
} from "../../devstack/telegram/server.ts";

export type { RecordedCall };

export type InjectedFailure =
  | { kind: "too_many_requests"; retryAfter: number }
  | { kind: "blocked" }
  | { kind: "chat_not_found" }
  | { kind: "server_error" }
  /** The call waits this long, then takes effect and is answered. */
  | { kind: "hang"; milliseconds: number };

export interface FakeTelegramOptions {
  token: string;
  /** Answer 429 when the bot exceeds Telegram's limits (30 messages/s, 1/s per chat). */
  enforceRateLimits?: boolean;
  botUsername?: string;
  /** Any other stand-in setting (webhook timeouts, backoff, …). */
  standIn?: Partial<TelegramOptions>;
}

export interface FakeTelegram {
  apiRoot: string;
  calls: RecordedCall[];
  /** Recorded calls of one method, e.g. sendMessage. */
  callsOf(method: string): RecordedCall[];
  /** Fails the next `times` calls of `method` (optionally only to `chatId`). */
  failNext(
    method: string,
    failure: InjectedFailure,
    options?: { times?: number; chatId?: number | string },
  ): void;
  /** Adds any chaos rule (slow, hang, drop_connection, 429 windows, 5xx fractions…); returns its id. */
  chaos(rule: ChaosRule): number;
  /** How many calls were answered 429 because of the rate limits. */
  rateLimited: number;
  counters(): Counters;
  /** Waits until `predicate` holds for the recorded calls (polling), or throws after `timeoutMs`. */
  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Updates that getUpdates hands out (for the long-polling forwarder). */
  queueUpdate(update: Record<string, unknown>): void;
  /** The stand-in itself: simulated people, webhook, chats. */
  standIn: RunningTelegram;
  reset(): void;
  close(): Promise<void>;
}

const ruleFor = (failure: InjectedFailure): ChaosRule =>
  failure.kind === "hang"
    ? { kind: "delay", delayMs: failure.milliseconds }
    : failure.kind === "too_many_requests"
    ? { kind: "too_many_requests", retryAfter: failure.retryAfter }
    : { kind: failure.kind };

/** The chat an update belongs to (its ordering key in the stand-in's queue). */
function updateKey(update: Record<string, unknown>): string {
  const payload = Object.values(update).find((v) => v && typeof v === "object") as
    | { chat?: { id?: number }; from?: { id?: number } }
    | undefined;
  return String(payload?.chat?.id ?? payload?.from?.id ?? 0);
}

export async function startFakeTelegram(options: FakeTelegramOptions): Promise<FakeTelegram> {
  const standIn = await startTelegram({
    port: 0,
    token: options.token,
    username: options.botUsername ?? "habits_test_bot",
    enforceLimits: options.enforceRateLimits ?? false,
    externalUpdates: true,
    ...options.standIn,
  });
  const calls = standIn.api.calls;
  return {
    apiRoot: standIn.apiRoot,
    calls,
    standIn,
    get rateLimited() {
      return standIn.counters().rateLimited;
    },
    counters: () => standIn.counters(),
    callsOf: (method) => calls.filter((call) => call.method === method),
    failNext(method, failure, failOptions = {}) {
      standIn.chaos.add({
        ...ruleFor(failure),
        methods: [method],
        times: failOptions.times ?? 1,
        ...(failOptions.chatId === undefined ? {} : { chats: [String(failOptions.chatId)] }),
      } as ChaosRule);
    },
    chaos: (rule) => standIn.chaos.add(rule),
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(calls)) {
        if (Date.now() > deadline) {
          throw new Error(`fake Telegram: condition not met within ${timeoutMs} ms`);
        }
        await sleep(25);
      }
    },
    queueUpdate(update) {
      standIn.api.updates.push(update, updateKey(update));
    },
    reset: () => standIn.reset(),
    close: () => standIn.close(),
  };
}
