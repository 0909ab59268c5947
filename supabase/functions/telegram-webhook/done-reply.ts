import { habitFollowUp } from "../_shared/habit-text.ts";
import { type BotContext, html } from "./context.ts";
import { markDoneOnMessage } from "./done-mark.ts";
import type { HabitStore } from "./habit-store.ts";
import type { WebhookStore } from "./store.ts";

/** What recording a Done gives, from a reminder's button or from /today's. */
export type DoneResult =
  | Awaited<ReturnType<WebhookStore["completeToday"]>>
  | Awaited<ReturnType<WebhookStore["completeFromButton"]>>;

/**
 * Answers a Done press, from a reminder or from /today: a refusal as an alert, or "recorded"
 * and a reply with the reward or linked habit and the habit's streak after this completion.
 * Recorded now or before, the pressed message shows it (done-mark.ts): a redelivered press
 * whose callback query expired is still seen.
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
    if (result.outcome === "already_recorded") {
      await markDoneOnMessage(ctx, result.habit_action ?? "");
    }
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t.recorded });
  await markDoneOnMessage(ctx, result.habit_action ?? "");
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
