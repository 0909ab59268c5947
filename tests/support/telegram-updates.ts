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
