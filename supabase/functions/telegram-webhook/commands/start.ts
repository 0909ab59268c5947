import { Composer, InlineKeyboard } from "grammy";
import { type BotContext, type BotDeps, html } from "../context.ts";
import { pickLanguage } from "../messages/index.ts";

const linkCodePattern = /^[A-Za-z0-9_-]{16,64}$/;
/** Move's button carries the link code; callback_data holds 64 bytes, so codes up to 54 characters. */
const moveButtonPattern = /^link:move:([A-Za-z0-9_-]{16,54})$/;
const MOVE_CANCEL = "link:cancel";
const moveButton = (code: string) => {
  const data = `link:move:${code}`;
  return moveButtonPattern.test(data) ? data : null;
};

/** /start: a welcome, or with a link code, links the chat (a chat linked elsewhere asks first). */
export function startCommand(
  { store, messagesFor }: BotDeps,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command("start", async (ctx) => {
    const code = ctx.match.trim();
    if (code === "") {
      await ctx.reply(
        ctx.profile ? ctx.t.welcomeLinked : ctx.t.welcomeUnlinked,
        html,
      );
      return;
    }
    if (!linkCodePattern.test(code)) {
      await ctx.reply(ctx.t.linkResult("unknown_code", false), html);
      return;
    }
    const result = await store.linkChat(code, ctx.chat.id, ctx.from?.username);
    if (result.outcome === "not_private_chat") return;
    if (result.outcome === "linked_elsewhere") {
      // Someone else's link opened in a chat that is already someone's: ask, change nothing yet.
      const confirm = moveButton(code);
      if (confirm === null) {
        await ctx.reply(
          `${ctx.t.moveQuestion}\n\n${ctx.t.moveNeedsStop}`,
          html,
        );
        return;
      }
      const keyboard = new InlineKeyboard().text(ctx.t.moveYes, confirm).text(
        ctx.t.moveNo,
        MOVE_CANCEL,
      );
      await ctx.reply(ctx.t.moveQuestion, { ...html, reply_markup: keyboard });
      return;
    }
    await ctx.reply(
      ctx.t.linkResult(result.outcome, result.previous_user_id !== null),
      html,
    );
  });

  composer.callbackQuery(moveButtonPattern, async (ctx) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) {
      await ctx.answerCallbackQuery({
        text: ctx.t.buttonAlert.stale,
        show_alert: true,
      });
      return;
    }
    const result = await store.linkChat(
      ctx.match[1],
      chatId,
      ctx.from.username,
      true,
    );
    await ctx.answerCallbackQuery();
    if (result.outcome === "linked" || result.outcome === "already_linked") {
      // The chat now belongs to the link's account: answer in that account's language (read anew).
      const profile = await store.linkedProfile(chatId);
      const t = messagesFor(
        pickLanguage(profile?.language, ctx.from.language_code),
      );
      await ctx.editMessageText(
        t.linkResult(result.outcome, result.previous_user_id !== null),
        html,
      );
      return;
    }
    // The code expired or was used meanwhile: say so and how the chat stands; nothing changed.
    const reason = result.outcome === "linked_elsewhere" ||
        result.outcome === "not_private_chat"
      ? null
      : result.outcome;
    await ctx.editMessageText(
      ctx.t.moveNotDone(reason, ctx.profile !== null),
      html,
    );
  });

  composer.callbackQuery(MOVE_CANCEL, async (ctx) => {
    if (ctx.chat?.id === undefined) {
      await ctx.answerCallbackQuery({
        text: ctx.t.buttonAlert.stale,
        show_alert: true,
      });
      return;
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(
      ctx.t.moveNotDone(null, ctx.profile !== null),
      html,
    );
  });

  return composer;
}
