/**
 * The Telegram Bot API stand-in: `/bot<token>/<method>` as api.telegram.org answers it, chaos
 * mode, the control endpoints (`/_control/…`) and the chat page. node:http rather than
 * Deno.serve, because dropping a connection without an answer needs the socket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Buffer } from "node:buffer";
import { z } from "zod";
import type { RunningService } from "../service.ts";
import { BotApi, canonicalMethod } from "./bot.ts";
import { Chaos } from "./chaos.ts";
import { persistChats } from "./persistence.ts";
import { chatRoutes } from "./chat-api.ts";
import { controlRoutes } from "./control.ts";
import { nginxErrorPage, notFound, serverError, TelegramError, unauthorized } from "./errors.ts";
import { readRawParams } from "./params.ts";
import type { Counters, DevHooks, Reply } from "./reply.ts";
import { crossOriginRefusal, ownOrigins } from "../local-origin.ts";
import { sleep } from "../../supabase/functions/_shared/sleep.ts";

export type { Counters, DevHooks, Reply } from "./reply.ts";

export const TelegramOptions = z.object({
  hostname: z.string().default("127.0.0.1"),
  /** 0 picks a free port. */
  port: z.number().int().min(0).max(65535).default(54326),
  /** The bot's token, `<bot id>:<secret>` as @BotFather issues them. */
  token: z.string().regex(/^[1-9]\d{0,19}:[A-Za-z0-9_-]{1,80}$/, "a token looks like 123456:ABC-def"),
  username: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/).default("habits_local_bot"),
  firstName: z.string().min(1).default("Habits"),
  /** Answer 429 beyond Telegram's limits. */
  enforceLimits: z.boolean().default(true),
  perBotPerSecond: z.number().int().positive().default(30),
  paidPerBotPerSecond: z.number().int().positive().default(1000),
  perChatIntervalMs: z.number().int().nonnegative().default(1000),
  /** Webhook: no answer within this long is a failure (Telegram: 60 s). */
  webhookTimeoutMs: z.number().int().positive().default(60_000),
  /** Webhook retries back off up to this long (Telegram: about 60 s). */
  webhookMaxBackoffMs: z.number().int().positive().default(60_000),
  callbackTtlMs: z.number().int().positive().default(150_000),
  /** Where people, chats, messages and the next ids are kept between runs (none: forget on exit). */
  stateFile: z.string().optional(),
  /** See BotSettings.externalUpdates: for tests that post updates straight to the webhook. */
  externalUpdates: z.boolean().default(false),
  /** Registered at start, as `setWebhook` would (the devstack's webhook function). */
  webhook: z.object({
    url: z.string().url(),
    secretToken: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/).optional(),
    allowedUpdates: z.array(z.string()).optional(),
  }).optional(),
}).strict();
export type TelegramOptions = z.input<typeof TelegramOptions>;

export interface RunningTelegram extends RunningService {
  /** What TELEGRAM_API_ROOT points at (the same as url). */
  apiRoot: string;
  token: string;
  username: string;
  api: BotApi;
  chaos: Chaos;
  counters(): Counters;
  /** Clears calls, counters, chaos and queued updates (chats and people stay). */
  reset(): void;
}

export async function startTelegram(
  options: TelegramOptions,
  hooks: DevHooks = {},
): Promise<RunningTelegram> {
  const config = TelegramOptions.parse(options);
  const api = new BotApi({
    token: config.token,
    username: config.username,
    firstName: config.firstName,
    limits: {
      enforce: config.enforceLimits,
      perBotPerSecond: config.perBotPerSecond,
      paidPerBotPerSecond: config.paidPerBotPerSecond,
      perChatIntervalMs: config.perChatIntervalMs,
    },
    delivery: { timeoutMs: config.webhookTimeoutMs, maxBackoffMs: config.webhookMaxBackoffMs },
    externalUpdates: config.externalUpdates,
    callbackTtlMs: config.callbackTtlMs,
  });
  const chaos = new Chaos();
  // retryAfterUntil: when the latest announced retry_after ends (performance.now()).
  const tally = { tooManyRequests: 0, sendsInsideRetryAfter: 0, retryAfterUntil: -Infinity };
  const counters = (): Counters => {
    const stats = api.limits.stats;
    return {
      callsPerMethod: { ...api.callsPerMethod },
      deliveredPerChat: stats.deliveredPerChat,
      rateLimited: stats.rateLimited,
      tooManyRequests: tally.tooManyRequests,
      sendsInsideRetryAfter: tally.sendsInsideRetryAfter,
      minChatGapMs: stats.minChatGapMs,
      maxPerSecond: stats.maxPerSecond,
      webhook: { ...api.updates.deliveries },
    };
  };
  const reset = () => {
    api.reset();
    chaos.clear();
    tally.tooManyRequests = 0;
    tally.sendsInsideRetryAfter = 0;
    tally.retryAfterUntil = -Infinity;
  };
  const persisted = config.stateFile ? persistChats(api, config.stateFile) : undefined;
  if (config.webhook) {
    api.updates.setWebhook({ ...config.webhook, maxConnections: 40 }, false);
  }

  const sockets = new Set<Socket>();
  const abortOnClose = new AbortController();

  const send = (response: ServerResponse, reply: Reply) => {
    if (response.writableEnded || response.destroyed) return;
    const json = reply.contentType === undefined;
    const body = json ? JSON.stringify(reply.body) : String(reply.body);
    const headers: Record<string, string> = {
      "content-type": reply.contentType ?? "application/json",
      "content-length": String(Buffer.byteLength(body)),
    };
    const retryAfter = (reply.body as { parameters?: { retry_after?: number } })?.parameters?.retry_after;
    if (reply.status === 429 && retryAfter) headers["retry-after"] = String(retryAfter);
    if (reply.status === 429) tally.tooManyRequests++;
    if (reply.status === 429 && retryAfter) {
      tally.retryAfterUntil = Math.max(tally.retryAfterUntil, performance.now() + retryAfter * 1000);
    }
    response.writeHead(reply.status, headers);
    response.end(body);
  };

  // Only a long poll (getUpdates) waits on its signal: it ends when its client goes away. Other
  // calls answer at once, so they are spared a listener and a joined signal each.
  const callSignal = (method: string, response: ServerResponse): AbortSignal => {
    if (method !== "getUpdates") return abortOnClose.signal;
    const clientGone = new AbortController();
    response.once("close", () => clientGone.abort());
    return AbortSignal.any([clientGone.signal, abortOnClose.signal]);
  };

  const botCall = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    token: string,
    name: string,
    body: Uint8Array,
  ) => {
    if (token !== config.token) return send(response, { status: 401, body: unauthorized().body });
    const method = canonicalMethod(name);
    if (!method) return send(response, { status: 404, body: notFound().body });
    let raw: Record<string, unknown>;
    try {
      raw = await readRawParams(url, String(request.headers["content-type"] ?? ""), body);
    } catch (error) {
      if (error instanceof TelegramError) return send(response, { status: error.code, body: error.body });
      throw error;
    }
    api.record(method, raw);
    if (method === "sendMessage" && performance.now() < tally.retryAfterUntil) tally.sendsInsideRetryAfter++;
    const fault = chaos.take(method, BotApi.chatOf(raw));
    const fail = (error: TelegramError) => send(response, { status: error.code, body: error.body });
    switch (fault?.kind) {
      case "too_many_requests":
        return fail(
          new TelegramError(429, `Too Many Requests: retry after ${fault.retryAfter}`, fault.retryAfter),
        );
      case "server_error":
        if (fault.page === "nginx") {
          return send(response, {
            status: fault.status,
            body: nginxErrorPage(fault.status),
            contentType: "text/html",
          });
        }
        return fail(serverError(fault.status));
      case "blocked":
        return fail(new TelegramError(403, "Forbidden: bot was blocked by the user"));
      case "chat_not_found":
        return fail(new TelegramError(400, "Bad Request: chat not found"));
      case "delay":
        await sleep(fault.delayMs, abortOnClose.signal);
        break;
      case "hang":
        if (!fault.takeEffect) return; // the socket stays open until the client gives up or we close
    }
    let reply: Reply;
    try {
      const result = await api.call(method, raw, callSignal(method, response));
      reply = { status: 200, body: { ok: true, result } };
    } catch (error) {
      if (!(error instanceof TelegramError)) throw error;
      reply = { status: error.code, body: error.body };
    }
    switch (fault?.kind) {
      case "hang":
        return;
      case "drop_connection":
        request.socket.destroy();
        return;
      case "slow":
        await sleep(fault.delayMs, abortOnClose.signal);
    }
    send(response, reply);
  };

  const routes = [controlRoutes({ api, chaos, counters, reset }), chatRoutes(api, config.username, hooks)];

  let own: ReadonlySet<string> = new Set();
  const server = createServer((request, response) => {
    const chunks: Uint8Array[] = [];
    request.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    request.on("end", async () => {
      const body = concat(chunks);
      const url = new URL(request.url ?? "/", "http://stand-in");
      try {
        const bot = /^\/bot([^/]*)\/(?:test\/)?([A-Za-z]+)$/.exec(url.pathname);
        const facts = { method: request.method ?? "GET", header: (name: string) => headerOf(request, name) };
        // The Bot API takes every method by GET and also forms; the tools' API takes JSON only.
        const refusal = bot
          ? crossOriginRefusal(facts, own, { everyMethod: true, programsSendJson: false })
          : crossOriginRefusal(facts, own);
        if (refusal) {
          const answer = bot
            ? { ok: false, error_code: 403, description: `Forbidden: ${refusal}` }
            : { error: refusal };
          return send(response, { status: 403, body: answer });
        }
        if (bot) return await botCall(request, response, url, bot[1], bot[2], body);
        for (const route of routes) {
          const reply = await route(request.method ?? "GET", url, body);
          if (reply) return send(response, reply);
        }
        send(response, { status: 404, body: notFound().body });
      } catch (error) {
        console.error("telegram stand-in:", error);
        send(response, { status: 500, body: serverError().body });
      }
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.hostname, () => resolve());
  });
  const address = server.address() as { port: number };
  const url = `http://${config.hostname}:${address.port}`;
  own = ownOrigins(config.hostname, address.port);

  let closing: Promise<void> | undefined;
  return {
    url,
    apiRoot: url,
    token: config.token,
    username: config.username,
    api,
    chaos,
    counters,
    reset,
    close() {
      closing ??= new Promise<void>((resolve) => {
        persisted?.flush();
        abortOnClose.abort();
        api.updates.close();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}
