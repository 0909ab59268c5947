import type { ClaimedNotification } from "./store.ts";

/** How long a voided slot's message waits for the next claim before it takes a slot alone. */
export const RETAKE_WAIT_MS = 600;

interface Waiting {
  notification: ClaimedNotification;
  resolve: (slot: number | undefined) => void;
}

/**
 * New slots for messages whose slot was voided before they left (a send too late for its slot, a
 * retry_after announced meanwhile), taken with the next claim's in its one statement. The take
 * serves chats in order of readiness, so the chat's gap, counted from the voided slot, is met
 * inside the claim's span. Taken alone, a retake's slot came a chat gap (1.1 s) after the voided
 * one, and the bot's next slot after that: about half a second of the budget left idle per retake.
 * A message waits at most RETAKE_WAIT_MS for a claim; once no claim follows, retakes go alone.
 */
export class Retakes {
  #waiting: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #open = true;

  constructor(
    private readonly takeAlone: (notifications: ClaimedNotification[]) => Promise<(number | undefined)[]>,
  ) {}

  /** A new slot for `notification` (undefined: none; Infinity: none before the run's end). */
  slotFor(notification: ClaimedNotification): Promise<number | undefined> {
    const slot = new Promise<number | undefined>((resolve) => this.#waiting.push({ notification, resolve }));
    if (!this.#open) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), RETAKE_WAIT_MS);
    return slot;
  }

  /** The messages waiting, to be taken with a claim; `settle` hands each its slot. */
  drain(): { notifications: ClaimedNotification[]; settle: (slots: (number | undefined)[]) => void } {
    const taken = this.#take();
    return {
      notifications: taken.map((waiting) => waiting.notification),
      settle: (slots) => taken.forEach((waiting, i) => waiting.resolve(slots[i])),
    };
  }

  /** Takes what waits, alone (no claim is coming). */
  async flush(): Promise<void> {
    const taken = this.#take();
    if (taken.length === 0) return;
    const slots = await this.takeAlone(taken.map((waiting) => waiting.notification)).catch(() => []);
    taken.forEach((waiting, i) => waiting.resolve(slots[i]));
  }

  /** No more claims: what waits, and every later retake, takes its slot alone. */
  close(): Promise<void> {
    this.#open = false;
    return this.flush();
  }

  #take(): Waiting[] {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#waiting.splice(0);
  }
}
