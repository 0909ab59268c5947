/**
 * A fake Telegram Bot API for tests and benchmarks: answers the methods the bot uses, records
 * every call, and can be told to fail (429 with retry_after, 403 bot blocked, 400 chat not
 * found, 500, a hang) or to enforce Telegram's rate limits. The functions reach it through their
 * API-root setting (TELEGRAM_API_ROOT), exactly as they reach api.telegram.org.
 */

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  at: number;
}

export type InjectedFailure =
  | { kind: "too_many_requests"; retryAfter: number }
  | { kind: "blocked" }
  | { kind: "chat_not_found" }
  | { kind: "server_error" }
  | { kind: "hang"; milliseconds: number };

export interface FakeTelegramOptions {
  token: string;
  /** Answer 429 when the bot exceeds Telegram's limits (30 messages/s, 1/s per chat). */
  enforceRateLimits?: boolean;
  botUsername?: string;
}

export interface FakeTelegram {
  apiRoot: string;
  calls: RecordedCall[];
  /** Recorded calls of one method, e.g. sendMessage. */
  callsOf(method: string): RecordedCall[];
  /** Fails the next `times` calls of `method` (optionally only to `chatId`). */
  failNext(
    method: string,
    failure: InjectedFailure,
    options?: { times?: number; chatId?: number | string },
  ): void;
  /** How many calls were answered 429 because of the rate limits. */
  rateLimited: number;
  /** Waits until `predicate` holds for the recorded calls (polling), or throws after `timeoutMs`. */
  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Updates that getUpdates hands out (for the long-polling forwarder). */
  queueUpdate(update: Record<string, unknown>): void;
  reset(): void;
  close(): Promise<void>;
}

interface PendingFailure {
  method: string;
  failure: InjectedFailure;
  remaining: number;
  chatId?: string;
}

const errorBodies = {
  too_many_requests: (retryAfter: number) => ({
    ok: false,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  blocked: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
  chat_not_found: { ok: false, error_code: 400, description: "Bad Request: chat not found" },
  server_error: { ok: false, error_code: 500, description: "Internal Server Error" },
};

export function startFakeTelegram(options: FakeTelegramOptions): Promise<FakeTelegram> {
  const calls: RecordedCall[] = [];
  const failures: PendingFailure[] = [];
  const updates: Record<string, unknown>[] = [];
  let nextMessageId = 1;
  let nextUpdateId = 1;
  const sendTimes: number[] = [];
  const chatSendTimes = new Map<string, number>();
  const state = { rateLimited: 0 };
  const abort = new AbortController();

  const takeFailure = (method: string, chatId: string | undefined): InjectedFailure | undefined => {
    const index = failures.findIndex((f) =>
      f.method === method && (f.chatId === undefined || f.chatId === chatId)
    );
    if (index < 0) return undefined;
    const pending = failures[index];
    if (--pending.remaining <= 0) failures.splice(index, 1);
    return pending.failure;
  };

  const overRateLimit = (chatId: string, now: number): number | undefined => {
    while (sendTimes.length && sendTimes[0] <= now - 1000) sendTimes.shift();
    const lastToChat = chatSendTimes.get(chatId);
    // A little tolerance for timer jitter on a busy machine.
    if (sendTimes.length >= 30 || (lastToChat !== undefined && now - lastToChat < 950)) return 1;
    sendTimes.push(now);
    chatSendTimes.set(chatId, now);
    return undefined;
  };

  const answer = (method: string, payload: Record<string, unknown>): unknown => {
    const chat = { id: Number(payload.chat_id ?? 0), type: "private" };
    switch (method) {
      case "getMe":
        return {
          id: 424242,
          is_bot: true,
          first_name: "Habits",
          username: options.botUsername ?? "habits_test_bot",
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        };
      case "sendMessage":
        return { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat, text: payload.text };
      case "editMessageText":
        return {
          message_id: Number(payload.message_id ?? 0),
          date: Math.floor(Date.now() / 1000),
          chat,
          text: payload.text,
        };
      case "getUpdates":
        return updates.filter((update) => Number(update.update_id) >= Number(payload.offset ?? 0));
      default:
        // answerCallbackQuery, setWebhook, deleteWebhook, editMessageReplyMarkup, ...
        return true;
    }
  };

  const handler = async (request: Request): Promise<Response> => {
    const match = new URL(request.url).pathname.match(/^\/bot([^/]+)\/(\w+)$/);
    if (!match || match[1] !== options.token) {
      return Response.json({ ok: false, error_code: 404, description: "Not Found" }, { status: 404 });
    }
    const method = match[2];
    const text = await request.text();
    const payload = text ? JSON.parse(text) as Record<string, unknown> : {};
    const now = performance.now();
    calls.push({ method, payload, at: now });
    const chatId = payload.chat_id === undefined ? undefined : String(payload.chat_id);

    if (method === "getUpdates") {
      // Updates below the offset are confirmed; hold an empty poll briefly, as long polling does.
      updates.splice(
        0,
        updates.length,
        ...updates.filter((u) => Number(u.update_id) >= Number(payload.offset ?? 0)),
      );
      const until = Date.now() + Math.min(Number(payload.timeout ?? 0), 1) * 1000;
      while (updates.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    }
    const failure = takeFailure(method, chatId);
    if (failure?.kind === "hang") {
      await new Promise((resolve) => setTimeout(resolve, failure.milliseconds));
    } else if (failure) {
      const body = failure.kind === "too_many_requests"
        ? errorBodies.too_many_requests(failure.retryAfter)
        : errorBodies[failure.kind];
      return Response.json(body, { status: body.error_code });
    }
    if (options.enforceRateLimits && method === "sendMessage" && chatId !== undefined) {
      const retryAfter = overRateLimit(chatId, now);
      if (retryAfter !== undefined) {
        state.rateLimited++;
        const body = errorBodies.too_many_requests(retryAfter);
        return Response.json(body, { status: 429 });
      }
    }
    return Response.json({ ok: true, result: answer(method, payload) });
  };

  return new Promise((resolve) => {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, signal: abort.signal, onListen: () => {} },
      handler,
    );
    const apiRoot = `http://127.0.0.1:${server.addr.port}`;
    resolve({
      apiRoot,
      calls,
      get rateLimited() {
        return state.rateLimited;
      },
      callsOf: (method) => calls.filter((call) => call.method === method),
      failNext(method, failure, failOptions = {}) {
        failures.push({
          method,
          failure,
          remaining: failOptions.times ?? 1,
          chatId: failOptions.chatId === undefined ? undefined : String(failOptions.chatId),
        });
      },
      async waitFor(predicate, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        while (!predicate(calls)) {
          if (Date.now() > deadline) {
            throw new Error(`fake Telegram: condition not met within ${timeoutMs} ms`);
          }
          await new Promise((r) => setTimeout(r, 25));
        }
      },
      queueUpdate(update) {
        updates.push({ update_id: nextUpdateId++, ...update });
      },
      reset() {
        calls.length = 0;
        failures.length = 0;
        updates.length = 0;
        sendTimes.length = 0;
        chatSendTimes.clear();
        state.rateLimited = 0;
      },
      async close() {
        abort.abort();
        await server.finished;
      },
    });
  });
}
