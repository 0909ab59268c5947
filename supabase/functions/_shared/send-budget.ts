import type { Database } from "./db.ts";
import { sleep } from "./sleep.ts";
import { TelegramApiError } from "./telegram.ts";

/**
 * The lane a sender takes its slots in. The budget's values are the bot's, the same for every
 * sender: private.settings holds them (telegram_messages_per_second,
 * telegram_paid_messages_per_second, telegram_rate_window_ms, telegram_chat_interval_ms).
 */
export interface BudgetLane {
  /** Sends carry allow_paid_broadcast: the paid lane and its rate. */
  paid?: boolean;
}

/**
 * The reminders dispatcher's slots carry its dispatcher lease generation: the database refuses
 * them once another run holds the lease (dispatcher_lease_lost).
 */
export interface SlotFence {
  generation: bigint;
  /** The run's last send time (the database's clock): no slot after it is taken. */
  notAfter: Date;
}

/** Times from the database: milliseconds from `clockMs`, the database's clock (epoch ms). */
export interface FromDatabase {
  clockMs: number;
  pausedMs: number;
}

/** The database calls of the bot's one send budget (private.take_telegram_send_slots and kin). */
export function createSendBudgetStore(db: Database, lane: BudgetLane = {}) {
  return {
    /** One slot per entry (a chat may repeat), in one statement: milliseconds to wait for each
     * (null where `fence.notAfter` left no slot). */
    async takeSlots(
      chatIds: string[],
      fence?: SlotFence,
    ): Promise<FromDatabase & { waits: (number | null)[] }> {
      type Row = { wait_ms: number | null; paused_ms: number; clock_ms: number };
      const rows = fence
        ? await db<Row[]>`
          select wait_ms, paused_ms, clock_ms from private.take_notification_send_slots(
            ${fence.generation.toString()}::bigint, ${chatIds}::bigint[], ${lane.paid ?? false},
            ${fence.notAfter.toISOString()}::timestamptz)`
        : await db<Row[]>`
          select wait_ms, paused_ms, clock_ms
          from private.take_telegram_send_slots(${chatIds}::bigint[], ${lane.paid ?? false})`;
      return {
        waits: rows.map((row) => row.wait_ms),
        pausedMs: rows[0]?.paused_ms ?? 0,
        clockMs: rows[0]?.clock_ms ?? 0,
      };
    },
    /** Records Telegram's retry_after for every sender. */
    async pause(retryAfterSeconds: number): Promise<FromDatabase> {
      const [row] = await db<{ ms: number; clock_ms: number }[]>`
        select private.pause_telegram_sends(${retryAfterSeconds}) as ms,
          extract(epoch from clock_timestamp())::double precision * 1000 as clock_ms`;
      return { pausedMs: row.ms, clockMs: row.clock_ms };
    },
    /** How long the bot is still paused by a retry_after announced to any sender. */
    async pausedFor(): Promise<FromDatabase> {
      const [row] = await db<{ ms: number; clock_ms: number }[]>`
        select private.telegram_sends_paused_for() as ms,
          extract(epoch from clock_timestamp())::double precision * 1000 as clock_ms`;
      return { pausedMs: row.ms, clockMs: row.clock_ms };
    },
  };
}

export type SendBudgetStore = ReturnType<typeof createSendBudgetStore>;

/**
 * A process's view of the bot's send budget. Slots come from the database (the same for every
 * process and both functions) on the database's clock, placed on this process's clock by an
 * offset estimated from the quickest round trip seen. A sender waits for its slot, and right before
 * it sends it checks that no retry_after was announced meanwhile, by this process (at once) or any
 * other (asked of the database `checkLeadMs` before the slot, one query shared by every send due
 * together). A send whose slot fell inside a pause does not go out, nor does one that could not
 * leave within `lateToleranceMs` of its slot (a busy machine): late sends would bunch up beyond the
 * margin the budget's window keeps for jitter. Their senders take new slots.
 */
export class SendBudget {
  /** The pause as the database told it last (this process's clock). */
  #pausedUntil = -Infinity;
  /** A 429 this process got, until the database has it too. */
  #announcing = -Infinity;
  #check: { startedAt: number; done: Promise<void> } | undefined;
  /** The database's clock minus this process's (epoch ms), and the round trip it was measured in. */
  #offset = { ms: 0, roundTripMs: Infinity };
  readonly #checkLeadMs: number;
  /** How long before its slot a sender asks whether a retry_after was announced meanwhile. */
  get checkLeadMs(): number {
    return this.#checkLeadMs;
  }
  readonly #lateToleranceMs: number;

  constructor(
    private readonly store: SendBudgetStore,
    options: { lateToleranceMs?: number; checkLeadMs?: number } = {},
  ) {
    this.#checkLeadMs = options.checkLeadMs ?? 40;
    this.#lateToleranceMs = options.lateToleranceMs ?? 10;
  }

  #now(): number {
    return performance.now();
  }

  /** Asks the database; returns its answer and a function placing its times on this process's clock. */
  async #ask<T extends FromDatabase>(
    question: () => Promise<T>,
  ): Promise<{ answer: T; local: (ms: number) => number }> {
    const asked = this.#now();
    const answer = await question();
    const answered = this.#now();
    const roundTrip = answered - asked;
    // The database's `clockMs` fell between asked and answered: the quickest round trip bounds the error best.
    if (roundTrip <= this.#offset.roundTripMs + 1) {
      this.#offset = {
        ms: answer.clockMs - (performance.timeOrigin + (asked + answered) / 2),
        roundTripMs: Math.min(roundTrip, this.#offset.roundTripMs),
      };
    }
    const base = answer.clockMs - this.#offset.ms - performance.timeOrigin;
    return { answer, local: (ms) => base + ms };
  }

  /**
   * Slots for these chats (one per entry), as times on this process's clock (performance.now());
   * `fence`: the dispatcher's, for its claimed messages, with no slot after its `notAfter`
   * (Infinity: none given).
   */
  async take(chatIds: string[], fence?: { generation: bigint; notAfter: number }): Promise<number[]> {
    if (chatIds.length === 0) return [];
    const asked = this.#now();
    const databaseFence = fence &&
      { generation: fence.generation, notAfter: this.databaseTime(fence.notAfter) };
    const { answer, local } = await this.#ask(() => this.store.takeSlots(chatIds, databaseFence));
    // The answer says the pause too: as good as a check asked when the take was.
    this.#pausedUntil = answer.pausedMs > 0 ? local(answer.pausedMs) : -Infinity;
    this.#check = { startedAt: asked, done: Promise.resolve() };
    // No slot (after the fence's last send time): never.
    return answer.waits.map((wait) => wait === null ? Infinity : local(wait));
  }

  /** A time on this process's clock (performance.now()) as the database's clock has it. */
  databaseTime(at: number): Date {
    return new Date(performance.timeOrigin + at + this.#offset.ms);
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
    // A slot given right at a pause's end may come a millisecond before it, as this process's clock
    // reads the two: a pause ending within the tolerance is waited out, not a reason to retake.
    const pauseLeft = this.pausedUntil - this.#now();
    if (pauseLeft > 0 && this.pausedUntil - slot <= this.#lateToleranceMs) await sleep(pauseLeft);
    const now = this.#now();
    return this.pausedUntil <= now && now - slot <= this.#lateToleranceMs;
  }

  /** Telegram answered 429: every sender of every process holds back for `retryAfterSeconds`. */
  async pause(retryAfterSeconds: number): Promise<void> {
    const until = this.#now() + retryAfterSeconds * 1000;
    this.#announcing = Math.max(this.#announcing, until);
    try {
      const { answer, local } = await this.#ask(() => this.store.pause(retryAfterSeconds));
      this.#pausedUntil = Math.max(this.#pausedUntil, local(answer.pausedMs));
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
    const done = this.#ask(() => this.store.pausedFor()).then(({ answer, local }) => {
      this.#pausedUntil = answer.pausedMs > 0 ? local(answer.pausedMs) : -Infinity;
    });
    this.#check = { startedAt: now, done };
    return done;
  }
}

/** No slot in the bot's budget came within the sender's bound. */
export class NoSendSlotError extends Error {
  constructor(readonly chatId: string, readonly msAway: number, maxWaitMs: number) {
    super(
      `no send slot for chat ${chatId} within ${maxWaitMs} ms (the next is ${Math.round(msAway)} ms away)`,
    );
    this.name = "NoSendSlotError";
  }
}

/**
 * Waits until a message to `chatId` may go: takes a slot, waits for it, and takes another when a
 * retry_after voided it or it could not leave in time. Throws NoSendSlotError when the slot lies
 * beyond `maxWaitMs` from now.
 */
export async function waitForSendSlot(
  budget: SendBudget,
  chatId: string,
  maxWaitMs: number,
  now: () => number = () => performance.now(),
): Promise<void> {
  const deadline = now() + maxWaitMs;
  while (true) {
    const [slot] = await budget.take([chatId]);
    if (slot > deadline) throw new NoSendSlotError(chatId, slot - now(), maxWaitMs);
    if (await budget.depart(slot)) return;
  }
}

/**
 * Sends one message within the bot's budget: waits for a slot at most `maxWaitMs`, and records a
 * 429's retry_after for every sender. Throws NoSendSlotError when no slot comes in time, or as
 * `send` throws.
 */
export async function sendWithinBudget<T>(
  budget: SendBudget,
  chatId: string,
  maxWaitMs: number,
  send: () => Promise<T>,
): Promise<T> {
  await waitForSendSlot(budget, chatId, maxWaitMs);
  try {
    return await send();
  } catch (error) {
    if (error instanceof TelegramApiError && error.code === 429) {
      await budget.pause(error.retryAfterSeconds ?? 1);
    }
    throw error;
  }
}
