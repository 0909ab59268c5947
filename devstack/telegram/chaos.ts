/**
 * Chaos mode: faults injected into Bot API calls, in-process or over the control endpoint.
 * A rule matches calls by method and chat, for the next `times` matching calls and/or for
 * `forMs` from now, and optionally only a `fraction` of them. The first matching rule applies.
 *
 * - slow: the call takes effect (the message reaches the chat), the answer comes delayMs later
 * - delay: the answer and the effect both wait delayMs (the request sits in a queue)
 * - hang: no answer until the client gives up; takeEffect says whether the call happened
 * - too_many_requests: 429 with retry_after, nothing happens
 * - server_error: 500 or 502, nothing happens; `page: "nginx"` answers with the HTML page of
 *   Telegram's nginx front end instead of the Bot API's JSON (what an outage looks like)
 * - blocked: 403 "bot was blocked by the user"; chat_not_found: 400 "chat not found"
 * - drop_connection: the call takes effect, then the TCP connection is closed with no answer
 */
import { z } from "zod";

const match = {
  methods: z.array(z.string()).optional(),
  chats: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  times: z.number().int().positive().optional(),
  forMs: z.number().int().positive().optional(),
  fraction: z.number().gt(0).max(1).optional(),
};

export const ChaosRule = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("slow"), delayMs: z.number().int().nonnegative(), ...match }).strict(),
  z.object({ kind: z.literal("delay"), delayMs: z.number().int().nonnegative(), ...match }).strict(),
  z.object({ kind: z.literal("hang"), takeEffect: z.boolean().default(false), ...match }).strict(),
  z.object({ kind: z.literal("too_many_requests"), retryAfter: z.number().int().positive(), ...match })
    .strict(),
  z.object({
    kind: z.literal("server_error"),
    status: z.union([z.literal(500), z.literal(502)]).default(500),
    page: z.enum(["bot_api", "nginx"]).default("bot_api"),
    ...match,
  })
    .strict(),
  z.object({ kind: z.literal("blocked"), ...match }).strict(),
  z.object({ kind: z.literal("chat_not_found"), ...match }).strict(),
  z.object({ kind: z.literal("drop_connection"), ...match }).strict(),
]);
export type ChaosRule = z.input<typeof ChaosRule>;
export type ChaosAction = z.output<typeof ChaosRule>;

interface ActiveRule {
  id: number;
  rule: ChaosAction;
  remaining?: number;
  until?: number;
}

export class Chaos {
  #rules: ActiveRule[] = [];
  #nextId = 1;

  constructor(private readonly random = Math.random) {}

  /** Adds a rule; returns its id (for remove). Throws a ZodError on a malformed rule. */
  add(rule: ChaosRule): number {
    const parsed = ChaosRule.parse(rule);
    const id = this.#nextId++;
    this.#rules.push({
      id,
      rule: parsed,
      remaining: parsed.times,
      until: parsed.forMs === undefined ? undefined : Date.now() + parsed.forMs,
    });
    return id;
  }

  remove(id: number): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length < before;
  }

  clear(): void {
    this.#rules = [];
  }

  get rules(): { id: number; rule: ChaosAction; remaining?: number; until?: string }[] {
    this.#expire();
    return this.#rules.map((r) => ({
      id: r.id,
      rule: r.rule,
      remaining: r.remaining,
      until: r.until === undefined ? undefined : new Date(r.until).toISOString(),
    }));
  }

  #expire() {
    const now = Date.now();
    this.#rules = this.#rules.filter((r) => (r.until === undefined || r.until > now) && r.remaining !== 0);
  }

  /** The fault for this call, if any (consumes one of the rule's `times`). */
  take(method: string, chat: string | undefined): ChaosAction | undefined {
    this.#expire();
    const lower = method.toLowerCase();
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.methods && !rule.methods.some((m) => m.toLowerCase() === lower)) continue;
      if (rule.chats && (chat === undefined || !rule.chats.includes(chat))) continue;
      if (rule.fraction !== undefined && this.random() >= rule.fraction) continue;
      if (active.remaining !== undefined) active.remaining--;
      return rule;
    }
    return undefined;
  }
}
