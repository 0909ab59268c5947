// Reminders dispatcher (verify_jwt = false: pg_cron calls it with the reminders secret).
import { connectDatabase } from "../_shared/db.ts";
import { createSendBudgetStore, SendBudget } from "../_shared/send-budget.ts";
import { misconfiguredResponse } from "../_shared/env.ts";
import type { TelegramSettings } from "../_shared/telegram.ts";
import { createRemindersApp } from "./app.ts";
import { batchSize, lateSendToleranceMs, readRemindersConfig } from "./config.ts";
import { dispatchOutbox } from "./dispatcher.ts";
import { askForNextRun, startNextRunIfWorkLeft } from "./next-run.ts";
import { sendTelegramMessage } from "./message.ts";
import { createOutboxStore } from "./store.ts";

const env = readRemindersConfig();

let handle: (request: Request) => Response | Promise<Response>;
if (env.ok) {
  const { config } = env;
  const db = connectDatabase(config.SUPABASE_DB_URL, 5);
  const store = createOutboxStore(db, {
    leaseSeconds: config.REMINDERS_LEASE_SECONDS,
    maxAttempts: config.REMINDERS_MAX_ATTEMPTS,
  });
  // The bot's one send budget, shared with the webhook's replies and every other instance.
  const budget = new SendBudget(
    createSendBudgetStore(db, { paid: config.REMINDERS_PAID_BROADCAST }),
    { lateToleranceMs: lateSendToleranceMs(config) },
  );
  const telegram: TelegramSettings = {
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    timeoutSeconds: config.REMINDERS_SEND_TIMEOUT_SECONDS,
  };
  const app = createRemindersApp({
    acceptedSecrets: [
      config.REMINDERS_SECRET,
      config.SUPABASE_SERVICE_ROLE_KEY,
    ],
    dispatch: async () => {
      const report = await dispatchOutbox({
        store,
        send: (chatId, message) =>
          sendTelegramMessage(
            telegram,
            chatId,
            message,
            config.REMINDERS_PAID_BROADCAST,
          ),
        budget,
        batchSize: batchSize(config),
        workingTimeMs: config.REMINDERS_WORKING_TIME_MS,
        sendTimeoutMs: config.REMINDERS_SEND_TIMEOUT_SECONDS * 1000,
        dispatcherLeaseSeconds: config.REMINDERS_DISPATCHER_LEASE_SECONDS,
        // A backlog goes on at once in the next run, not at the next minute's tick.
        askForNextRun: () => askForNextRun(db),
      });
      // Unless the run asked for as this one stopped claiming took over.
      await startNextRunIfWorkLeft(db, report).catch((error) =>
        console.error(
          "reminders: the next run was not started:",
          error instanceof Error ? error.message : error,
        )
      );
      return report;
    },
  });
  handle = (request) => app.fetch(request);
} else {
  console.error("reminders is misconfigured:", env.problems.join("; "));
  handle = () => misconfiguredResponse(env.problems);
}

Deno.serve((request) => handle(request));
