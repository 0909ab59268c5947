/** Builders for the updates Telegram posts to a webhook, shaped as the Bot API sends them. */

let nextUpdateId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
let nextMessageId = 1;

const user = (chatId: number) => ({
  id: chatId,
  is_bot: false,
  first_name: "Test",
  username: `tester${chatId}`,
});

/** A text message; a leading /command gets its bot_command entity, as Telegram adds it. */
export function textMessage(chatId: number, text: string) {
  const command = text.match(/^\/\S+/)?.[0];
  return {
    update_id: nextUpdateId++,
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Test" },
      from: user(chatId),
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
    },
  };
}

/** A press of an inline button carrying `data`, on a message the bot sent to `chatId`. */
export function buttonPress(chatId: number, data: string) {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: String(nextUpdateId),
      from: user(chatId),
      chat_instance: `instance-${chatId}`,
      data,
      message: {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: "private", first_name: "Test" },
        from: { id: 424242, is_bot: true, first_name: "Habits", username: "habits_test_bot" },
        text: "⏰ Time for your habit",
      },
    },
  };
}

/** Posts an update to a webhook URL with Telegram's secret header. */
export function postUpdate(url: string, update: unknown, secret: string): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
    body: typeof update === "string" ? update : JSON.stringify(update),
  });
}

export type GroupChatType = "group" | "supergroup" | "channel";

const groupChat = (chatId: number, type: GroupChatType) => ({ id: chatId, type, title: "Test group" });

/**
 * A text message from `fromId` in a group, supergroup or channel (a channel post has no sender); a
 * leading /command or @mention gets its entity, as Telegram adds it.
 */
export function groupMessage(
  chatId: number,
  fromId: number,
  text: string,
  type: GroupChatType = "group",
  languageCode?: string,
) {
  const command = text.match(/^\/\S+/)?.[0];
  const mention = text.match(/^@\w+/)?.[0];
  const message = {
    message_id: nextMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: groupChat(chatId, type),
    ...(type === "channel"
      ? {}
      : { from: { ...user(fromId), ...(languageCode ? { language_code: languageCode } : {}) } }),
    text,
    ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
    ...(mention ? { entities: [{ type: "mention", offset: 0, length: mention.length }] } : {}),
  };
  return { update_id: nextUpdateId++, ...(type === "channel" ? { channel_post: message } : { message }) };
}

/** A press by `fromId` of an inline button carrying `data`, on a message the bot sent to a group. */
export function groupButtonPress(
  chatId: number,
  fromId: number,
  data: string,
  type: GroupChatType = "group",
) {
  return {
    update_id: nextUpdateId++,
    callback_query: {
      id: String(nextUpdateId),
      from: user(fromId),
      chat_instance: `instance-${chatId}`,
      data,
      message: {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: groupChat(chatId, type),
        from: { id: 424242, is_bot: true, first_name: "Habits", username: "habits_test_bot" },
        text: "Delete this habit?",
      },
    },
  };
}

/** `fromId` adds the bot to a group, supergroup or channel (the bot's my_chat_member update). */
export function botAddedTo(chatId: number, fromId: number, type: GroupChatType = "group") {
  const bot = { id: 424242, is_bot: true, first_name: "Habits", username: "habits_test_bot" };
  return {
    update_id: nextUpdateId++,
    my_chat_member: {
      chat: groupChat(chatId, type),
      from: user(fromId),
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { user: bot, status: "left" },
      new_chat_member: type === "channel"
        ? { user: bot, status: "administrator", can_be_edited: false, can_post_messages: true }
        : { user: bot, status: "member" },
    },
  };
}
