/**
 * Telegram's send limits (about 30 messages a second per bot, one a second per chat; 1000 a
 * second with allow_paid_broadcast) and the figures tests use to prove they were never exceeded.
 */
import { type TelegramError, tooManyRequests } from "./errors.ts";

export interface LimitSettings {
  enforce: boolean;
  perBotPerSecond: number;
  paidPerBotPerSecond: number;
  perChatIntervalMs: number;
}

export interface DeliveryStats {
  /** Messages that reached each chat (sends that took effect). */
  deliveredPerChat: Record<string, number>;
  /** The smallest gap in ms between two messages delivered to one chat (null: never two). */
  minChatGapMs: number | null;
  /** The largest number of messages delivered by the bot within any one-second window. */
  maxPerSecond: number;
  /** How many calls the limits answered 429. */
  rateLimited: number;
}

export class SendLimits {
  #window: number[] = [];
  #paidWindow: number[] = [];
  #lastPerChat = new Map<string, number>();
  #stats: DeliveryStats = { deliveredPerChat: {}, minChatGapMs: null, maxPerSecond: 0, rateLimited: 0 };

  constructor(private readonly settings: LimitSettings, private readonly clock = () => performance.now()) {}

  /** The 429 this send gets, or undefined when it may go out now. */
  check(chat: string, paid: boolean): TelegramError | undefined {
    if (!this.settings.enforce) return undefined;
    const now = this.clock();
    const window = paid ? this.#paidWindow : this.#window;
    while (window.length && window[0] <= now - 1000) window.shift();
    const limit = paid ? this.settings.paidPerBotPerSecond : this.settings.perBotPerSecond;
    const last = this.#lastPerChat.get(chat);
    const chatWait = last === undefined ? 0 : last + this.settings.perChatIntervalMs - now;
    const botWait = window.length >= limit ? window[0] + 1000 - now : 0;
    const wait = Math.max(chatWait, botWait);
    if (wait <= 0) return undefined;
    this.#stats.rateLimited++;
    return tooManyRequests(Math.max(1, Math.ceil(wait / 1000)));
  }

  /** Records a send that took effect. */
  delivered(chat: string, paid: boolean): void {
    const now = this.clock();
    (paid ? this.#paidWindow : this.#window).push(now);
    const last = this.#lastPerChat.get(chat);
    if (last !== undefined) {
      const gap = Math.round(now - last);
      this.#stats.minChatGapMs = Math.min(this.#stats.minChatGapMs ?? gap, gap);
    }
    this.#lastPerChat.set(chat, now);
    this.#stats.deliveredPerChat[chat] = (this.#stats.deliveredPerChat[chat] ?? 0) + 1;
    this.#all.push(now);
    while (this.#all.length && this.#all[0] <= now - 1000) this.#all.shift();
    this.#stats.maxPerSecond = Math.max(this.#stats.maxPerSecond, this.#all.length);
  }

  #all: number[] = [];

  get stats(): DeliveryStats {
    return structuredClone(this.#stats);
  }

  reset(): void {
    this.#window = [];
    this.#paidWindow = [];
    this.#all = [];
    this.#lastPerChat.clear();
    this.#stats = { deliveredPerChat: {}, minChatGapMs: null, maxPerSecond: 0, rateLimited: 0 };
  }
}
