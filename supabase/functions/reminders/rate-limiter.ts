/**
 * Spaces out sends to respect Telegram's limits: at most `perSecond` messages a second for the
 * bot, and one message per `chatIntervalMs` to the same chat. Each send reserves the earliest
 * slot that satisfies both; after a 429, every send waits until Telegram's retry_after is over.
 */
export class SendRateLimiter {
  #nextSlot = 0;
  #nextChatSlot = new Map<string, number>();
  #pausedUntil = 0;

  constructor(
    private readonly perSecond: number,
    private readonly chatIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Reserves a slot for a message to `chat` and returns when it is (same clock as `now`). */
  reserve(chat: string): number {
    const at = Math.max(this.now(), this.#nextSlot, this.#nextChatSlot.get(chat) ?? 0, this.#pausedUntil);
    this.#nextSlot = at + 1000 / this.perSecond;
    this.#nextChatSlot.set(chat, at + this.chatIntervalMs);
    return at;
  }

  /** Waits until `slot`, and longer while Telegram has asked the bot to pause. */
  async waitFor(slot: number): Promise<void> {
    let until = Math.max(slot, this.#pausedUntil);
    while (until > this.now()) {
      await new Promise((resolve) => setTimeout(resolve, until - this.now()));
      until = Math.max(slot, this.#pausedUntil);
    }
  }

  /** Telegram answered 429: hold every send for `milliseconds`. */
  pauseFor(milliseconds: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.now() + milliseconds);
    this.#nextSlot = Math.max(this.#nextSlot, this.#pausedUntil);
  }
}
