/**
 * The simulated people, over HTTP (the chat page uses it; so can tests in another process):
 *
 *   GET  /api/users                      every person (and their chat's version)
 *   POST /api/users                      {first_name, username?, id?} → the new person
 *   GET  /api/chats/ID                   what the person sees: messages, keyboards, callback answers
 *   POST /api/chats/ID/messages          {text[, shown]} the person sends a message or command
 *   POST /api/chats/ID/press             {message_id, data} the person presses an inline button
 *   POST /api/chats/ID/blocked           {blocked} the person blocks or unblocks the bot
 *   POST /api/chats/ID/remind-now        {habit?} (devstack only) one reminder of the chosen habit, now
 *
 * and the pages: `/` (the chat page) and `/<bot username>?start=<payload>`, where a t.me deep
 * link lands: it opens the chat page, which sends "/start <payload>".
 */
import type { BotApi } from "./bot.ts";
import { chatPage } from "./chat-page.ts";
import { jsonBody, problem } from "./control.ts";
import type { DevHooks, Reply } from "./reply.ts";

const START_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

export function chatRoutes(api: BotApi, username: string, hooks: DevHooks) {
  const html = (body: string): Reply => ({ status: 200, body, contentType: "text/html; charset=utf-8" });
  const pageOptions = { remindNow: hooks.remindNow !== undefined };
  return async (method: string, url: URL, body: Uint8Array): Promise<Reply | undefined> => {
    const path = url.pathname;
    if (method === "GET" && path === "/") return html(chatPage(username, pageOptions));
    if (method === "GET" && path.toLowerCase() === `/${username.toLowerCase()}`) {
      const start = url.searchParams.get("start");
      if (start !== null && !START_PAYLOAD.test(start)) {
        return problem(400, "a start payload is 1-64 characters of A-Z, a-z, 0-9, _ and -");
      }
      return html(chatPage(username, { ...pageOptions, start: start ?? undefined }));
    }
    if (!path.startsWith("/api/")) return undefined;
    const input = jsonBody(body) as Record<string, unknown> | undefined;
    if (method !== "GET" && (!input || typeof input !== "object")) return problem(400, "send a JSON object");
    try {
      if (path === "/api/users" && method === "GET") {
        return {
          status: 200,
          body: [...api.model.chats.values()].filter((c) => !c.group).map((c) => ({
            ...c.user,
            version: c.version,
            blocked: c.blocked,
          })),
        };
      }
      if (path === "/api/users" && method === "POST") {
        const name = String(input!.first_name ?? "").trim();
        if (name.length < 1 || name.length > 64) return problem(400, "first_name: 1-64 characters");
        const handle = input!.username === undefined || input!.username === ""
          ? undefined
          : String(input!.username);
        if (handle !== undefined && !/^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(handle)) {
          return problem(400, "username: 5-32 characters of A-Z, a-z, 0-9 and _, starting with a letter");
        }
        const id = input!.id === undefined ? undefined : Number(input!.id);
        if (id !== undefined && (!Number.isSafeInteger(id) || id <= 0)) {
          return problem(400, "id: a positive integer");
        }
        return { status: 201, body: api.createUser({ first_name: name, username: handle, id }) };
      }
      const match = /^\/api\/chats\/(\d+)(?:\/(messages|press|blocked|remind-now))?$/.exec(path);
      if (!match) return problem(404, `no endpoint ${method} ${path}`);
      const chatId = Number(match[1]);
      const chat = api.model.chat(chatId);
      if (!chat) return problem(404, `no person with id ${chatId}`);
      if (method === "GET" && !match[2]) return { status: 200, body: chat };
      if (method === "POST" && match[2] === "messages") {
        const text = String(input!.text ?? "");
        if (text.trim() === "" || [...text].length > 4096) return problem(400, "text: 1-4096 characters");
        const shown = input!.shown === undefined ? undefined : String(input!.shown);
        return { status: 201, body: api.sendText(chatId, text, shown) };
      }
      if (method === "POST" && match[2] === "press") {
        return {
          status: 201,
          body: {
            callback_query_id: api.press(chatId, Number(input!.message_id), String(input!.data ?? "")),
          },
        };
      }
      if (method === "POST" && match[2] === "blocked") {
        if (typeof input!.blocked !== "boolean") return problem(400, "blocked: true or false");
        api.setBlocked(chatId, input!.blocked);
        return { status: 200, body: { blocked: input!.blocked } };
      }
      if (method === "POST" && match[2] === "remind-now") {
        if (!hooks.remindNow) return problem(404, "remind-now is offered only on the devstack");
        const habit = input!.habit === undefined ? undefined : String(input!.habit);
        return { status: 200, body: await hooks.remindNow(chatId, habit) };
      }
      return problem(405, `${method} is not allowed on ${path}`);
    } catch (error) {
      return problem(400, error instanceof Error ? error.message : String(error));
    }
  };
}
