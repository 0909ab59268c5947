import { type CallbackQueryContext, type CommandContext, Composer, InlineKeyboard } from "grammy";
import { answerStale, type BotContext, type BotDeps, html } from "../context.ts";
import { pickLanguage } from "../messages/index.ts";

const linkCodePattern = /^[A-Za-z0-9_-]{16,64}$/;
/** Move's button carries the link code; callback_data holds 64 bytes, so codes up to 54 characters. */
const moveButtonPattern = /^link:move:([A-Za-z0-9_-]{16,54})$/;
const MOVE_CANCEL = "link:cancel";
const moveButton = (code: string) => {
  const data = `link:move:${code}`;
  return moveButtonPattern.test(data) ? data : null;
};

type StartContext = CommandContext<BotContext>;
type ButtonContext = CallbackQueryContext<BotContext>;

/** /start: a welcome, or with a link code, links the chat (a chat linked elsewhere asks first). */
export function startCommand(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("start", (ctx) => start(deps, ctx, ctx.match.trim()));
  composer.callbackQuery(
    moveButtonPattern,
    (ctx) => confirmMove(deps, ctx, ctx.match[1]),
  );
  composer.callbackQuery(MOVE_CANCEL, cancelMove);
  return composer;
}

/** /start with or without a link code. */
async function start(
  { store }: BotDeps,
  ctx: StartContext,
  code: string,
): Promise<void> {
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
    await askToMove(ctx, code);
    return;
  }
  await ctx.reply(
    ctx.t.linkResult(result.outcome, result.previous_user_id !== null),
    html,
  );
}

/** Someone else's link opened in a chat that is already someone's: ask, change nothing yet. */
async function askToMove(ctx: StartContext, code: string): Promise<void> {
  const confirm = moveButton(code);
  if (confirm === null) {
    await ctx.reply(`${ctx.t.moveQuestion}\n\n${ctx.t.moveNeedsStop}`, html);
    return;
  }
  const keyboard = new InlineKeyboard().text(ctx.t.moveYes, confirm).text(
    ctx.t.moveNo,
    MOVE_CANCEL,
  );
  await ctx.reply(ctx.t.moveQuestion, { ...html, reply_markup: keyboard });
}

/** "Move": links the chat to the code's account, replacing the current link. */
async function confirmMove(
  { store, messagesFor }: BotDeps,
  ctx: ButtonContext,
  code: string,
): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return await answerStale(ctx);
  const result = await store.linkChat(code, chatId, ctx.from.username, true);
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
}

/** "Keep": leaves the chat as it is. */
async function cancelMove(ctx: ButtonContext): Promise<void> {
  if (ctx.chat?.id === undefined) return await answerStale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(
    ctx.t.moveNotDone(null, ctx.profile !== null),
    html,
  );
}
