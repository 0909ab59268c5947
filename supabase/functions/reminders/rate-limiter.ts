/**
 * Spaces out sends to respect Telegram's limits: at most `perSecond` messages a second for the
 * bot, and one message per `chatIntervalMs` to the same chat. Each send gets the earliest slot
 * that is at least 1/perSecond away from every other reserved send and after its chat's gap, so
 * a message waiting for its chat never holds up messages to other chats. After a 429, sends wait
 * until Telegram's retry_after is over and are spread out again from there.
 */
export class SendRateLimiter {
  /** Reserved send times, ascending. */
  #reserved: number[] = [];
  #nextChatSlot = new Map<string, number>();
  #pausedUntil = 0;
  readonly #spacing: number;

  constructor(
    perSecond: number,
    private readonly chatIntervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#spacing = 1000 / perSecond;
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
   * gets a new slot after the pause. Returns the slot it was sent in.
   */
  async waitFor(slot: number, chat: string): Promise<number> {
    while (true) {
      if (this.#pausedUntil > slot) {
        this.#release(slot);
        slot = this.reserve(chat);
      }
      const wait = slot - this.now();
      if (wait <= 0) return slot;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /**
   * A message another run sent at `at` (same clock as `now`): a run that starts right after
   * another keeps the chat's gap and the bot's rate.
   */
  recordEarlierSend(chat: string, at: number): void {
    this.#reserved.splice(this.#insertionIndex(at), 0, at);
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
