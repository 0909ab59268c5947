import { Composer } from "grammy";
import { type BotContext, html } from "../context.ts";

/** /help: what the bot can do. */
export function helpCommand(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command("help", (ctx) => ctx.reply(ctx.t.help, html));
  return composer;
}
