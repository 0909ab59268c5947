import { Composer, InlineKeyboard } from "grammy";
import { answerStale, type BotContext, type BotDeps, linkedOnly, profileOf } from "../context.ts";
import { answerDone } from "../done-reply.ts";
import { replyInParts } from "../long-reply.ts";

/** /today's Done buttons: `today:<habit id>` (42 bytes, within callback_data's 64). */
const doneTodayPattern = /^today:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** /today: what is due today, with a Done button for each habit not yet done. */
export function todayCommand({ store, habits }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("today", linkedOnly, async (ctx) => {
    const due = await store.dueToday(ctx.chat.id);
    // A Done button for each habit not yet done today: doing a habit early is normal.
    const keyboard = new InlineKeyboard();
    for (const habit of due.filter((habit) => !habit.done)) {
      keyboard.text(
        ctx.t.doneTodayButton(habit.action),
        `today:${habit.habit_id}`,
      ).row();
    }
    const hasButtons = keyboard.inline_keyboard.some((row) => row.length > 0);
    // The buttons go with the last part, so they stay under the whole list.
    await replyInParts(
      ctx,
      store,
      ctx.t.today(profileOf(ctx).timezone, due),
      hasButtons ? keyboard : undefined,
    );
  });

  composer.callbackQuery(doneTodayPattern, async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return await answerStale(ctx);
    const habitId = ctx.match[1];
    await answerDone(
      ctx,
      habits,
      await store.completeToday(chatId, habitId),
      () => Promise.resolve(habitId),
    );
  });

  return composer;
}
