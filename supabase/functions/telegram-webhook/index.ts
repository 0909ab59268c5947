// Telegram webhook (verify_jwt = false: Telegram sends no JWT; the secret header authenticates it).
import { connectDatabase } from "../_shared/db.ts";
import { misconfiguredResponse } from "../_shared/env.ts";
import { callBotApi, createBot } from "../_shared/telegram.ts";
import { createWebhookApp } from "./app.ts";
import { registerHandlers } from "./bot.ts";
import type { BotContext } from "./context.ts";
import { readWebhookConfig, type WebhookConfig } from "./config.ts";
import { createHabitStore } from "./habit-store.ts";
import { createMessages } from "./messages/index.ts";
import { paceReplies } from "./reply-pacing.ts";
import { createSendBudgetStore, SendBudget } from "../_shared/send-budget.ts";
import { createWebhookStore } from "./store.ts";

/** The bot's username from configuration, or asked of Telegram once, with a deadline. */
async function botUsername(config: WebhookConfig): Promise<string> {
  if (config.TELEGRAM_BOT_USERNAME) return config.TELEGRAM_BOT_USERNAME;
  try {
    const me = await callBotApi<{ username: string }>(
      {
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        timeoutSeconds: 5,
      },
      "getMe",
      {},
    );
    return me.username;
  } catch (error) {
    console.error(
      `telegram-webhook: getMe failed (${error instanceof Error ? error.message : error}); ` +
        "set TELEGRAM_BOT_USERNAME. Commands addressed as /command@bot are not recognised meanwhile.",
    );
    return "unknown_bot";
  }
}

const REPLY_WAIT_LIMIT_MS = 5_000;

const env = readWebhookConfig();

let handle: (request: Request) => Response | Promise<Response>;
if (env.ok) {
  const { config } = env;
  const db = connectDatabase(config.SUPABASE_DB_URL);
  const store = createWebhookStore(db);
  const bot = createBot<BotContext>({
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    timeoutSeconds: config.TELEGRAM_WEBHOOK_API_TIMEOUT_SECONDS,
    username: await botUsername(config),
  });
  // A reply waits at most this long for its slot in the bot's send budget (the bot's rate, the
  // chat's gap, a 429's retry_after): an update is answered within seconds, well inside its lease.
  bot.api.config.use(
    paceReplies(new SendBudget(createSendBudgetStore(db)), { maxWaitMs: REPLY_WAIT_LIMIT_MS }),
  );
  registerHandlers(bot, {
    store,
    habits: createHabitStore(db),
    messagesFor: createMessages(config.SITE_URL),
  });
  const app = createWebhookApp({
    bot,
    store,
    secret: config.TELEGRAM_WEBHOOK_SECRET,
    updateLeaseSeconds: config.TELEGRAM_UPDATE_LEASE_SECONDS,
  });
  handle = (request) => app.fetch(request);
} else {
  console.error("telegram-webhook is misconfigured:", env.problems.join("; "));
  handle = () => misconfiguredResponse(env.problems);
}

Deno.serve((request) => handle(request));
