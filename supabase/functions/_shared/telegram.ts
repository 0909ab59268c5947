import { Bot, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";

export interface TelegramSettings {
  token: string;
  /** https://api.telegram.org, or a Bot API stand-in. */
  apiRoot: string;
  /** How long one Bot API call may take before it counts as failed. */
  timeoutSeconds?: number;
}

/** Telegram answered, with an error (`{ok:false,error_code,description,parameters}`). */
export class TelegramApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly description: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${method}: ${code}: ${description}`);
    this.name = "TelegramApiError";
  }
}

/**
 * No answer from Telegram. `timeout`: the request left and no answer came in time; `dropped`:
 * the connection broke, maybe after the request arrived. In both cases Telegram may have acted on
 * it ("maybe delivered"). `refused`: it could not be sent at all (connection refused, DNS).
 */
export class TelegramUnreachableError extends Error {
  constructor(readonly method: string, readonly kind: "timeout" | "dropped" | "refused", detail: string) {
    super(`${method}: ${kind === "timeout" ? "no answer in time" : "network error"}: ${detail}`);
    this.name = "TelegramUnreachableError";
  }
}

/**
 * Keep-alive connections, each request's body handed over as a stream. Deno's fetch sends a
 * request again, once, when a pooled keep-alive connection breaks before the answer
 * (denoland/deno#32566, narrowed to pooled connections by #36415): right for idempotent requests,
 * wrong for sendMessage, which Telegram may already have delivered. It resends only bodies it can
 * clone, never a stream: with the body as a stream every call is exactly one request, and the
 * connections are reused (a connection per request cost the dispatcher a third of its CPU: issue
 * 27). A connection idle for POOL_IDLE_MS is closed by this side, long before any server closes
 * an idle one, so a request rarely meets a connection the server has just closed. Where the
 * runtime has no Deno.createHttpClient, the default client is used.
 */
const POOL_IDLE_MS = 5_000;
const botApiClient = typeof Deno.createHttpClient === "function"
  ? Deno.createHttpClient({ poolIdleTimeout: POOL_IDLE_MS })
  : undefined;

const utf8 = new TextEncoder();

/**
 * A string or byte body as a one-chunk stream: a body fetch cannot send twice. It goes out
 * chunked (a stream has no length), as grammY's file uploads (core/payload.ts) reach the Bot API.
 */
function streamed(body: BodyInit | null | undefined): BodyInit | null | undefined {
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return body;
  const bytes = typeof body === "string" ? utf8.encode(body) : body;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/**
 * fetch with a deadline, on Deno's native fetch that never resends: exactly one request per call.
 * grammY's npm build brings node-fetch with a keep-alive agent, and Deno's node:http layer
 * resends an aborted POST on a reused connection (denoland/deno#36786): a timed-out
 * sendMessage reached the chat twice (issue 11). `signal` (grammY's own abort signal) is honoured.
 */
export function timedFetch(timeoutMs: number) {
  return async (url: string | URL | Request, init: RequestInit & { signal?: unknown } = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const outer = new AbortController();
    const callerSignal = init.signal as
      | { aborted?: boolean; addEventListener?: (type: string, listener: () => void) => void }
      | undefined;
    if (callerSignal?.aborted) outer.abort();
    callerSignal?.addEventListener?.("abort", () => outer.abort());
    const { method, headers, body } = init;
    return await botApiFetch(url, {
      method,
      headers,
      body,
      signal: AbortSignal.any([timeout, outer.signal]),
    });
  };
}

/** Deno's fetch on the Bot API's keep-alive client, the body as a stream: exactly one request. */
function botApiFetch(url: string | URL | Request, init: RequestInit): Promise<Response> {
  return fetch(url, {
    ...init,
    body: streamed(init.body),
    ...(botApiClient ? { client: botApiClient } : {}),
  });
}

/** No answer came: timed out, the connection broke after the request left, or it never left. */
function noAnswer(method: string, error: unknown, timeoutMs: number): TelegramUnreachableError {
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return new TelegramUnreachableError(method, "timeout", `after ${timeoutMs} ms`);
  }
  // Deno's fetch says "fetch failed" and names what failed in `cause`; "(Connect)" is the
  // connection phase (TCP, DNS, TLS), before any byte of the request left.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  // Never the URL: it holds the bot's token, and the detail is stored and shown.
  const detail = `${error instanceof Error ? error.message : String(error)}${cause}`
    .replace(/ for url \([^)]*\)/g, "").replace(/bot\d+:[\w-]+/g, "bot<token>");
  const neverSent = /\(Connect\)|refused|dns|lookup|resolve|no route|unreachable/i.test(detail);
  return new TelegramUnreachableError(method, neverSent ? "refused" : "dropped", detail);
}

/** An error status whose body is not the Bot API's JSON: nginx's HTML page in an outage. */
function foreignAnswer(method: string, response: Response, text: string | undefined): TelegramApiError {
  const title = text?.match(/<title>([^<]{1,100})<\/title>/i)?.[1].trim();
  const what = text === undefined
    ? "its body was cut off"
    : `${title ? `an HTML page "${title}"` : "a body"} from Telegram's front end, not the Bot API`;
  const retryAfter = Number(response.headers.get("retry-after"));
  return new TelegramApiError(
    method,
    response.status,
    `${response.statusText || `HTTP ${response.status}`} (${what})`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

type BotApiBody<T> = {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: unknown;
};

/**
 * Calls one Bot API method with native fetch and a deadline. Resolves to the result, or throws
 * TelegramApiError (Telegram said no) or TelegramUnreachableError (no answer).
 *
 * An answer with an error status is Telegram's (or its front end's) refusal, whatever its body:
 * nothing was sent. Only a request that left and got no answer, or a 2xx whose body was lost,
 * may have taken effect ("maybe delivered").
 */
export async function callBotApi<T>(
  settings: TelegramSettings,
  method: string,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T> {
  const url = `${settings.apiRoot.replace(/\/$/, "")}/bot${settings.token}/${method}`;
  const timeoutMs = (settings.timeoutSeconds ?? 10) * 1000;
  // One deadline for the request and its answer's body, whose timer ends with the call (at
  // thousands of sends a second, AbortSignal.timeout would keep a timer per send for timeoutMs).
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException("Signal timed out.", "TimeoutError")),
    timeoutMs,
  );
  const callerAborted = () => deadline.abort();
  if (signal?.aborted) deadline.abort();
  signal?.addEventListener("abort", callerAborted, { once: true });
  let response: Response;
  let text: string;
  try {
    try {
      response = await botApiFetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
        signal: deadline.signal,
      });
    } catch (error) {
      throw noAnswer(method, error, timeoutMs);
    }
    try {
      text = await response.text();
    } catch (error) {
      if (!response.ok) throw foreignAnswer(method, response, undefined);
      throw noAnswer(method, error, timeoutMs);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", callerAborted);
  }
  let body: BotApiBody<T>;
  try {
    body = JSON.parse(text);
  } catch {
    if (!response.ok) throw foreignAnswer(method, response, text);
    throw new TelegramUnreachableError(
      method,
      "dropped",
      `HTTP ${response.status} without the Bot API's JSON body`,
    );
  }
  if (body.ok) return body.result as T;
  const parameters = body.parameters as { retry_after?: unknown } | undefined;
  const retryAfter = typeof parameters?.retry_after === "number" ? parameters.retry_after : undefined;
  throw new TelegramApiError(
    method,
    body.error_code ?? response.status,
    body.description ?? "no description",
    retryAfter,
  );
}

/**
 * The bot's own identity without asking Telegram: the numeric id is the part of the token before
 * the colon, the username comes from configuration. grammY then never waits on getMe.
 */
export function botInfoFromConfig(token: string, username: string): UserFromGetMe {
  const id = Number(token.split(":")[0]);
  return {
    id: Number.isSafeInteger(id) ? id : 0,
    is_bot: true,
    first_name: username,
    username,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as UserFromGetMe;
}

/**
 * A grammY bot on native fetch with a bounded request time, knowing itself from configuration. A
 * bot that only sends (delete-account's goodbye) needs no username: commands are never parsed.
 */
export function createBot<C extends Context = Context>(
  settings: TelegramSettings & { username?: string },
): Bot<C> {
  const timeoutSeconds = settings.timeoutSeconds ?? 10;
  return new Bot<C>(settings.token, {
    botInfo: botInfoFromConfig(settings.token, settings.username ?? "unknown_bot"),
    client: {
      apiRoot: settings.apiRoot.replace(/\/$/, ""),
      // grammY's own timer is a backstop; the native fetch's deadline ends the request first.
      timeoutSeconds: timeoutSeconds + 1,
      fetch: timedFetch(timeoutSeconds * 1000) as unknown as typeof fetch,
    },
  });
}
