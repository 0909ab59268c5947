/**
 * Update delivery as Telegram does it. With a webhook: one POST per update carrying
 * X-Telegram-Bot-Api-Secret-Token, any 2xx is success, anything else or no answer within the
 * timeout is retried (first retry at once, then 2, 4, 8 … s up to a cap, or the bot's
 * Retry-After), one queue per chat (an update waits until the one before it succeeded), queues in
 * parallel up to max_connections. Without one: getUpdates with offset/limit/timeout long polling,
 * 409 while a webhook is set or when another poll takes over.
 */
import { badRequest, TelegramError } from "./errors.ts";

export type Update = { update_id: number } & Record<string, unknown>;

export interface WebhookSettings {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
  maxConnections: number;
}

export interface DeliverySettings {
  /** No answer within this long counts as a failure ("Read timeout expired"); Telegram: 60 s. */
  timeoutMs: number;
  /** The longest wait between two attempts (Telegram: about 60 s). */
  maxBackoffMs: number;
  /** A reply carrying a method (`{"method": …}`) is executed, as Telegram does. */
  executeReply: (method: string, params: Record<string, unknown>) => Promise<void>;
}

interface Queued {
  update: Update;
  key: string;
  attempts: number;
  nextAttemptAt: number;
  inFlight: boolean;
  /** Telegram drops undelivered updates: callback queries after 150 s, the rest after 24 h. */
  expiresAt: number;
}

const LIFETIME_MS: Record<string, number> = { callback_query: 150_000 };
const DEFAULT_LIFETIME_MS = 24 * 3600_000;

const DEFAULT_EXCLUDED = ["chat_member", "message_reaction", "message_reaction_count"];

export const updateType = (update: Update) => Object.keys(update).find((k) => k !== "update_id")!;

interface Poll {
  resolve: (updates: Update[]) => void;
  reject: (error: TelegramError) => void;
}

export class UpdateQueue {
  #queue: Queued[] = [];
  #nextUpdateId = 1 + Math.floor(Math.random() * 100_000_000);
  #webhook: WebhookSettings | undefined;
  #lastError: { date: number; message: string } | undefined;
  #pollAllowed: string[] | undefined;
  #poll: Poll | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight = new Set<AbortController>();
  #closed = false;
  /** Webhook POSTs made, by outcome (for tests). */
  readonly deliveries = { attempts: 0, failures: 0 };

  constructor(private readonly settings: DeliverySettings) {}

  /** The next update's id: update ids only grow, across runs too (see persistence.ts). */
  get nextUpdateId(): number {
    return this.#nextUpdateId;
  }

  set nextUpdateId(id: number) {
    this.#nextUpdateId = Math.max(this.#nextUpdateId, id);
  }

  get webhook(): WebhookSettings | undefined {
    return this.#webhook;
  }

  #allowed(): string[] | undefined {
    return this.#webhook ? this.#webhook.allowedUpdates : this.#pollAllowed;
  }

  /** Queues an update (its type must be allowed); `key` orders it (the chat or the sender). */
  push(payload: Record<string, unknown>, key: string): Update | undefined {
    const update = { update_id: this.#nextUpdateId++, ...payload } as Update;
    const type = updateType(update);
    const allowed = this.#allowed();
    if (allowed?.length ? !allowed.includes(type) : DEFAULT_EXCLUDED.includes(type)) return undefined;
    this.#queue.push({
      update,
      key,
      attempts: 0,
      nextAttemptAt: 0,
      inFlight: false,
      expiresAt: Date.now() + (LIFETIME_MS[type] ?? DEFAULT_LIFETIME_MS),
    });
    if (this.#webhook) this.#pump();
    else this.#answerPoll();
    return update;
  }

  setWebhook(webhook: WebhookSettings, dropPending: boolean): void {
    if (dropPending) this.#queue = this.#queue.filter((q) => q.inFlight);
    this.#webhook = webhook;
    this.#lastError = undefined;
    this.#poll?.reject(new TelegramError(409, "Conflict: terminated by setWebhook request"));
    this.#poll = undefined;
    this.#pump();
  }

  deleteWebhook(dropPending: boolean): void {
    this.#webhook = undefined;
    if (dropPending) this.#queue = this.#queue.filter((q) => q.inFlight);
    for (const q of this.#queue) q.nextAttemptAt = 0;
  }

  info() {
    return {
      url: this.#webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.#queue.length,
      ...(this.#lastError
        ? { last_error_date: this.#lastError.date, last_error_message: this.#lastError.message }
        : {}),
      ...(this.#webhook
        ? {
          max_connections: this.#webhook.maxConnections,
          ...(this.#webhook.allowedUpdates ? { allowed_updates: this.#webhook.allowedUpdates } : {}),
        }
        : {}),
    };
  }

  /** getUpdates: confirms updates below `offset`, then answers at once or after a long poll. */
  getUpdates(
    params: { offset?: number; limit?: number; timeout?: number; allowed_updates?: string[] },
    signal: AbortSignal,
  ): Promise<Update[]> {
    if (this.#webhook) {
      throw new TelegramError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    if (params.allowed_updates) {
      this.#pollAllowed = params.allowed_updates.length ? params.allowed_updates : undefined;
    }
    const offset = params.offset ?? 0;
    if (offset < 0) this.#queue = this.#queue.slice(offset);
    else if (offset > 0) this.#queue = this.#queue.filter((q) => q.update.update_id >= offset);
    const limit = Math.min(100, Math.max(1, params.limit ?? 100));
    const timeoutMs = Math.min(50, Math.max(0, params.timeout ?? 0)) * 1000;
    this.#poll?.reject(
      new TelegramError(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      ),
    );
    this.#poll = undefined;
    const now = Date.now();
    this.#queue = this.#queue.filter((q) => q.expiresAt > now);
    const ready = () => this.#queue.slice(0, limit).map((q) => q.update);
    if (this.#queue.length > 0 || timeoutMs === 0) return Promise.resolve(ready());
    return new Promise<Update[]>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (this.#poll === poll) this.#poll = undefined;
      };
      const poll: Poll = {
        resolve: () => {
          done();
          resolve(ready());
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      const onAbort = () => poll.resolve([]);
      const timer = setTimeout(() => poll.resolve([]), timeoutMs);
      signal.addEventListener("abort", onAbort);
      this.#poll = poll;
    });
  }

  #answerPoll() {
    this.#poll?.resolve([]);
  }

  /** Starts every delivery that may start now and schedules the next retry. */
  #pump() {
    clearTimeout(this.#timer);
    const webhook = this.#webhook;
    if (!webhook || this.#closed) return;
    const now = Date.now();
    this.#queue = this.#queue.filter((q) => q.inFlight || q.expiresAt > now);
    const busyKeys = new Set(this.#queue.filter((q) => q.inFlight).map((q) => q.key));
    let running = busyKeys.size;
    let nextWake = Infinity;
    const seen = new Set<string>();
    for (const queued of this.#queue) {
      if (seen.has(queued.key)) continue; // only the head of each chat's queue
      seen.add(queued.key);
      if (queued.inFlight) continue;
      if (queued.nextAttemptAt > now) {
        nextWake = Math.min(nextWake, queued.nextAttemptAt);
        continue;
      }
      if (running >= webhook.maxConnections) break;
      running++;
      this.#deliver(queued, webhook);
    }
    if (nextWake < Infinity) this.#timer = setTimeout(() => this.#pump(), nextWake - now);
  }

  async #deliver(queued: Queued, webhook: WebhookSettings) {
    queued.inFlight = true;
    queued.attempts++;
    this.deliveries.attempts++;
    const abort = new AbortController();
    this.#inFlight.add(abort);
    const timer = setTimeout(() => abort.abort(new Error("Read timeout expired")), this.settings.timeoutMs);
    let failure: string | undefined;
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(webhook.secretToken ? { "X-Telegram-Bot-Api-Secret-Token": webhook.secretToken } : {}),
        },
        body: JSON.stringify(queued.update),
        signal: abort.signal,
      });
      const body = await response.text();
      if (response.ok) await this.#executeReply(response.headers.get("content-type") ?? "", body);
      else {
        failure = `Wrong response from the webhook: ${response.status} ${response.statusText}`.trim();
        const header = Number(response.headers.get("retry-after"));
        if (Number.isFinite(header) && header > 0) retryAfterMs = Math.min(header, 3600) * 1000;
      }
    } catch (error) {
      failure = abort.signal.aborted
        ? "Read timeout expired"
        : `Connection refused${error instanceof Error ? ` (${error.message})` : ""}`;
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(abort);
    }
    queued.inFlight = false;
    if (this.#closed) return;
    if (failure === undefined) {
      this.#queue = this.#queue.filter((q) => q !== queued);
    } else {
      this.deliveries.failures++;
      this.#lastError = { date: Math.floor(Date.now() / 1000), message: failure };
      const backoff = queued.attempts === 1
        ? 0
        : Math.min(this.settings.maxBackoffMs, 1000 * 2 ** (queued.attempts - 1));
      queued.nextAttemptAt = Date.now() + (retryAfterMs ?? backoff);
    }
    this.#pump();
  }

  async #executeReply(contentType: string, body: string) {
    if (!contentType.includes("application/json") || body.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (
      !parsed || typeof parsed !== "object" || typeof (parsed as { method?: unknown }).method !== "string"
    ) return;
    const { method, ...params } = parsed as { method: string };
    if (/^(get|setwebhook$|deletewebhook$|close$|logout$)/i.test(method)) return;
    await this.settings.executeReply(method, params).catch(() => {});
  }

  /** Drops every queued update (for tests). */
  clear(): void {
    this.#queue = this.#queue.filter((q) => q.inFlight);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const abort of this.#inFlight) abort.abort();
    this.#poll?.resolve([]);
  }
}

/** Telegram wants HTTPS on 443, 80, 88 or 8443; the stand-in also accepts http:// on loopback. */
export function checkWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest("invalid webhook URL specified");
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname);
  if (loopback && (parsed.protocol === "http:" || parsed.protocol === "https:")) return;
  if (parsed.protocol !== "https:") {
    throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
  }
  const port = parsed.port === "" ? "443" : parsed.port;
  if (!["80", "88", "443", "8443"].includes(port)) {
    throw badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
  }
}
