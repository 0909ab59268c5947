import { type Bot, type Context, InlineKeyboard } from "grammy";
import { type Catalogue, CATALOGUES, type Language, ruleSentence } from "./i18n.ts";
import {
  button,
  decodeFlowButton,
  type EditField,
  type FlowButton,
  flowButtonPattern,
  type PickOperation,
} from "./flow-buttons.ts";
import type { Conversation, HabitDraft, HabitStore, Step } from "./habit-store.ts";
import { pageLines } from "./paging.ts";

const html = {
  parse_mode: "HTML" as const,
  link_preview_options: { is_disabled: true },
};
const PICKER_PAGE_SIZE = 8;
const NEW_STEPS: Step[] = [
  "action",
  "time",
  "place",
  "interval",
  "duration",
  "follow_up",
];
const FIELD_STEP: Record<EditField, Step> = {
  action: "action",
  time: "time",
  place: "place",
  interval: "interval",
  duration: "duration",
};

interface Person {
  id: string;
  language: Language;
}

/** What a person said at a step: free text, or a button's value already parsed. */
type Answer = { text: string } | { button: FlowButton };

/** The draft field an answer at `step` sets, or a sentence asking again (not a rule: a format). */
function readAnswer(
  step: Step,
  answer: Answer,
  t: Catalogue,
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
      const m = /^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$/.exec(text.trim());
      return m ? { time: `${m[1].padStart(2, "0")}:${m[2]}` } : t.badTime;
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

/** Registers /new, /edit, /pause, /resume, /delete, /stats, /digest and /cancel with their buttons. */
export function registerHabitFlows(
  bot: Bot,
  store: HabitStore,
  linkedProfile: (
    chatId: number,
  ) => Promise<{ id: string; language: string | null } | null>,
  notLinked: (ctx: Context) => Promise<unknown>,
  languageOf: (ctx: Context) => Language,
): void {
  const personOf = async (ctx: Context): Promise<Person | null> => {
    const profile = ctx.chat ? await linkedProfile(ctx.chat.id) : null;
    return profile
      ? {
        id: profile.id,
        language: languageOf(ctx),
      }
      : null;
  };
  const withPerson = (
    handler: (ctx: Context, person: Person, t: Catalogue) => Promise<unknown>,
  ) =>
  async (ctx: Context) => {
    const person = await personOf(ctx);
    if (!person) {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery();
      await notLinked(ctx);
      return;
    }
    await handler(ctx, person, CATALOGUES[person.language]);
  };

  const cancelRow = (t: Catalogue, keyboard = new InlineKeyboard()) =>
    keyboard.row().text(t.cancelButton, button.cancel);

  /** Asks the question of `step`, with its buttons. */
  const ask = async (
    ctx: Context,
    person: Person,
    t: Catalogue,
    step: Step,
    prefix = "",
  ) => {
    const keyboard = new InlineKeyboard();
    let question: string;
    switch (step) {
      case "action":
        question = t.askAction;
        break;
      case "time":
        question = t.askTime;
        for (const time of ["07:00", "12:00", "18:00", "21:00"]) {
          keyboard.text(time, button.time(time));
        }
        break;
      case "place":
        question = t.askPlace;
        break;
      case "interval":
        question = t.askInterval;
        for (const days of [1, 2, 3, 7]) {
          keyboard.text(t.everyDays(days), button.interval(days));
        }
        break;
      case "duration":
        question = t.askDuration;
        for (const seconds of [30, 60, 120]) {
          keyboard.text(t.seconds(seconds), button.duration(seconds));
        }
        break;
      case "follow_up":
        question = t.askFollowUp;
        keyboard.text(t.rewardButton, button.reward).text(
          t.noFollowUp,
          button.noFollowUp,
        );
        for (const pleasant of await store.pleasantHabits(person.id)) {
          keyboard.row().text(
            `😊 ${truncate(pleasant.action)}`,
            button.pleasant(pleasant.id),
          );
        }
        break;
      case "reward":
        question = t.askReward;
        break;
      default:
        return;
    }
    await ctx.reply(prefix + question, {
      ...html,
      reply_markup: cancelRow(t, keyboard),
    });
  };

  /** Applies one answer: checked by the habit rules, then the next step, or the habit saved. */
  const proceed = async (
    ctx: Context,
    person: Person,
    t: Catalogue,
    conversation: Conversation,
    answer: Answer,
  ) => {
    const chatId = ctx.chat!.id;
    const read = readAnswer(conversation.step, answer, t);
    if (typeof read === "string") return await ctx.reply(read, html);
    const draft = { ...conversation.draft, ...read };
    const editing = conversation.flow === "edit" &&
      conversation.habit_id !== null;
    const finishing = editing || conversation.step === "follow_up" ||
      conversation.step === "reward";
    let rule: string | null;
    if (editing) {
      rule = await store.editHabit(person.id, conversation.habit_id!, read);
    } else {
      rule = finishing ? await store.createHabit(person.id, draft) : await store.checkNew(person.id, draft);
    }
    if (rule) return await ctx.reply(ruleSentence(rule, person.language), html);
    if (finishing) {
      await store.endConversation(chatId);
      return await ctx.reply(
        editing
          ? t.edited(
            draft.action ??
              (await store.habit(person.id, conversation.habit_id!))?.action ??
              "",
          )
          : t.created(draft.action ?? ""),
        html,
      );
    }
    const next = NEW_STEPS[NEW_STEPS.indexOf(conversation.step) + 1];
    await store.saveConversation(chatId, person.id, {
      ...conversation,
      step: next,
      draft,
    });
    await ask(ctx, person, t, next);
  };

  bot.command(
    "new",
    withPerson(async (ctx, person, t) => {
      // The per-account cap and the Telegram link are rules too: checked before the first question.
      const rule = await store.checkNew(person.id, {});
      if (rule) {
        return await ctx.reply(ruleSentence(rule, person.language), html);
      }
      await store.saveConversation(ctx.chat!.id, person.id, {
        flow: "new",
        step: "action",
        draft: {},
        habit_id: null,
      });
      await ask(ctx, person, t, "action");
    }),
  );

  bot.command(
    "cancel",
    withPerson(async (ctx, _person, t) => {
      const ended = await store.endConversation(ctx.chat!.id);
      await ctx.reply(ended ? t.cancelled : t.nothingToCancel, html);
    }),
  );

  const picker = async (
    person: Person,
    t: Catalogue,
    operation: PickOperation,
    wanted: number,
  ) => {
    const paused = operation === "pause" ? false : operation === "resume" ? true : null;
    const habits = await store.pickable(person.id, paused);
    if (habits.length === 0) {
      return { text: t.noneToPick[operation], keyboard: undefined };
    }
    const pages = Math.ceil(habits.length / PICKER_PAGE_SIZE);
    const page = Math.min(wanted, pages - 1);
    const keyboard = new InlineKeyboard();
    for (
      const habit of habits.slice(
        page * PICKER_PAGE_SIZE,
        (page + 1) * PICKER_PAGE_SIZE,
      )
    ) {
      keyboard.text(
        `${habit.time.slice(0, 5)} ${truncate(habit.action)}`,
        button.pick(operation, habit.id),
      ).row();
    }
    if (page > 0) keyboard.text(t.previous, button.page(operation, page - 1));
    if (page < pages - 1) {
      keyboard.text(t.next, button.page(operation, page + 1));
    }
    keyboard.row().text(t.cancelButton, button.pickNo);
    return {
      text: t.pickHeading[operation] + t.page(page + 1, pages),
      keyboard,
    };
  };

  for (const operation of ["edit", "pause", "resume", "delete"] as const) {
    bot.command(
      operation,
      withPerson(async (ctx, person, t) => {
        const { text, keyboard } = await picker(person, t, operation, 0);
        await ctx.reply(text, { ...html, reply_markup: keyboard });
      }),
    );
  }

  bot.command(
    "digest",
    withPerson(async (ctx, person, t) => {
      const wanted = String(ctx.match ?? "").trim().toLowerCase();
      if (wanted === "on" || wanted === "off") {
        const setting = await store.setDigest(person.id, wanted === "on");
        const reply = wanted === "on"
          ? t.digestOn(t.weekdays[setting.digest_weekday], setting.digest_time.slice(0, 5))
          : t.digestOff;
        return await ctx.reply(reply, html);
      }
      const setting = await store.digestSetting(person.id);
      await ctx.reply(
        t.digestUsage(
          setting.weekly_digest,
          t.weekdays[setting.digest_weekday],
          setting.digest_time.slice(0, 5),
        ),
        html,
      );
    }),
  );

  bot.command(
    "stats",
    withPerson(async (ctx, person, t) => {
      const rows = await store.streaks(person.id);
      if (rows.length === 0) return await ctx.reply(t.statsEmpty, html);
      const lines = rows.map((row) =>
        t.statsLine(
          row.action,
          row.streak,
          row.best_streak,
          row.last_marks,
          row.is_paused,
        )
      );
      const heading = `<b>${t.statsHeading}</b>\n\n`;
      for (const [index, page] of pageLines(lines, heading.length).entries()) {
        await ctx.reply((index === 0 ? heading : "") + page.join("\n"), html);
      }
    }),
  );

  bot.callbackQuery(
    flowButtonPattern,
    withPerson(async (ctx, person, t) => {
      const pressed = decodeFlowButton(ctx.callbackQuery!.data)!;
      const chatId = ctx.chat!.id;
      await ctx.answerCallbackQuery();
      switch (pressed.kind) {
        case "cancel": {
          const ended = await store.endConversation(chatId);
          return await ctx.reply(ended ? t.cancelled : t.nothingToCancel, html);
        }
        case "pick_cancelled":
          return await ctx.editMessageText(t.cancelled, html);
        case "page": {
          const { text, keyboard } = await picker(
            person,
            t,
            pressed.operation,
            pressed.page,
          );
          return await ctx.editMessageText(text, {
            ...html,
            reply_markup: keyboard,
          });
        }
        case "pick":
          return await picked(
            ctx,
            person,
            t,
            pressed.operation,
            pressed.habitId,
          );
        case "delete_confirmed": {
          const action = await store.deleteHabit(person.id, pressed.habitId);
          return await ctx.editMessageText(
            action === null ? t.gone : t.deleted(action),
            html,
          );
        }
        case "delete_refused":
          return await ctx.editMessageText(t.kept, html);
      }
      const conversation = await store.conversation(chatId);
      if (!conversation) return await ctx.reply(t.nothingToCancel, html);
      if (pressed.kind === "field" && conversation.step === "field") {
        const step = FIELD_STEP[pressed.field];
        await store.saveConversation(chatId, person.id, {
          ...conversation,
          step,
        });
        return await ask(ctx, person, t, step);
      }
      if (conversation.step === "follow_up" && conversation.flow === "new") {
        if (pressed.kind === "reward") {
          await store.saveConversation(chatId, person.id, {
            ...conversation,
            step: "reward",
          });
          return await ask(ctx, person, t, "reward");
        }
        if (pressed.kind === "no_follow_up" || pressed.kind === "pleasant") {
          const draft = {
            ...conversation.draft,
            related_habit_id: pressed.kind === "pleasant" ? pressed.habitId : null,
          };
          const rule = await store.createHabit(person.id, draft);
          if (rule) {
            return await ctx.reply(ruleSentence(rule, person.language), html);
          }
          await store.endConversation(chatId);
          return await ctx.reply(t.created(draft.action ?? ""), html);
        }
      }
      await proceed(ctx, person, t, conversation, { button: pressed });
    }),
  );

  const picked = async (
    ctx: Context,
    person: Person,
    t: Catalogue,
    operation: PickOperation,
    habitId: string,
  ) => {
    const habit = await store.habit(person.id, habitId);
    if (!habit) return await ctx.editMessageText(t.gone, html);
    if (operation === "pause" || operation === "resume") {
      const action = await store.setPaused(
        person.id,
        habitId,
        operation === "pause",
      );
      return await ctx.editMessageText(
        action === null ? t.gone : t[operation === "pause" ? "paused" : "resumed"](action),
        html,
      );
    }
    if (operation === "delete") {
      const keyboard = new InlineKeyboard().text(
        t.deleteYes,
        button.deleteYes(habitId),
      ).text(t.deleteNo, button.deleteNo);
      return await ctx.editMessageText(t.deleteQuestion(habit.action), {
        ...html,
        reply_markup: keyboard,
      });
    }
    await store.saveConversation(ctx.chat!.id, person.id, {
      flow: "edit",
      step: "field",
      draft: {},
      habit_id: habitId,
    });
    const keyboard = new InlineKeyboard();
    for (const field of Object.keys(FIELD_STEP) as EditField[]) {
      keyboard.text(t.fields[field], button.field(field)).row();
    }
    await ctx.editMessageText(t.askField(habit.action), {
      ...html,
      reply_markup: cancelRow(t, keyboard),
    });
  };

  // Free text answers the conversation's current question; without one, the next handler replies.
  bot.on("message:text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) return await next();
    const conversation = await store.conversation(ctx.chat.id);
    if (!conversation || conversation.step === "field") return await next();
    const person = await personOf(ctx);
    if (!person) return await next();
    await proceed(ctx, person, CATALOGUES[person.language], conversation, {
      text: ctx.message.text,
    });
  });
}

/** A button label's part that names a habit (Telegram shows about 64 characters). */
function truncate(action: string): string {
  return action.length > 36 ? `${action.slice(0, 35)}…` : action;
}
