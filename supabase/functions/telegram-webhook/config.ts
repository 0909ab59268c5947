import { z } from "zod";
import { readEnv } from "../_shared/env.ts";

export const webhookEnv = {
  TELEGRAM_BOT_TOKEN: z.string().min(1, "the bot token from @BotFather is required"),
  // Telegram allows 1-256 characters of A-Z, a-z, 0-9, _ and - for secret_token.
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(
    /^[A-Za-z0-9_-]{16,256}$/,
    "16-256 characters of A-Z, a-z, 0-9, _ and -",
  ),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  SITE_URL: z.string().url(),
  SUPABASE_DB_URL: z.string().min(1),
};

export type WebhookConfig = z.infer<z.ZodObject<typeof webhookEnv>>;

export const readWebhookConfig = () => readEnv(webhookEnv);
