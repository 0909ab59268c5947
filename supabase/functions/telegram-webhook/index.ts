// Telegram webhook (verify_jwt = false: Telegram sends no JWT; the secret header authenticates it).
import { connectDatabase } from "../_shared/db.ts";
import { misconfiguredResponse } from "../_shared/env.ts";
import { createBot } from "../_shared/telegram.ts";
import { createWebhookApp } from "./app.ts";
import { registerHandlers } from "./bot.ts";
import { readWebhookConfig } from "./config.ts";
import { createReplies } from "./replies.ts";
import { createWebhookStore } from "./store.ts";

const env = readWebhookConfig();

let handle: (request: Request) => Response | Promise<Response>;
if (env.ok) {
  const { config } = env;
  const store = createWebhookStore(connectDatabase(config.SUPABASE_DB_URL));
  const bot = createBot({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT });
  registerHandlers(bot, store, createReplies(config.SITE_URL));
  const app = createWebhookApp({ bot, store, secret: config.TELEGRAM_WEBHOOK_SECRET });
  handle = (request) => app.fetch(request);
} else {
  console.error("telegram-webhook is misconfigured:", env.problems.join("; "));
  handle = () => misconfiguredResponse(env.problems);
}

Deno.serve((request) => handle(request));
