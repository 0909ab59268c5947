/**
 * Points the production bot at the deployed telegram-webhook function:
 *
 *   TELEGRAM_BOT_TOKEN=... TELEGRAM_WEBHOOK_SECRET=... SUPABASE_URL=https://<ref>.supabase.co \
 *     deno task telegram:set-webhook
 *
 * Telegram then posts updates to <SUPABASE_URL>/functions/v1/telegram-webhook with the secret in
 * X-Telegram-Bot-Api-Secret-Token, only of the kinds the bot handles. Every call has a deadline;
 * a failure is reported in one line.
 */
import { z } from "zod";
import { callBotApi, type TelegramSettings } from "../../supabase/functions/_shared/telegram.ts";
import { BOT_UPDATE_KINDS } from "../../supabase/functions/_shared/telegram-update-kinds.ts";

const env = z.object({
  TELEGRAM_BOT_TOKEN: z.string().min(1),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/),
  SUPABASE_URL: z.string().url(),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
}).safeParse(Deno.env.toObject());

if (!env.success) {
  console.error(
    "Missing or invalid settings:\n" +
      env.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n"),
  );
  Deno.exit(2);
}

const { TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, SUPABASE_URL, TELEGRAM_API_ROOT } = env.data;
const telegram: TelegramSettings = {
  token: TELEGRAM_BOT_TOKEN,
  apiRoot: TELEGRAM_API_ROOT,
  timeoutSeconds: 10,
};
const url = `${SUPABASE_URL.replace(/\/$/, "")}/functions/v1/telegram-webhook`;

try {
  await callBotApi(telegram, "setWebhook", {
    url,
    secret_token: TELEGRAM_WEBHOOK_SECRET,
    allowed_updates: BOT_UPDATE_KINDS,
    drop_pending_updates: false,
  });
  await callBotApi(telegram, "setMyCommands", {
    commands: [
      { command: "habits", description: "Your habits" },
      { command: "today", description: "What is due today" },
      { command: "stop", description: "Disconnect this chat" },
      { command: "help", description: "What I can do" },
    ],
  });
  const info = await callBotApi<{ url: string; pending_update_count: number }>(
    telegram,
    "getWebhookInfo",
    {},
  );
  console.log(`Webhook set to ${info.url} (pending updates: ${info.pending_update_count}).`);
} catch (error) {
  console.error(`telegram:set-webhook failed: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
}
