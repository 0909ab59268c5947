import type { Context, MiddlewareFn } from "grammy";
import type { ChatMemberUpdated, MessageEntity } from "grammy/types";
import { type MessagesFor, pickLanguage } from "./messages/index.ts";

/**
 * Telegram's private chat is the user's own (its id is the user id, positive); groups,
 * supergroups and channels have negative ids, and there any member could act for the owner.
 */
export function isPrivateChat(chat: { id: number; type?: string }): boolean {
  return chat.type === "private" && chat.id > 0;
}

/**
 * The bot serves private chats only. An update from any other chat reaches no handler and changes
 * no account; it gets one polite line only when it is addressed to the bot, so a busy group is
 * not answered message by message:
 * - the bot was added to the group or channel: one message there;
 * - a command for this bot (/start, /stop, /start@this_bot, not /start@other_bot) or an
 *   @-mention of it, in a message or a channel post: one reply;
 * - a button pressed there: the line as the button's alert, seen only by the person who pressed.
 * Everything else (plain messages, edits, reactions, members joining) is left unanswered.
 */
export function privateChatsOnly(messagesFor: MessagesFor): MiddlewareFn<Context> {
  return async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat || isPrivateChat(chat)) return await next();
    const line = messagesFor(pickLanguage(null, ctx.from?.language_code)).privateChatsOnly(ctx.me.username);
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: line, show_alert: true });
      return;
    }
    const message = ctx.message ?? ctx.channelPost;
    const addressed = message ? addressesBot(message.text, message.entities, ctx.me.username) : false;
    if (addressed || (ctx.myChatMember && botWasAdded(ctx.myChatMember))) {
      await ctx.api.sendMessage(chat.id, line, { parse_mode: "HTML" });
    }
  };
}

/** A command at the start of the text meant for this bot, or an @-mention of it. */
function addressesBot(
  text: string | undefined,
  entities: MessageEntity[] | undefined,
  username: string,
): boolean {
  if (!text || !entities) return false;
  const me = username.toLowerCase();
  return entities.some((entity) => {
    const part = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    if (entity.type === "bot_command" && entity.offset === 0) {
      const addressee = part.split("@")[1];
      return addressee === undefined || addressee === me;
    }
    return entity.type === "mention" && part === `@${me}`;
  });
}

function isMember(member: ChatMemberUpdated["new_chat_member"]): boolean {
  return member.status === "member" || member.status === "administrator" || member.status === "creator" ||
    (member.status === "restricted" && member.is_member);
}

function botWasAdded(update: ChatMemberUpdated): boolean {
  return isMember(update.new_chat_member) && !isMember(update.old_chat_member);
}
