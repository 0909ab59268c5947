import { InlineKeyboard } from "grammy";
import { parseWallClock } from "../_shared/clock.ts";
import { shorten } from "../_shared/telegram-length.ts";
import { type BotContext, html, profileOf } from "./context.ts";
import { button, type EditField, type FlowButton } from "./flow-buttons.ts";
import type { Conversation, HabitDraft, HabitStore, Step } from "./habit-store.ts";
import { type Messages, ruleSentence } from "./messages/index.ts";

/** The questions of /new, in order; /edit asks one of them. */
const NEW_STEPS: Step[] = [
  "action",
  "time",
  "place",
  "interval",
  "duration",
  "follow_up",
];

export const FIELD_STEP: Record<EditField, Step> = {
  action: "action",
  time: "time",
  place: "place",
  interval: "interval",
  duration: "duration",
};

/** What a person said at a step: free text, or a button's value already parsed. */
export type Answer = { text: string } | { button: FlowButton };

/** The draft field an answer at `step` sets, or a sentence asking again (not a rule: a format). */
function readAnswer(
  step: Step,
  answer: Answer,
  t: Messages,
): HabitDraft | string {
  if ("button" in answer) {
    const b = answer.button;
    if (step === "time" && b.kind === "time") return { time: b.time };
    if (step === "interval" && b.kind === "interval") {
      return { interval_days: b.days };
    }
    if (step === "duration" && b.kind === "duration") {
      return { duration_seconds: b.seconds };
    }
    return t.useButtons;
  }
  const text = answer.text;
  switch (step) {
    case "action":
      return { action: text };
    case "place":
      return { place: text };
    case "reward":
    case "follow_up":
      return { reward: text };
    case "time": {
      const time = parseWallClock(text);
      return time ? { time } : t.badTime;
    }
    case "interval":
    case "duration": {
      if (!/^[0-9]{1,6}$/.test(text.trim())) return t.badNumber;
      const n = Number(text.trim());
      return step === "interval" ? { interval_days: n } : { duration_seconds: n };
    }
    default:
      return t.useButtons;
  }
}

/** The Cancel button under a question of the conversation. */
export const cancelRow = (t: Messages, keyboard = new InlineKeyboard()) =>
  keyboard.row().text(t.cancelButton, button.cancel);

/** A button label's part that names a habit (Telegram shows about 64 characters). */
export function truncate(action: string): string {
  return shorten(action, 36);
}

/** The question of `step` and its buttons (null for a step without a question). */
async function question(
  ctx: BotContext,
  habits: HabitStore,
  step: Step,
): Promise<{ text: string; keyboard: InlineKeyboard } | null> {
  const t = ctx.t;
  const keyboard = new InlineKeyboard();
  switch (step) {
    case "action":
      return { text: t.askAction, keyboard };
    case "time":
      for (const time of ["07:00", "12:00", "18:00", "21:00"]) {
        keyboard.text(t.clock(time), button.time(time));
      }
      return { text: t.askTime, keyboard };
    case "place":
      return { text: t.askPlace, keyboard };
    case "interval":
      for (const days of [1, 2, 3, 7]) {
        keyboard.text(t.everyDays(days), button.interval(days));
      }
      return { text: t.askInterval, keyboard };
    case "duration":
      for (const seconds of [30, 60, 120]) {
        keyboard.text(t.seconds(seconds), button.duration(seconds));
      }
      return { text: t.askDuration, keyboard };
    case "follow_up":
      keyboard.text(t.rewardButton, button.reward).text(
        t.noFollowUp,
        button.noFollowUp,
      );
      for (const pleasant of await habits.pleasantHabits(profileOf(ctx).id)) {
        keyboard.row().text(
          `😊 ${truncate(pleasant.action)}`,
          button.pleasant(pleasant.id),
        );
      }
      return { text: t.askFollowUp, keyboard };
    case "reward":
      return { text: t.askReward, keyboard };
    default:
      return null;
  }
}

/** Asks the question of `step`, with its buttons. */
export async function ask(
  ctx: BotContext,
  habits: HabitStore,
  step: Step,
): Promise<void> {
  const asked = await question(ctx, habits, step);
  if (!asked) return;
  await ctx.reply(asked.text, {
    ...html,
    reply_markup: cancelRow(ctx.t, asked.keyboard),
  });
}

/** Replies with the sentence of a broken habit rule, in the person's language. */
export const replyRule = (ctx: BotContext, rule: string) => ctx.reply(ruleSentence(rule, ctx.language), html);

/** Applies one answer: checked by the habit rules, then the next step, or the habit saved. */
export async function proceed(
  ctx: BotContext,
  habits: HabitStore,
  conversation: Conversation,
  answer: Answer,
): Promise<unknown> {
  const chatId = ctx.chat!.id;
  const person = profileOf(ctx);
  const read = readAnswer(conversation.step, answer, ctx.t);
  if (typeof read === "string") return await ctx.reply(read, html);
  const draft = { ...conversation.draft, ...read };
  const editing = conversation.flow === "edit" &&
    conversation.habit_id !== null;
  const finishing = editing || conversation.step === "follow_up" ||
    conversation.step === "reward";
  let rule: string | null;
  if (editing) {
    rule = await habits.editHabit(person.id, conversation.habit_id!, read);
  } else {
    rule = finishing ? await habits.createHabit(person.id, draft) : await habits.checkNew(person.id, draft);
  }
  if (rule) return await replyRule(ctx, rule);
  if (finishing) {
    await habits.endConversation(chatId);
    return await ctx.reply(
      editing
        ? ctx.t.edited(
          draft.action ??
            (await habits.habit(person.id, conversation.habit_id!))?.action ??
            "",
        )
        : ctx.t.created(draft.action ?? ""),
      html,
    );
  }
  const next = NEW_STEPS[NEW_STEPS.indexOf(conversation.step) + 1];
  await habits.saveConversation(chatId, person.id, {
    ...conversation,
    step: next,
    draft,
  });
  await ask(ctx, habits, next);
}
