import { z } from "zod";
import { type EnvResult, readEnv } from "../_shared/env.ts";

export const remindersEnv = {
  TELEGRAM_BOT_TOKEN: z.string().min(1, "the bot token from @BotFather is required"),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  SUPABASE_DB_URL: z.string().min(1),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  // The Bearer secret pg_cron sends (Vault secret `reminders_secret`).
  REMINDERS_SECRET: z.string().min(16, "at least 16 characters"),
  // Every run ends within this, well inside the edge runtime's wall-clock limit and pg_net's 55 s:
  // no send starts later than this less the send timeout.
  REMINDERS_WORKING_TIME_MS: z.coerce.number().int().positive().default(45_000),
  // Telegram allows about 30 messages a second per bot and one a second per chat. 28 leaves room
  // for network jitter, which otherwise lands 31 sends in one second (bench/dispatch.ts).
  // Default 28, or 950 with paid broadcasts.
  REMINDERS_MESSAGES_PER_SECOND: z.coerce.number().positive().optional(),
  // Paid broadcasts (opt-in): every sendMessage carries allow_paid_broadcast, which lets the bot
  // send up to 1,000 messages a second; each one above the free 30 a second costs 0.1 Telegram
  // Stars from the bot's balance. The per-chat limit stays.
  REMINDERS_PAID_BROADCAST: z.enum(["true", "false"], "true or false").transform((value) => value === "true")
    .default(false),
  // One a second per chat, plus the same kind of margin.
  REMINDERS_CHAT_INTERVAL_MS: z.coerce.number().int().nonnegative().default(1_100),
  // Messages claimed (and in flight) at a time: default 60, or 200 with paid broadcasts.
  REMINDERS_BATCH_SIZE: z.coerce.number().int().min(1).max(500).optional(),
  REMINDERS_LEASE_SECONDS: z.coerce.number().int().min(10).default(120),
  // One run sends at a time; a run that dies keeps the others out for at most this long.
  REMINDERS_DISPATCHER_LEASE_SECONDS: z.coerce.number().int().min(2).max(60).default(15),
  REMINDERS_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(10),
  REMINDERS_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
};

export type RemindersConfig = z.infer<z.ZodObject<typeof remindersEnv>>;

/** The environment, refused by name when a run could never send (its working time ends first). */
export function readRemindersConfig(): EnvResult<RemindersConfig> {
  const env = readEnv(remindersEnv);
  if (
    env.ok && env.config.REMINDERS_WORKING_TIME_MS < env.config.REMINDERS_SEND_TIMEOUT_SECONDS * 1000 + 1000
  ) {
    return {
      ok: false,
      problems: [
        "REMINDERS_WORKING_TIME_MS: at least 1 s more than REMINDERS_SEND_TIMEOUT_SECONDS (no send starts later than the working time less the send timeout)",
      ],
    };
  }
  return env;
}

/** The bot-wide send rate and the batch size, whose defaults depend on paid broadcasts. */
export function sendingPace(config: RemindersConfig): { messagesPerSecond: number; batchSize: number } {
  const paid = config.REMINDERS_PAID_BROADCAST;
  return {
    messagesPerSecond: config.REMINDERS_MESSAGES_PER_SECOND ?? (paid ? 950 : 28),
    batchSize: config.REMINDERS_BATCH_SIZE ?? (paid ? 200 : 60),
  };
}
