import { sleep } from "../_shared/sleep.ts";
import type { OutboxStore } from "./store.ts";

/** How a run that finds the lease held waits for a holder that is about to give it up. */
export interface LeaseWait {
  /** A holder that has held the lease this long has stopped claiming (it asked for this run). */
  holderEndsAfterMs: number;
  /** The longest wait; then the run answers busy. */
  maxWaitMs: number;
  /** How often to look (default 20 ms). */
  pollMs?: number;
}

/**
 * This run's hold on the dispatcher lease, as far as the run itself can tell. The database refuses
 * a claim or record from a generation that lost the lease, but it cannot stop a request to
 * Telegram: so before every send the run checks that its lease has not run out by its own
 * monotonic clock, counting from when it asked for the last renewal that succeeded, less a
 * margin. A run frozen past its lease (SIGSTOP, a stalled host) wakes up to a lapsed lease and
 * sends nothing, even before it learns that another run took over.
 */
export class DispatcherLease {
  /** The database said another run holds the lease, or it lapsed before a send. */
  lost = false;
  #validUntil: number;
  #renewal: Promise<void> = Promise.resolve();
  #releasing = false;

  private constructor(
    readonly generation: bigint,
    private readonly store: OutboxStore,
    private readonly holder: string,
    private readonly seconds: number,
    private readonly now: () => number,
    askedAt: number,
  ) {
    this.#validUntil = this.#validFrom(askedAt);
  }

  /** Takes the lease for a new run; null while another run holds it. */
  static async take(store: OutboxStore, seconds: number, now: () => number): Promise<DispatcherLease | null> {
    const holder = crypto.randomUUID();
    const askedAt = now();
    const generation = await store.holdDispatcherLease(holder, seconds);
    return generation === null ? null : new DispatcherLease(generation, store, holder, seconds, now, askedAt);
  }

  /**
   * Takes the lease for a new run. While a run near its end holds it (one that has stopped
   * claiming and asked for this run as its successor), waits for it to be given up, so the
   * hand-over costs no send time; while any other run holds it, returns null at once (busy).
   */
  static async takeOrWait(
    store: OutboxStore,
    seconds: number,
    now: () => number,
    wait: LeaseWait,
  ): Promise<DispatcherLease | null> {
    const giveUpAt = now() + wait.maxWaitMs;
    while (true) {
      const lease = await DispatcherLease.take(store, seconds, now);
      if (lease) return lease;
      const heldMs = await store.dispatcherLeaseHeldMs();
      if (heldMs !== null && heldMs < wait.holderEndsAfterMs) return null;
      if (now() >= giveUpAt) return null;
      await sleep(Math.min(wait.pollMs ?? 20, giveUpAt - now()));
    }
  }

  /** Renews the lease. A failed renewal only lets it run out; another generation means it is lost. */
  renew(): Promise<void> {
    if (this.#releasing) return this.#renewal;
    this.#renewal = this.#renew();
    return this.#renewal;
  }

  async #renew(): Promise<void> {
    const askedAt = this.now();
    try {
      const generation = await this.store.holdDispatcherLease(this.holder, this.seconds);
      if (generation !== this.generation) this.lost = true;
      else this.#validUntil = Math.max(this.#validUntil, this.#validFrom(askedAt));
    } catch {
      // The database is unreachable: the lease runs out here before it does there.
    }
  }

  /** Whether this run may still send; once false, it stays false. */
  holds(): boolean {
    if (!this.lost && this.now() >= this.#validUntil) this.lost = true;
    return !this.lost;
  }

  /**
   * Gives the lease up; unless `force`, only when nothing is left to send. A renewal still on its
   * way is waited for first, so that it cannot take the lease again after it was given up.
   */
  async release(force: boolean): Promise<boolean> {
    this.#releasing = true;
    await this.#renewal;
    const released = await this.store.releaseDispatcherLease(this.holder, force);
    this.#releasing = released;
    return released;
  }

  /** How often to renew. */
  get renewEveryMs(): number {
    return this.seconds * 1000 / 3;
  }

  /** The lease as the database granted it runs from a moment after `askedAt`; less the margin. */
  #validFrom(askedAt: number): number {
    const leaseMs = this.seconds * 1000;
    return askedAt + leaseMs - Math.min(2000, leaseMs / 3);
  }
}
