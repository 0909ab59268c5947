/**
 * What each simulated person sees: their private chat with the bot (messages with their inline
 * keyboards, edits applied, callback answers shown as toasts), and whether they started or
 * blocked the bot. A private chat's id equals the user's id, as in Telegram.
 */
import type { MessageEntity } from "./html.ts";

export interface User {
  id: number;
  is_bot: false;
  first_name: string;
  username?: string;
  language_code?: string;
}

export interface ChatMessage {
  message_id: number;
  from: "user" | "bot";
  date: number;
  edit_date?: number;
  text: string;
  entities: MessageEntity[];
  /** What the person sees of their own message (a deep link's /start hides its payload). */
  shown?: string;
  reply_markup?: InlineKeyboardMarkup;
  /** Sent with disable_notification: arrives without a sound. */
  silent?: boolean;
  /** Sent with protect_content: cannot be forwarded or saved. */
  protected?: boolean;
}

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
}
export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

export interface CallbackAnswer {
  callback_query_id: string;
  message_id: number;
  text?: string;
  show_alert: boolean;
  url?: string;
  at: number;
}

export interface Chat {
  /** The person of a private chat; for a group (tests only), its id and title. */
  user: User;
  /** A group, supergroup or channel the bot is in (negative id); absent for a private chat. */
  group?: "group" | "supergroup" | "channel";
  /** The user sent the bot something (without it, the bot cannot write: "chat not found"). */
  started: boolean;
  blocked: boolean;
  messages: ChatMessage[];
  answers: CallbackAnswer[];
  /** Bumped on every change, so the chat page can poll cheaply. */
  version: number;
}

export interface PendingCallback {
  id: string;
  chatId: number;
  messageId: number;
  queuedAt: number;
  answered: boolean;
}

/** What the stand-in remembers between runs (the start command keeps it in its data folder). */
export interface ModelSnapshot {
  chats: Chat[];
  nextMessageId: number;
  nextUserId: number;
  nextCallbackId: number;
}

export class ChatModel {
  readonly chats = new Map<number, Chat>();
  readonly callbacks = new Map<string, PendingCallback>();
  #nextMessageId = 1;
  #nextUserId = 100_001;
  #nextCallbackId = 1;

  createUser(input: { first_name: string; username?: string; id?: number }): User {
    const id = input.id ?? this.#nextUserId++;
    const existing = this.chats.get(id);
    if (existing) return existing.user;
    const user: User = {
      id,
      is_bot: false,
      first_name: input.first_name,
      ...(input.username ? { username: input.username } : {}),
    };
    this.chats.set(id, { user, started: false, blocked: false, messages: [], answers: [], version: 1 });
    return user;
  }

  /** A group, supergroup or channel with the bot in it; Telegram gives these negative ids. */
  createGroup(id: number): Chat {
    const existing = this.chats.get(id);
    if (existing) return existing;
    const group = String(id).startsWith("-100") ? "supergroup" : "group";
    const chat: Chat = {
      user: { id, is_bot: false, first_name: `Group ${id}` },
      group,
      started: true,
      blocked: false,
      messages: [],
      answers: [],
      version: 1,
    };
    this.chats.set(id, chat);
    return chat;
  }

  chat(id: number): Chat | undefined {
    return this.chats.get(id);
  }

  /** Message ids increase per bot account in private chats, so they jump across chats. */
  nextMessageId(): number {
    return this.#nextMessageId++;
  }

  add(chat: Chat, message: Omit<ChatMessage, "message_id" | "date">): ChatMessage {
    const stored: ChatMessage = { message_id: this.nextMessageId(), date: unixNow(), ...message };
    chat.messages.push(stored);
    chat.version++;
    return stored;
  }

  newCallback(chatId: number, messageId: number): PendingCallback {
    const callback = {
      id: `${chatId}${String(this.#nextCallbackId++).padStart(6, "0")}`,
      chatId,
      messageId,
      queuedAt: Date.now(),
      answered: false,
    };
    this.callbacks.set(callback.id, callback);
    return callback;
  }

  reset(): void {
    this.chats.clear();
    this.callbacks.clear();
  }

  snapshot(): ModelSnapshot {
    return {
      chats: [...this.chats.values()],
      nextMessageId: this.#nextMessageId,
      nextUserId: this.#nextUserId,
      nextCallbackId: this.#nextCallbackId,
    };
  }

  /** Takes back what a previous run remembered; ids go on from where it stopped, never repeating. */
  restore(snapshot: ModelSnapshot): void {
    this.chats.clear();
    for (const chat of snapshot.chats) this.chats.set(chat.user.id, chat);
    const highest = Math.max(0, ...snapshot.chats.map((chat) => chat.user.id));
    this.#nextUserId = Math.max(this.#nextUserId, snapshot.nextUserId, highest + 1);
    this.#nextMessageId = Math.max(this.#nextMessageId, snapshot.nextMessageId);
    this.#nextCallbackId = Math.max(this.#nextCallbackId, snapshot.nextCallbackId);
  }

  /** People created from now on get ids from `first` up (a fresh data folder: ids unlike any before). */
  startUserIdsAt(first: number): void {
    this.#nextUserId = Math.max(this.#nextUserId, first);
  }
}

export const unixNow = () => Math.floor(Date.now() / 1000);
