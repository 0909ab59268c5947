import { Composer } from "grammy";
import { type BotContext, html } from "../context.ts";

/** Any message no command or conversation took: a pointer to /help. Register it last. */
export function unknownMessage(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.on("message", (ctx) => ctx.reply(ctx.t.unknownMessage, html));
  return composer;
}
