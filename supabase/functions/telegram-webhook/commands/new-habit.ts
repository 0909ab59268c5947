import { Composer } from "grammy";
import { type BotContext, type BotDeps, html, linkedOnly, profileOf } from "../context.ts";
import { ask, FIELD_STEP, proceed, replyRule } from "../conversation.ts";
import { decodeFlowButton, type FlowButton, flowButtonPattern } from "../flow-buttons.ts";
import type { HabitStore } from "../habit-store.ts";

/**
 * /new and /cancel, and the conversation's answers: free text and the question's buttons (an
 * /edit conversation, begun by its picker, is answered here too).
 */
export function newHabitFlow({ habits }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("new", linkedOnly, async (ctx) => {
    // The per-account cap and the Telegram link are rules too: checked before the first question.
    const rule = await habits.checkNew(profileOf(ctx).id, {});
    if (rule) return await replyRule(ctx, rule);
    await habits.saveConversation(ctx.chat.id, profileOf(ctx).id, {
      flow: "new",
      step: "action",
      draft: {},
      habit_id: null,
    });
    await ask(ctx, habits, "action");
  });

  composer.command("cancel", linkedOnly, async (ctx) => {
    const ended = await habits.endConversation(ctx.chat.id);
    await ctx.reply(ended ? ctx.t.cancelled : ctx.t.nothingToCancel, html);
  });

  composer.callbackQuery(flowButtonPattern, linkedOnly, async (ctx) => {
    await ctx.answerCallbackQuery();
    await pressed(ctx, habits, decodeFlowButton(ctx.callbackQuery.data)!);
  });

  // Free text answers the conversation's current question; without one, the next handler replies.
  composer.on("message:text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) return await next();
    const conversation = await habits.conversation(ctx.chat.id);
    if (!conversation || conversation.step === "field") return await next();
    if (!ctx.profile) return await next();
    await proceed(ctx, habits, conversation, { text: ctx.message.text });
  });

  return composer;
}

/** A button of the conversation pressed: Cancel, a field to edit, a follow-up, or an answer. */
async function pressed(
  ctx: BotContext,
  habits: HabitStore,
  button: FlowButton,
): Promise<unknown> {
  const chatId = ctx.chat!.id;
  const person = profileOf(ctx);
  if (button.kind === "cancel") {
    const ended = await habits.endConversation(chatId);
    return await ctx.reply(
      ended ? ctx.t.cancelled : ctx.t.nothingToCancel,
      html,
    );
  }
  const conversation = await habits.conversation(chatId);
  if (!conversation) return await ctx.reply(ctx.t.nothingToCancel, html);
  if (button.kind === "field" && conversation.step === "field") {
    const step = FIELD_STEP[button.field];
    await habits.saveConversation(chatId, person.id, { ...conversation, step });
    return await ask(ctx, habits, step);
  }
  if (conversation.step === "follow_up" && conversation.flow === "new") {
    if (button.kind === "reward") {
      await habits.saveConversation(chatId, person.id, {
        ...conversation,
        step: "reward",
      });
      return await ask(ctx, habits, "reward");
    }
    if (button.kind === "no_follow_up" || button.kind === "pleasant") {
      const draft = {
        ...conversation.draft,
        related_habit_id: button.kind === "pleasant" ? button.habitId : null,
      };
      const rule = await habits.createHabit(person.id, draft);
      if (rule) return await replyRule(ctx, rule);
      await habits.endConversation(chatId);
      return await ctx.reply(ctx.t.created(draft.action ?? ""), html);
    }
  }
  await proceed(ctx, habits, conversation, { button });
}
