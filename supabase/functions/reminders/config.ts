import { z } from "zod";
import { readEnv } from "../_shared/env.ts";

export const remindersEnv = {
  TELEGRAM_BOT_TOKEN: z.string().min(1, "the bot token from @BotFather is required"),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  SUPABASE_DB_URL: z.string().min(1),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  // The Bearer secret pg_cron sends (Vault secret `reminders_secret`).
  REMINDERS_SECRET: z.string().min(16, "at least 16 characters"),
  // Stop claiming new work after this long, well inside the edge runtime's wall-clock limit.
  REMINDERS_WORKING_TIME_MS: z.coerce.number().int().positive().default(45_000),
  // Telegram allows about 30 messages a second per bot and one a second per chat. 28 leaves room
  // for network jitter, which otherwise lands 31 sends in one second (bench/dispatch.ts).
  REMINDERS_MESSAGES_PER_SECOND: z.coerce.number().positive().default(28),
  // One a second per chat, plus the same kind of margin.
  REMINDERS_CHAT_INTERVAL_MS: z.coerce.number().int().nonnegative().default(1_100),
  REMINDERS_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(60),
  REMINDERS_LEASE_SECONDS: z.coerce.number().int().min(10).default(120),
  // One run sends at a time; a run that dies keeps the others out for at most this long.
  REMINDERS_DISPATCHER_LEASE_SECONDS: z.coerce.number().int().min(2).max(60).default(15),
  REMINDERS_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(10),
  REMINDERS_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
};

export type RemindersConfig = z.infer<z.ZodObject<typeof remindersEnv>>;

export const readRemindersConfig = () => readEnv(remindersEnv);
