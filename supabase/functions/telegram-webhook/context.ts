import type { Context, MiddlewareFn } from "grammy";
import {
  type Language,
  type Messages,
  type MessagesFor,
  pickLanguage,
  pickTimeFormat,
} from "./messages/index.ts";
import type { HabitStore } from "./habit-store.ts";
import type { LinkedProfile, WebhookStore } from "./store.ts";

/** What every handler knows of the update's person: read once per update by `loadProfile`. */
export interface ProfileFlavor {
  /** The account this chat is linked to, or null. */
  profile: LinkedProfile | null;
  /** The profile's language, else Telegram's language_code. */
  language: Language;
  /** The bot's messages in `language`, times in the profile's time format. */
  t: Messages;
}

export type BotContext = Context & ProfileFlavor;

export const html = {
  parse_mode: "HTML" as const,
  link_preview_options: { is_disabled: true },
};

/** Reads the chat's linked profile once, and so the update's language, into the context. */
export function loadProfile(
  store: WebhookStore,
  messagesFor: MessagesFor,
): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    ctx.profile = ctx.chat ? await store.linkedProfile(ctx.chat.id) : null;
    ctx.language = pickLanguage(ctx.profile?.language, ctx.from?.language_code);
    ctx.t = messagesFor(ctx.language, pickTimeFormat(ctx.profile?.time_format));
    await next();
  };
}

/** Lets only a linked chat on; any other is told how to connect (a button press is answered first). */
export const linkedOnly: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.profile) return await next();
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t.notLinked, html);
};

/** The profile of a handler behind `linkedOnly`. */
export function profileOf(ctx: BotContext): LinkedProfile {
  if (!ctx.profile) {
    throw new Error("profileOf: the chat is not linked (use linkedOnly first)");
  }
  return ctx.profile;
}

/** An alert that the pressed button is no longer valid. */
export async function answerStale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({
    text: ctx.t.buttonAlert.stale,
    show_alert: true,
  });
}

/** What the commands' composers are built from. */
export interface BotDeps {
  store: WebhookStore;
  habits: HabitStore;
  messagesFor: MessagesFor;
}
