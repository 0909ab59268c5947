/**
 * The update kinds the bot answers, asked of Telegram as `allowed_updates` (setWebhook,
 * getUpdates, the devstack's webhook): Telegram delivers no other kind. my_chat_member brings the
 * one line a group gets when the bot is added; channel_post a command for the bot in a channel.
 */
export const BOT_UPDATE_KINDS: string[] = ["message", "callback_query", "my_chat_member", "channel_post"];
