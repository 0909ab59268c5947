import { z } from "zod";
import { readEnv } from "../_shared/env.ts";

export const webhookEnv = {
  TELEGRAM_BOT_TOKEN: z.string().min(
    1,
    "the bot token from @BotFather is required",
  ),
  // Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and - for secret_token.
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(
    /^[A-Za-z0-9_-]{16,256}$/,
    "16-256 characters of A-Z, a-z, 0-9, _ and -",
  ),
  // The bot's username (without @). Set, the webhook never calls getMe; unset, it asks once at start.
  TELEGRAM_BOT_USERNAME: z.string().regex(
    /^[A-Za-z0-9_]{5,32}$/,
    "5-32 characters of A-Z, a-z, 0-9 and _",
  )
    .optional(),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  // Each Bot API call of an update; with the Bot API unreachable an update is answered (503, so
  // that Telegram delivers it again) within about this long.
  TELEGRAM_WEBHOOK_API_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(30)
    .default(4),
  // How long one request holds an update before a redelivery may handle it again.
  TELEGRAM_UPDATE_LEASE_SECONDS: z.coerce.number().int().min(1).max(600)
    .default(20),
  SITE_URL: z.string().url(),
  SUPABASE_DB_URL: z.string().min(1),
};

export type WebhookConfig = z.infer<z.ZodObject<typeof webhookEnv>>;

export const readWebhookConfig = () => readEnv(webhookEnv);
