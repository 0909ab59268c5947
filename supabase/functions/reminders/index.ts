// Reminders dispatcher (verify_jwt = false: pg_cron calls it with the reminders secret).
import { connectDatabase } from "../_shared/db.ts";
import { misconfiguredResponse } from "../_shared/env.ts";
import type { TelegramSettings } from "../_shared/telegram.ts";
import { createRemindersApp } from "./app.ts";
import { readRemindersConfig, sendingPace } from "./config.ts";
import { dispatchOutbox } from "./dispatcher.ts";
import { sendTelegramMessage } from "./message.ts";
import { SendRateLimiter } from "./rate-limiter.ts";
import { createOutboxStore } from "./store.ts";

const env = readRemindersConfig();

let handle: (request: Request) => Response | Promise<Response>;
if (env.ok) {
  const { config } = env;
  const pace = sendingPace(config);
  const store = createOutboxStore(connectDatabase(config.SUPABASE_DB_URL, 5), {
    leaseSeconds: config.REMINDERS_LEASE_SECONDS,
    maxAttempts: config.REMINDERS_MAX_ATTEMPTS,
    chatIntervalMs: config.REMINDERS_CHAT_INTERVAL_MS,
  });
  const telegram: TelegramSettings = {
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    timeoutSeconds: config.REMINDERS_SEND_TIMEOUT_SECONDS,
  };
  const app = createRemindersApp({
    acceptedSecrets: [config.REMINDERS_SECRET, config.SUPABASE_SERVICE_ROLE_KEY],
    dispatch: () =>
      dispatchOutbox({
        store,
        send: (chatId, message) =>
          sendTelegramMessage(telegram, chatId, message, config.REMINDERS_PAID_BROADCAST),
        // One limiter per run is enough: only the run holding the dispatcher lease sends, and it
        // starts from the sends of the run before it.
        limiter: new SendRateLimiter(pace.messagesPerSecond, config.REMINDERS_CHAT_INTERVAL_MS),
        batchSize: pace.batchSize,
        workingTimeMs: config.REMINDERS_WORKING_TIME_MS,
        sendTimeoutMs: config.REMINDERS_SEND_TIMEOUT_SECONDS * 1000,
        dispatcherLeaseSeconds: config.REMINDERS_DISPATCHER_LEASE_SECONDS,
      }),
  });
  handle = (request) => app.fetch(request);
} else {
  console.error("reminders is misconfigured:", env.problems.join("; "));
  handle = () => misconfiguredResponse(env.problems);
}

Deno.serve((request) => handle(request));
