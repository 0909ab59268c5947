import { Bot, type Context, InlineKeyboard } from "grammy";
import { decodeHabitsPage, decodeReminderButton, encodeHabitsPage } from "../_shared/callback-data.ts";
import { habitFollowUp } from "../_shared/habit-text.ts";
import { registerHabitFlows } from "./habit-flows.ts";
import type { HabitStore } from "./habit-store.ts";
import { CATALOGUES, type Language, pickLanguage } from "./i18n.ts";
import { privateChatsOnly } from "./private-chats.ts";
import type { RepliesFor } from "./replies.ts";
import type { WebhookStore } from "./store.ts";

const linkCodePattern = /^[A-Za-z0-9_-]{16,64}$/;
/** Move's button carries the link code; callback_data holds 64 bytes, so codes up to 54 characters. */
const moveButtonPattern = /^link:move:([A-Za-z0-9_-]{16,54})$/;
const MOVE_CANCEL = "link:cancel";
const moveButton = (code: string) => {
  const data = `link:move:${code}`;
  return moveButtonPattern.test(data) ? data : null;
};
/** /today's Done buttons: `today:<habit id>` (42 bytes, within callback_data's 64). */
/** What recording a Done gives, from a reminder's button or from /today's. */
type DoneResult =
  | Awaited<ReturnType<WebhookStore["completeToday"]>>
  | Awaited<ReturnType<WebhookStore["completeFromButton"]>>;

const doneTodayPattern = /^today:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const html = {
  parse_mode: "HTML" as const,
  link_preview_options: { is_disabled: true },
};

/** Registers the bot's commands and buttons on `bot`. */
export function registerHandlers(
  bot: Bot,
  store: WebhookStore,
  habits: HabitStore,
  repliesFor: RepliesFor,
): void {
  // Before anything else: groups, supergroups and channels reach no handler.
  bot.use(privateChatsOnly(repliesFor));
  // Each update is answered in its person's language: the profile's, else Telegram's language_code.
  const languages = new WeakMap<Context, Language>();
  bot.use(async (ctx, next) => {
    const profile = ctx.chat ? await store.linkedProfile(ctx.chat.id) : null;
    languages.set(
      ctx,
      pickLanguage(profile?.language, ctx.from?.language_code),
    );
    await next();
  });
  const languageOf = (ctx: Context) => languages.get(ctx) ?? "en";
  const r = (ctx: Context) => repliesFor(languageOf(ctx));
  const linkedProfile = async (ctx: Context) => {
    const profile = ctx.chat ? await store.linkedProfile(ctx.chat.id) : null;
    if (!profile) await ctx.reply(r(ctx).notLinked, html);
    return profile;
  };
  /** "Done" tells the habit's streak after this completion, in the person's language. */
  /**
   * Answers a Done press, from a reminder or from /today: a refusal as an alert, or "recorded"
   * and a reply with the reward or linked habit and the new streak.
   */
  const answerDone = async (
    ctx: Context,
    result: DoneResult,
    habitIdOf: () => Promise<string | null>,
  ) => {
    if (result.outcome !== "recorded") {
      await ctx.answerCallbackQuery({ text: r(ctx).buttonAlert[result.outcome], show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery({ text: r(ctx).recorded });
    const text = r(ctx).doneRecorded(result.habit_action ?? "", habitFollowUp(result, languageOf(ctx)));
    const habitId = await habitIdOf();
    const profile = ctx.chat ? await store.linkedProfile(ctx.chat.id) : null;
    const [row] = habitId && profile ? await habits.streaks(profile.id, habitId) : [];
    await ctx.reply(
      row ? `${text}\n\n${CATALOGUES[languageOf(ctx)].streakNow(row.streak)}` : text,
      html,
    );
  };

  bot.command("start", async (ctx) => {
    const code = ctx.match.trim();
    if (code === "") {
      const profile = await store.linkedProfile(ctx.chat.id);
      await ctx.reply(
        profile ? r(ctx).welcomeLinked : r(ctx).welcomeUnlinked,
        html,
      );
      return;
    }
    if (!linkCodePattern.test(code)) {
      await ctx.reply(r(ctx).linkResult("unknown_code", false), html);
      return;
    }
    const result = await store.linkChat(code, ctx.chat.id, ctx.from?.username);
    if (result.outcome === "not_private_chat") return;
    if (result.outcome === "linked_elsewhere") {
      // Someone else's link opened in a chat that is already someone's: ask, change nothing yet.
      const replies = r(ctx);
      const confirm = moveButton(code);
      if (confirm === null) {
        await ctx.reply(`${replies.moveQuestion}\n\n${replies.moveNeedsStop}`, html);
        return;
      }
      const keyboard = new InlineKeyboard().text(replies.moveYes, confirm).text(replies.moveNo, MOVE_CANCEL);
      await ctx.reply(replies.moveQuestion, { ...html, reply_markup: keyboard });
      return;
    }
    await ctx.reply(
      r(ctx).linkResult(result.outcome, result.previous_user_id !== null),
      html,
    );
  });

  bot.callbackQuery(moveButtonPattern, async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) {
      await ctx.answerCallbackQuery({ text: r(ctx).buttonAlert.stale, show_alert: true });
      return;
    }
    const result = await store.linkChat(ctx.match[1], chatId, ctx.from.username, true);
    await ctx.answerCallbackQuery();
    if (result.outcome === "linked" || result.outcome === "already_linked") {
      // The chat now belongs to the link's account: answer in that account's language.
      const profile = await store.linkedProfile(chatId);
      const replies = repliesFor(pickLanguage(profile?.language, ctx.from.language_code));
      await ctx.editMessageText(replies.linkResult(result.outcome, result.previous_user_id !== null), html);
      return;
    }
    // The code expired or was used meanwhile: say so and how the chat stands; nothing changed.
    const reason = result.outcome === "linked_elsewhere" || result.outcome === "not_private_chat"
      ? null
      : result.outcome;
    const stillLinked = await store.linkedProfile(chatId) !== null;
    await ctx.editMessageText(r(ctx).moveNotDone(reason, stillLinked), html);
  });

  bot.callbackQuery(MOVE_CANCEL, async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) {
      await ctx.answerCallbackQuery({ text: r(ctx).buttonAlert.stale, show_alert: true });
      return;
    }
    await ctx.answerCallbackQuery();
    const stillLinked = await store.linkedProfile(chatId) !== null;
    await ctx.editMessageText(r(ctx).moveNotDone(null, stillLinked), html);
  });

  bot.command("help", (ctx) => ctx.reply(r(ctx).help, html));

  // A long list is paged: one message with "Previous"/"Next" buttons that edit it in place.
  const habitsPage = async (ctx: Context, userId: string, wanted: number) => {
    const replies = r(ctx);
    const pages = replies.habitPages(await store.habitsOf(userId));
    const page = Math.min(wanted, pages.length - 1);
    const keyboard = new InlineKeyboard();
    if (page > 0) keyboard.text(replies.previous, encodeHabitsPage(page - 1));
    if (page < pages.length - 1) {
      keyboard.text(replies.next, encodeHabitsPage(page + 1));
    }
    // A single page gets no keyboard at all (not an empty one).
    return {
      text: pages[page],
      keyboard: pages.length > 1 ? keyboard : undefined,
      moved: page !== wanted,
    };
  };

  bot.command("habits", async (ctx) => {
    const profile = await linkedProfile(ctx);
    if (!profile) return;
    const { text, keyboard } = await habitsPage(ctx, profile.id, 0);
    await ctx.reply(text, { ...html, reply_markup: keyboard });
  });

  bot.callbackQuery(/^habits:/, async (ctx) => {
    const wanted = decodeHabitsPage(ctx.callbackQuery.data);
    const chatId = ctx.chat?.id;
    const profile = chatId === undefined ? null : await store.linkedProfile(chatId);
    if (wanted === null || !profile) {
      await ctx.answerCallbackQuery({
        text: r(ctx).buttonAlert.stale,
        show_alert: true,
      });
      return;
    }
    const { text, keyboard, moved } = await habitsPage(ctx, profile.id, wanted);
    await ctx.answerCallbackQuery(
      moved ? { text: r(ctx).buttonAlert.habits_changed } : {},
    );
    await ctx.editMessageText(text, { ...html, reply_markup: keyboard });
  });

  bot.command("today", async (ctx) => {
    const profile = await linkedProfile(ctx);
    if (!profile) return;
    const due = await store.dueToday(ctx.chat.id);
    // A Done button for each habit not yet done today: doing a habit early is normal.
    const keyboard = new InlineKeyboard();
    for (const habit of due.filter((habit) => !habit.done)) {
      keyboard.text(
        r(ctx).doneTodayButton(habit.action),
        `today:${habit.habit_id}`,
      ).row();
    }
    const markup = keyboard.inline_keyboard.some((row) => row.length > 0) ? { reply_markup: keyboard } : {};
    const parts = r(ctx).today(profile.timezone, due);
    // The buttons go with the last part, so they stay under the whole list.
    for (const [index, part] of parts.entries()) {
      await ctx.reply(
        part,
        index === parts.length - 1 ? { ...html, ...markup } : html,
      );
    }
  });

  bot.callbackQuery(doneTodayPattern, async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) {
      await ctx.answerCallbackQuery({
        text: r(ctx).buttonAlert.stale,
        show_alert: true,
      });
      return;
    }
    const habitId = ctx.match[1];
    await answerDone(ctx, await store.completeToday(chatId, habitId), () => Promise.resolve(habitId));
  });

  registerHabitFlows(
    bot,
    habits,
    (chatId) => store.linkedProfile(chatId),
    (ctx) => ctx.reply(r(ctx).notLinked, html),
    languageOf,
  );

  bot.command("stop", async (ctx) => {
    if (!await linkedProfile(ctx)) return;
    const keyboard = new InlineKeyboard().text(r(ctx).stopYes, "stop:confirm")
      .text(r(ctx).stopNo, "stop:cancel");
    await ctx.reply(r(ctx).stopQuestion, { ...html, reply_markup: keyboard });
  });

  bot.callbackQuery("stop:confirm", async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId !== undefined) await store.unlinkChat(chatId);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(r(ctx).stopped, html);
  });

  bot.callbackQuery("stop:cancel", async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(r(ctx).stopCancelled, html);
  });

  bot.on("callback_query:data", async (ctx) => {
    const button = decodeReminderButton(ctx.callbackQuery.data);
    const chatId = ctx.chat?.id;
    if (!button || chatId === undefined) {
      await ctx.answerCallbackQuery({
        text: r(ctx).buttonAlert.stale,
        show_alert: true,
      });
      return;
    }
    if (button.action === "snooze") {
      const result = await store.snoozeFromButton(
        chatId,
        button.notificationId,
      );
      await ctx.answerCallbackQuery({
        text: r(ctx).buttonAlert[result.outcome],
        show_alert: result.outcome !== "snoozed",
      });
      return;
    }
    await answerDone(
      ctx,
      await store.completeFromButton(chatId, button.notificationId),
      () => habits.habitOfNotification(button.notificationId),
    );
  });

  bot.on("message", (ctx) => ctx.reply(r(ctx).unknownMessage, html));
}
