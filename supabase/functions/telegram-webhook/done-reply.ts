import { habitFollowUp } from "../_shared/habit-text.ts";
import { type BotContext, html } from "./context.ts";
import type { HabitStore } from "./habit-store.ts";
import type { WebhookStore } from "./store.ts";

/** What recording a Done gives, from a reminder's button or from /today's. */
export type DoneResult =
  | Awaited<ReturnType<WebhookStore["completeToday"]>>
  | Awaited<ReturnType<WebhookStore["completeFromButton"]>>;

/**
 * Answers a Done press, from a reminder or from /today: a refusal as an alert, or "recorded"
 * and a reply with the reward or linked habit and the habit's streak after this completion.
 */
export async function answerDone(
  ctx: BotContext,
  habits: HabitStore,
  result: DoneResult,
  habitIdOf: () => Promise<string | null>,
): Promise<void> {
  if (result.outcome !== "recorded") {
    await ctx.answerCallbackQuery({
      text: ctx.t.buttonAlert[result.outcome],
      show_alert: true,
    });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t.recorded });
  const text = ctx.t.doneRecorded(
    result.habit_action ?? "",
    habitFollowUp(result, ctx.language),
  );
  const habitId = await habitIdOf();
  const [row] = habitId && ctx.profile ? await habits.streaks(ctx.profile.id, habitId) : [];
  await ctx.reply(
    row ? `${text}\n\n${ctx.t.streakNow(row.streak)}` : text,
    html,
  );
}
