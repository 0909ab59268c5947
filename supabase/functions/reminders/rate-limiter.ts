/**
 * Spaces out sends to respect Telegram's limits: at most `perSecond` messages a second for the
 * bot, and one message per `chatIntervalMs` to the same chat. Each send gets the earliest slot
 * that is at least 1/perSecond away from every other reserved send and after its chat's gap, so
 * a message waiting for its chat never holds up messages to other chats. After a 429, sends wait
 * until Telegram's retry_after is over and are spread out again from there.
 */
import { sleep } from "../_shared/sleep.ts";

export class SendRateLimiter {
  /** Reserved send times, ascending. */
  #reserved: number[] = [];
  #nextChatSlot = new Map<string, number>();
  #pausedUntil = 0;
  /** When sends really left (last second), and each chat's last one. */
  #sent: number[] = [];
  #lastSent = new Map<string, number>();
  readonly #spacing: number;
  readonly #perSecond: number;

  constructor(
    perSecond: number,
    private readonly chatIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#spacing = 1000 / perSecond;
    this.#perSecond = Math.max(1, Math.floor(perSecond + 1e-9));
  }

  /** Reserves a slot for a message to `chat` and returns when it is (same clock as `now`). */
  reserve(chat: string): number {
    const now = this.now();
    while (this.#reserved.length > 0 && this.#reserved[0] < now - this.#spacing) this.#reserved.shift();
    let at = Math.max(now, this.#nextChatSlot.get(chat) ?? 0, this.#pausedUntil);
    for (const other of this.#reserved) {
      if (other + this.#spacing <= at) continue;
      if (other >= at + this.#spacing) break;
      at = other + this.#spacing;
    }
    this.#reserved.splice(this.#insertionIndex(at), 0, at);
    this.#nextChatSlot.set(chat, at + this.chatIntervalMs);
    return at;
  }

  /**
   * Waits until the message's slot. If Telegram asked the bot to pause meanwhile, the message
   * gets a new slot after the pause. Returns the slot it was sent in, or null (and gives the slot
   * up) as soon as the send could not start by `until`: no wait outlasts the run.
   */
  async waitFor(slot: number, chat: string, until = Infinity): Promise<number | null> {
    while (true) {
      if (this.#pausedUntil > slot) {
        this.#release(slot);
        slot = this.reserve(chat);
      }
      const wait = Math.max(slot - this.now(), this.#guardWait(chat));
      if (wait <= 0) {
        this.#markSent(chat);
        return slot;
      }
      if (this.now() + wait > until) {
        this.#release(slot);
        return null;
      }
      await sleep(wait);
    }
  }

  /** How long sends are still held after Telegram's last 429 (0 when they are not). */
  pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.now());
  }

  /**
   * Slots are spaced, but timers fire late on a busy machine and late sends bunch up: the limits
   * are checked once more against the times sends really left. How much longer to wait, or 0.
   */
  #guardWait(chat: string): number {
    const now = this.now();
    while (this.#sent.length > 0 && this.#sent[0] <= now - 1000) this.#sent.shift();
    const botWait = this.#sent.length >= this.#perSecond
      ? this.#sent[this.#sent.length - this.#perSecond] + 1000 - now
      : 0;
    const chatWait = (this.#lastSent.get(chat) ?? -Infinity) + this.chatIntervalMs - now;
    return Math.max(botWait, chatWait, 0);
  }

  #markSent(chat: string): void {
    const now = this.now();
    this.#sent.push(now);
    this.#lastSent.set(chat, now);
  }

  /**
   * A message another run sent at `at` (same clock as `now`): a run that starts right after
   * another keeps the chat's gap and the bot's rate.
   */
  recordEarlierSend(chat: string, at: number): void {
    this.#reserved.splice(this.#insertionIndex(at), 0, at);
    const later = this.#sent.findIndex((sent) => sent > at);
    this.#sent.splice(later < 0 ? this.#sent.length : later, 0, at);
    this.#lastSent.set(chat, Math.max(this.#lastSent.get(chat) ?? -Infinity, at));
    this.#nextChatSlot.set(chat, Math.max(this.#nextChatSlot.get(chat) ?? 0, at + this.chatIntervalMs));
  }

  /** Telegram answered 429: hold every send for `milliseconds`. */
  pauseFor(milliseconds: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + milliseconds);
  }

  #release(slot: number): void {
    const index = this.#reserved.indexOf(slot);
    if (index >= 0) this.#reserved.splice(index, 1);
  }

  #insertionIndex(at: number): number {
    let index = this.#reserved.length;
    while (index > 0 && this.#reserved[index - 1] > at) index--;
    return index;
  }
}
