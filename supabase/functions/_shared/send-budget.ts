import type { Database } from "./db.ts";
import { sleep } from "./sleep.ts";

/**
 * What a sender may override of the bot's send budget (private.settings holds the values every
 * sender uses: telegram_messages_per_second, telegram_paid_messages_per_second,
 * telegram_rate_window_ms, telegram_chat_interval_ms). Unset: the settings.
 */
export interface BudgetOverrides {
  /** Sends carry allow_paid_broadcast: the paid lane and its rate. */
  paid?: boolean;
  messagesPerSecond?: number;
  chatIntervalMs?: number;
}

/** The database calls of the bot's one send budget (private.take_telegram_send_slots and kin). */
export function createSendBudgetStore(db: Database, overrides: BudgetOverrides = {}) {
  return {
    /** One slot per entry (a chat may repeat), in one statement: milliseconds to wait for each. */
    async takeSlots(chatIds: string[]): Promise<number[]> {
      if (chatIds.length === 0) return [];
      const rows = await db<{ slot: number; wait_ms: number }[]>`
        select slot, wait_ms from private.take_telegram_send_slots(
          ${chatIds}::bigint[], ${overrides.paid ?? false}, ${overrides.messagesPerSecond ?? null}::numeric,
          ${overrides.chatIntervalMs ?? null}::integer)`;
      return rows.map((row) => row.wait_ms);
    },
    /** Records Telegram's retry_after for every sender; milliseconds the bot is paused for. */
    async pause(retryAfterSeconds: number): Promise<number> {
      const [row] = await db<
        { ms: number }[]
      >`select private.pause_telegram_sends(${retryAfterSeconds}) as ms`;
      return row.ms;
    },
    /** Milliseconds the bot is still paused by a retry_after announced to any sender. */
    async pausedFor(): Promise<number> {
      const [row] = await db<{ ms: number }[]>`select private.telegram_sends_paused_for() as ms`;
      return row.ms;
    },
  };
}

export type SendBudgetStore = ReturnType<typeof createSendBudgetStore>;

/**
 * A process's view of the bot's send budget. Slots come from the database (the same for every
 * process and both functions); a sender waits for its slot, and right before it sends it checks
 * that no retry_after was announced meanwhile, by this process (at once) or any other (asked of
 * the database shortly before the slot, one query shared by every send due together). A send
 * whose slot fell inside a pause does not go out, nor does one that could not leave within
 * `lateToleranceMs` of its slot (a busy machine): late sends would bunch up beyond the margin the
 * budget's window keeps for jitter. Their senders take new slots.
 */
export class SendBudget {
  /** The pause as the database told it last (this process's clock). */
  #pausedUntil = -Infinity;
  /** A 429 this process got, until the database has it too. */
  #announcing = -Infinity;
  #check: { startedAt: number; done: Promise<void> } | undefined;
  readonly #checkLeadMs: number;
  readonly #lateToleranceMs: number;

  constructor(
    private readonly store: SendBudgetStore,
    private readonly options: { lateToleranceMs?: number; checkLeadMs?: number; now?: () => number } = {},
  ) {
    this.#checkLeadMs = options.checkLeadMs ?? 20;
    this.#lateToleranceMs = options.lateToleranceMs ?? 25;
  }

  #now(): number {
    return (this.options.now ?? (() => performance.now()))();
  }

  /** Slots for these chats (one per entry), as times on this process's clock (`now`). */
  async take(chatIds: string[]): Promise<number[]> {
    const waits = await this.store.takeSlots(chatIds);
    const now = this.#now();
    return waits.map((wait) => now + wait);
  }

  /** When the bot may send again, as far as this process knows (this process's clock). */
  get pausedUntil(): number {
    return Math.max(this.#pausedUntil, this.#announcing);
  }

  /**
   * Waits for `slot`; true when the message may go now, false when a retry_after covers it or it
   * is too late (take a new slot: the database gives none inside a pause). Never true before the slot.
   */
  async depart(slot: number): Promise<boolean> {
    const checkAt = slot - this.#checkLeadMs;
    if (checkAt > this.#now()) await sleep(checkAt - this.#now());
    const checked = this.#refreshPause();
    if (slot > this.#now()) await sleep(slot - this.#now());
    await checked;
    const now = this.#now();
    return this.pausedUntil <= now && now - slot <= this.#lateToleranceMs;
  }

  /** Telegram answered 429: every sender of every process holds back for `retryAfterSeconds`. */
  async pause(retryAfterSeconds: number): Promise<void> {
    const until = this.#now() + retryAfterSeconds * 1000;
    this.#announcing = Math.max(this.#announcing, until);
    try {
      const ms = await this.store.pause(retryAfterSeconds);
      this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    } finally {
      if (this.#announcing === until) this.#announcing = -Infinity;
    }
  }

  /**
   * Asks the database for the pause (it is the one truth: the pause another process announced,
   * or none once it has passed), unless a question asked within the lead is still good.
   */
  #refreshPause(): Promise<void> {
    const now = this.#now();
    if (this.#check && now - this.#check.startedAt < this.#checkLeadMs) return this.#check.done;
    const done = this.store.pausedFor().then((ms) => {
      this.#pausedUntil = ms > 0 ? this.#now() + ms : -Infinity;
    });
    this.#check = { startedAt: now, done };
    return done;
  }
}
