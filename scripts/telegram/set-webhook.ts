/**
 * Points the production bot at the deployed telegram-webhook function:
 *
 *   TELEGRAM_BOT_TOKEN=... TELEGRAM_WEBHOOK_SECRET=... SUPABASE_URL=https://<ref>.supabase.co \
 *     deno task telegram:set-webhook
 *
 * Telegram then posts updates to <SUPABASE_URL>/functions/v1/telegram-webhook with the secret in
 * X-Telegram-Bot-Api-Secret-Token, only of the kinds the bot handles.
 */
import { Api } from "grammy";
import { z } from "zod";

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
const api = new Api(TELEGRAM_BOT_TOKEN, { apiRoot: TELEGRAM_API_ROOT });
const url = `${SUPABASE_URL.replace(/\/$/, "")}/functions/v1/telegram-webhook`;

await api.setWebhook(url, {
  secret_token: TELEGRAM_WEBHOOK_SECRET,
  allowed_updates: ["message", "callback_query"],
  drop_pending_updates: false,
});
await api.setMyCommands([
  { command: "habits", description: "Your habits" },
  { command: "today", description: "What is due today" },
  { command: "stop", description: "Disconnect this chat" },
  { command: "help", description: "What I can do" },
]);
const info = await api.getWebhookInfo();
console.log(`Webhook set to ${info.url} (pending updates: ${info.pending_update_count}).`);
