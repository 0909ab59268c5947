import { Composer } from "grammy";
import { decodeReminderButton } from "../../_shared/callback-data.ts";
import { answerStale, type BotContext, type BotDeps } from "../context.ts";
import { answerDone } from "../done-reply.ts";

/**
 * A reminder's Done and Snooze buttons. Registered after every other button: any button data
 * left over that is not a reminder's is answered as no longer valid.
 */
export function reminderButtons(
  { store, habits }: BotDeps,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("callback_query:data", async (ctx) => {
    const button = decodeReminderButton(ctx.callbackQuery.data);
    const chatId = ctx.chat?.id;
    if (!button || chatId === undefined) return await answerStale(ctx);
    if (button.action === "snooze") {
      const result = await store.snoozeFromButton(
        chatId,
        button.notificationId,
      );
      await ctx.answerCallbackQuery({
        text: ctx.t.buttonAlert[result.outcome],
        show_alert: result.outcome !== "snoozed",
      });
      return;
    }
    await answerDone(
      ctx,
      habits,
      await store.completeFromButton(chatId, button.notificationId),
      () => habits.habitOfNotification(button.notificationId),
    );
  });
  return composer;
}
