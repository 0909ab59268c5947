import { Composer, InlineKeyboard } from "grammy";
import { type BotContext, type BotDeps, html, linkedOnly, profileOf } from "../context.ts";
import { cancelRow, FIELD_STEP, truncate } from "../conversation.ts";
import {
  button,
  decodeFlowButton,
  type EditField,
  type FlowButton,
  flowButtonPattern,
  type PickOperation,
} from "../flow-buttons.ts";
import type { HabitStore } from "../habit-store.ts";

const PICKER_PAGE_SIZE = 8;
const OPERATIONS: PickOperation[] = ["edit", "pause", "resume", "delete"];
type PickerButton = Extract<
  FlowButton,
  {
    kind:
      | "page"
      | "pick"
      | "delete_confirmed"
      | "delete_refused"
      | "pick_cancelled";
  }
>;
const isPickerButton = (pressed: FlowButton | null): pressed is PickerButton =>
  pressed !== null &&
  ["page", "pick", "delete_confirmed", "delete_refused", "pick_cancelled"]
    .includes(pressed.kind);

/** /edit, /pause, /resume and /delete: a paged picker of the habits, then the operation. */
export function pickerCommands({ habits }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  for (const operation of OPERATIONS) {
    composer.command(operation, linkedOnly, async (ctx) => {
      const { text, keyboard } = await picker(ctx, habits, operation, 0);
      await ctx.reply(text, { ...html, reply_markup: keyboard });
    });
  }

  composer.callbackQuery(flowButtonPattern, linkedOnly, async (ctx, next) => {
    const pressed = decodeFlowButton(ctx.callbackQuery.data);
    if (!isPickerButton(pressed)) return await next();
    await ctx.answerCallbackQuery();
    await pickerPressed(ctx, habits, pressed);
  });

  return composer;
}

async function pickerPressed(
  ctx: BotContext,
  habits: HabitStore,
  pressed: PickerButton,
): Promise<unknown> {
  switch (pressed.kind) {
    case "pick_cancelled":
      return await ctx.editMessageText(ctx.t.cancelled, html);
    case "page": {
      const { text, keyboard } = await picker(
        ctx,
        habits,
        pressed.operation,
        pressed.page,
      );
      return await ctx.editMessageText(text, {
        ...html,
        reply_markup: keyboard,
      });
    }
    case "pick":
      return await picked(ctx, habits, pressed.operation, pressed.habitId);
    case "delete_confirmed": {
      const action = await habits.deleteHabit(
        profileOf(ctx).id,
        pressed.habitId,
      );
      return await ctx.editMessageText(
        action === null ? ctx.t.gone : ctx.t.deleted(action),
        html,
      );
    }
    case "delete_refused":
      return await ctx.editMessageText(ctx.t.kept, html);
  }
}

/** One page of the habits `operation` applies to, as buttons. */
async function picker(
  ctx: BotContext,
  habits: HabitStore,
  operation: PickOperation,
  wanted: number,
) {
  const t = ctx.t;
  const paused = operation === "pause" ? false : operation === "resume" ? true : null;
  const pickable = await habits.pickable(profileOf(ctx).id, paused);
  if (pickable.length === 0) {
    return { text: t.noneToPick[operation], keyboard: undefined };
  }
  const pages = Math.ceil(pickable.length / PICKER_PAGE_SIZE);
  const page = Math.min(wanted, pages - 1);
  const keyboard = new InlineKeyboard();
  for (
    const habit of pickable.slice(
      page * PICKER_PAGE_SIZE,
      (page + 1) * PICKER_PAGE_SIZE,
    )
  ) {
    keyboard.text(
      `${t.clock(habit.time)} ${truncate(habit.action)}`,
      button.pick(operation, habit.id),
    ).row();
  }
  if (page > 0) keyboard.text(t.previous, button.page(operation, page - 1));
  if (page < pages - 1) keyboard.text(t.next, button.page(operation, page + 1));
  keyboard.row().text(t.cancelButton, button.pickNo);
  return { text: t.pickHeading[operation] + t.page(page + 1, pages), keyboard };
}

/** A habit picked: paused or resumed at once, deleted after a question, or its edit begun. */
async function picked(
  ctx: BotContext,
  habits: HabitStore,
  operation: PickOperation,
  habitId: string,
) {
  const t = ctx.t;
  const person = profileOf(ctx);
  const habit = await habits.habit(person.id, habitId);
  if (!habit) return await ctx.editMessageText(t.gone, html);
  if (operation === "pause" || operation === "resume") {
    const action = await habits.setPaused(
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
    ).text(
      t.deleteNo,
      button.deleteNo,
    );
    return await ctx.editMessageText(t.deleteQuestion(habit.action), {
      ...html,
      reply_markup: keyboard,
    });
  }
  await habits.saveConversation(ctx.chat!.id, person.id, {
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
}
