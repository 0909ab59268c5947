/**
 * The Bot API methods the project calls, with Telegram's checks and answers, on top of the chat
 * model (what each person sees), the send limits and the update queue. Also the simulated users'
 * side: sending text and commands, pressing inline buttons, blocking the bot.
 */
import {
  badRequest,
  blockedByUser,
  chatNotFound,
  notFound,
  TelegramError,
  tooManyRequests,
} from "./errors.ts";
import { checkMessageText } from "./html.ts";
import { type LimitSettings, SendLimits } from "./limits.ts";
import { checkLinkPreviewOptions, checkReplyMarkup, sameMarkup } from "./markup.ts";
import {
  type Chat,
  type ChatMessage,
  ChatModel,
  type InlineKeyboardMarkup,
  unixNow,
  type User,
} from "./model.ts";
import { checkParams, type Params, type ParamSpec } from "./params.ts";
import { checkWebhookUrl, type DeliverySettings, UpdateQueue } from "./updates.ts";

export interface BotSettings {
  token: string;
  username: string;
  firstName: string;
  limits: LimitSettings;
  delivery: Omit<DeliverySettings, "executeReply">;
  /**
   * Updates may reach the bot without passing through the stand-in (tests post them straight to
   * the webhook), so a chat, message or callback query id it has not seen is taken as real.
   */
  externalUpdates: boolean;
  /** How long a callback query can be answered (Telegram drops them after about 150 s). */
  callbackTtlMs: number;
}

const SEND_TEXT: ParamSpec = {
  chat_id: "chat_id",
  text: "string",
  parse_mode: "string",
  link_preview_options: "object",
  disable_web_page_preview: "boolean",
  reply_markup: "object",
};

const SPECS: Record<string, ParamSpec> = {
  getMe: {},
  sendMessage: {
    ...SEND_TEXT,
    disable_notification: "boolean",
    protect_content: "boolean",
    allow_paid_broadcast: "boolean",
  },
  editMessageText: { ...SEND_TEXT, message_id: "integer" },
  editMessageReplyMarkup: { chat_id: "chat_id", message_id: "integer", reply_markup: "object" },
  answerCallbackQuery: {
    callback_query_id: "string",
    text: "string",
    show_alert: "boolean",
    url: "string",
    cache_time: "integer",
  },
  setWebhook: {
    url: "string",
    secret_token: "string",
    allowed_updates: "array",
    drop_pending_updates: "boolean",
    max_connections: "integer",
  },
  deleteWebhook: { drop_pending_updates: "boolean" },
  getWebhookInfo: {},
  getUpdates: { offset: "integer", limit: "integer", timeout: "integer", allowed_updates: "array" },
  setMyCommands: { commands: "array", scope: "object", language_code: "string" },
  getMyCommands: { scope: "object", language_code: "string" },
  deleteMyCommands: { scope: "object", language_code: "string" },
};

/** Method names are case-insensitive in the Bot API. */
const CANONICAL = new Map(Object.keys(SPECS).map((name) => [name.toLowerCase(), name]));
export const canonicalMethod = (name: string) => CANONICAL.get(name.toLowerCase());

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  at: number;
}

export class BotApi {
  readonly model = new ChatModel();
  readonly limits: SendLimits;
  readonly updates: UpdateQueue;
  readonly botUser: { id: number; is_bot: true; first_name: string; username: string };
  /** Every call that reached a method (after the token check), in order. */
  readonly calls: RecordedCall[] = [];
  readonly callsPerMethod: Record<string, number> = {};
  #commands = new Map<string, { command: string; description: string }[]>();
  #lastSetWebhook = -Infinity;
  /** Notified whenever a chat changes (the chat page's live view). */
  onChange: (chatId: number) => void = () => {};

  constructor(private readonly settings: BotSettings) {
    this.limits = new SendLimits(settings.limits);
    this.updates = new UpdateQueue({
      ...settings.delivery,
      executeReply: async (method, params) => {
        const canonical = canonicalMethod(method);
        if (!canonical) return;
        this.record(canonical, params);
        await this.call(canonical, params, new AbortController().signal);
      },
    });
    const id = Number(/^(\d+):/.exec(settings.token)?.[1] ?? 0);
    this.botUser = { id, is_bot: true, first_name: settings.firstName, username: settings.username };
  }

  /** The chat id a call names (for chaos rules and counters), if any. */
  static chatOf(params: Record<string, unknown>): string | undefined {
    return params.chat_id === undefined || params.chat_id === null ? undefined : String(params.chat_id);
  }

  /** Records a call that reached a method, before chaos or checks decide its answer. */
  record(method: string, payload: Record<string, unknown>): void {
    this.calls.push({ method, payload, at: performance.now() });
    this.callsPerMethod[method] = (this.callsPerMethod[method] ?? 0) + 1;
  }

  /** Runs a method; `method` must be canonical (see canonicalMethod). Throws TelegramError. */
  call(method: string, raw: Record<string, unknown>, signal: AbortSignal): Promise<unknown> | unknown {
    const spec = SPECS[method];
    if (!spec) throw notFound();
    const params = checkParams(method, spec, raw);
    switch (method) {
      case "getMe":
        return {
          ...this.botUser,
          can_join_groups: false,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
          can_connect_to_business: false,
          has_main_web_app: false,
        };
      case "sendMessage":
        return this.#sendMessage(params);
      case "editMessageText":
        return this.#editMessage(params, true);
      case "editMessageReplyMarkup":
        return this.#editMessage(params, false);
      case "answerCallbackQuery":
        return this.#answerCallbackQuery(params);
      case "setWebhook":
        return this.#setWebhook(params);
      case "deleteWebhook":
        this.updates.deleteWebhook(params.drop_pending_updates === true);
        return true;
      case "getWebhookInfo":
        return this.updates.info();
      case "getUpdates":
        return this.updates.getUpdates(params as Parameters<UpdateQueue["getUpdates"]>[0], signal);
      case "setMyCommands":
        this.#commands.set(commandsKey(params), checkCommands(params.commands ?? []));
        return true;
      case "getMyCommands":
        return this.#commands.get(commandsKey(params)) ?? [];
      case "deleteMyCommands":
        this.#commands.delete(commandsKey(params));
        return true;
    }
    throw notFound();
  }

  /** The chat a bot call targets, with Telegram's 400/403 when it cannot write there. */
  #targetChat(params: Params): Chat {
    const chatId = params.chat_id;
    if (chatId === undefined || chatId === "") throw badRequest("chat_id is empty");
    if (typeof chatId !== "number") throw chatNotFound();
    let chat = this.model.chat(chatId);
    if (!chat && this.settings.externalUpdates && chatId > 0) {
      this.model.createUser({ id: chatId, first_name: "Test" });
      chat = this.model.chat(chatId)!;
      chat.started = true;
    }
    if (!chat && this.settings.externalUpdates && chatId < 0) chat = this.model.createGroup(chatId);
    if (!chat || !chat.started) throw chatNotFound();
    if (chat.blocked) throw blockedByUser();
    return chat;
  }

  #text(params: Params) {
    if (params.text === undefined) throw badRequest("message text is empty");
    const mode = params.parse_mode as string | undefined;
    if (mode !== undefined && mode !== "" && mode.toLowerCase() !== "html") {
      if (["markdown", "markdownv2"].includes(mode.toLowerCase())) {
        throw badRequest(`parse_mode ${mode} is not supported by the stand-in (HTML only)`);
      }
      throw badRequest("unsupported parse_mode");
    }
    const checked = checkMessageText(params.text as string, mode ? "HTML" : undefined);
    if (!checked.ok) throw new TelegramError(400, checked.description);
    if (params.link_preview_options) checkLinkPreviewOptions(params.link_preview_options);
    return checked;
  }

  #messageObject(chat: Chat, message: ChatMessage) {
    return {
      message_id: message.message_id,
      from: message.from === "bot" ? this.botUser : chat.user,
      chat: chat.group ? { id: chat.user.id, title: chat.user.first_name, type: chat.group } : {
        id: chat.user.id,
        first_name: chat.user.first_name,
        ...(chat.user.username ? { username: chat.user.username } : {}),
        type: "private",
      },
      date: message.date,
      ...(message.edit_date ? { edit_date: message.edit_date } : {}),
      text: message.text,
      ...(message.entities.length ? { entities: message.entities } : {}),
      ...(message.reply_markup?.inline_keyboard.length ? { reply_markup: message.reply_markup } : {}),
      ...(message.protected ? { has_protected_content: true } : {}),
    };
  }

  #sendMessage(params: Params) {
    const chat = this.#targetChat(params);
    const text = this.#text(params);
    const markup = params.reply_markup ? checkReplyMarkup(params.reply_markup) : undefined;
    const key = String(chat.user.id);
    const paid = params.allow_paid_broadcast === true;
    const limited = this.limits.check(key, paid);
    if (limited) throw limited;
    this.limits.delivered(key, paid);
    const message = this.model.add(chat, {
      from: "bot",
      text: text.text,
      entities: text.entities,
      ...(markup ? { reply_markup: markup } : {}),
      ...(params.disable_notification === true ? { silent: true } : {}),
      ...(params.protect_content === true ? { protected: true } : {}),
    });
    this.onChange(chat.user.id);
    return this.#messageObject(chat, message);
  }

  #editMessage(params: Params, withText: boolean) {
    if (params.chat_id === undefined) {
      throw badRequest(
        "inline_message_id edits are not supported by the stand-in: pass chat_id and message_id",
      );
    }
    const chat = this.#targetChat(params);
    if (params.message_id === undefined) throw badRequest("message identifier is not specified");
    let message = chat.messages.find((m) => m.message_id === params.message_id);
    if (!message && this.settings.externalUpdates) {
      message = {
        message_id: params.message_id as number,
        from: "bot",
        date: unixNow(),
        text: "",
        entities: [],
      };
      chat.messages.push(message);
    }
    if (!message) throw badRequest("message to edit not found");
    if (message.from !== "bot") throw badRequest("message can't be edited");
    const markup = params.reply_markup ? checkReplyMarkup(params.reply_markup) : undefined;
    const text = withText ? this.#text(params) : undefined;
    const sameText = !text ||
      (text.text === message.text && JSON.stringify(text.entities) === JSON.stringify(message.entities));
    if (sameText && sameMarkup(markup, message.reply_markup)) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    if (text) {
      message.text = text.text;
      message.entities = text.entities;
    }
    message.reply_markup = markup as InlineKeyboardMarkup | undefined;
    message.edit_date = unixNow();
    chat.version++;
    this.onChange(chat.user.id);
    return this.#messageObject(chat, message);
  }

  #answerCallbackQuery(params: Params) {
    const id = params.callback_query_id as string | undefined;
    const expired = () => badRequest("query is too old and response timeout expired or query ID is invalid");
    if (!id) throw expired();
    const callback = this.model.callbacks.get(id);
    const text = params.text as string | undefined;
    if (text !== undefined && [...text].length > 200) throw badRequest("MESSAGE_TOO_LONG");
    if (!callback) {
      if (this.settings.externalUpdates) return true;
      throw expired();
    }
    if (callback.answered || Date.now() - callback.queuedAt > this.settings.callbackTtlMs) throw expired();
    callback.answered = true;
    const chat = this.model.chat(callback.chatId)!;
    chat.answers.push({
      callback_query_id: id,
      message_id: callback.messageId,
      ...(text ? { text } : {}),
      show_alert: params.show_alert === true,
      ...(params.url ? { url: params.url as string } : {}),
      at: Date.now(),
    });
    chat.version++;
    this.onChange(chat.user.id);
    return true;
  }

  #setWebhook(params: Params) {
    const url = (params.url as string | undefined) ?? "";
    if (performance.now() - this.#lastSetWebhook < 1000) throw tooManyRequests(1);
    this.#lastSetWebhook = performance.now();
    const dropPending = params.drop_pending_updates === true;
    if (url === "") {
      this.updates.deleteWebhook(dropPending);
      return true;
    }
    checkWebhookUrl(url);
    const secret = params.secret_token as string | undefined;
    if (secret !== undefined) {
      if (secret.length > 256) throw badRequest("secret token is too long");
      if (!/^[A-Za-z0-9_-]*$/.test(secret)) throw badRequest("secret token contains unallowed characters");
    }
    const allowed = params.allowed_updates as unknown[] | undefined;
    if (allowed?.some((u) => typeof u !== "string")) throw badRequest("can't parse allowed_updates");
    this.updates.setWebhook({
      url,
      secretToken: secret || undefined,
      allowedUpdates: allowed?.length ? allowed as string[] : undefined,
      maxConnections: Math.min(100, Math.max(1, (params.max_connections as number | undefined) ?? 40)),
    }, dropPending);
    return true;
  }

  // ---- the simulated people ----

  createUser(input: { first_name: string; username?: string; id?: number }): User {
    const user = this.model.createUser(input);
    this.onChange(user.id);
    return user;
  }

  #userChat(userId: number): Chat {
    const chat = this.model.chat(userId);
    if (!chat) throw new Error(`no simulated user ${userId}`);
    return chat;
  }

  /**
   * The person sends `text` (a leading /command gets its bot_command entity). `shown` is what
   * they see of it: a deep link sends "/start <payload>" but shows "/start".
   */
  sendText(userId: number, text: string, shown?: string): ChatMessage {
    const chat = this.#userChat(userId);
    if (text.length === 0 || [...text].length > 4096) throw new Error("a message is 1-4096 characters");
    chat.started = true;
    const command = /^\/[A-Za-z0-9_]{1,32}(@\w+)?/.exec(text)?.[0];
    const entities = command ? [{ type: "bot_command", offset: 0, length: command.length }] : [];
    const message = this.model.add(chat, { from: "user", text, entities, ...(shown ? { shown } : {}) });
    if (chat.blocked) {
      // Writing to a bot unblocks it, as in the Telegram apps.
      this.setBlocked(userId, false);
    }
    this.updates.push({ message: this.#messageObject(chat, message) }, String(userId));
    this.onChange(userId);
    return message;
  }

  /** The person presses an inline button with callback_data on one of the bot's messages. */
  press(userId: number, messageId: number, data: string): string {
    const chat = this.#userChat(userId);
    const message = chat.messages.find((m) => m.message_id === messageId && m.from === "bot");
    const button = message?.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === data);
    if (!message || !button) throw new Error(`message ${messageId} has no button with data ${data}`);
    const callback = this.model.newCallback(userId, messageId);
    this.updates.push({
      callback_query: {
        id: callback.id,
        from: chat.user,
        message: this.#messageObject(chat, message),
        chat_instance: String(-userId * 7),
        data,
      },
    }, String(userId));
    return callback.id;
  }

  /** The person blocks (or unblocks) the bot: sends fail with 403, and my_chat_member reports it. */
  setBlocked(userId: number, blocked: boolean): void {
    const chat = this.#userChat(userId);
    if (chat.blocked === blocked) return;
    chat.blocked = blocked;
    chat.version++;
    const member = (status: string) => ({
      user: this.botUser,
      status,
      ...(status === "kicked" ? { until_date: 0 } : {}),
    });
    this.updates.push({
      my_chat_member: {
        chat: { id: userId, first_name: chat.user.first_name, type: "private" },
        from: chat.user,
        date: unixNow(),
        old_chat_member: member(blocked ? "member" : "kicked"),
        new_chat_member: member(blocked ? "kicked" : "member"),
      },
    }, String(userId));
    this.onChange(userId);
  }

  reset(): void {
    this.calls.length = 0;
    for (const key of Object.keys(this.callsPerMethod)) delete this.callsPerMethod[key];
    this.limits.reset();
    this.updates.clear();
    this.#lastSetWebhook = -Infinity;
  }
}

function commandsKey(params: Params): string {
  const scope = params.scope as { type?: string } | undefined;
  if (scope && scope.type !== "default") {
    throw badRequest(`command scope "${scope.type}" is not supported by the stand-in (default scope only)`);
  }
  return String(params.language_code ?? "");
}

function checkCommands(value: unknown): { command: string; description: string }[] {
  const list = value as { command?: unknown; description?: unknown }[];
  if (list.length > 100) throw badRequest("too many commands specified");
  return list.map((entry) => {
    const command = String(entry?.command ?? "").replace(/^\//, "");
    const description = String(entry?.description ?? "");
    if (command === "") throw badRequest("command must be non-empty");
    if (command.length > 32) throw badRequest("command length must not exceed 32");
    if (!/^[a-z0-9_]+$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
    if (description === "") throw badRequest("command description must be non-empty");
    if ([...description].length > 256) throw badRequest("command description length must not exceed 256");
    return { command, description };
  });
}
