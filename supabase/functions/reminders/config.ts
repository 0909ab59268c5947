import { z } from "zod";
import { type EnvResult, readEnv } from "../_shared/env.ts";

/** A variable that once set a send budget value: refused, naming the setting that holds it now. */
function movedToSettings(setting: string) {
  return z.undefined(`set ${setting} in private.settings instead: every sender shares it`).optional();
}

export const remindersEnv = {
  TELEGRAM_BOT_TOKEN: z.string().min(
    1,
    "the bot token from @BotFather is required",
  ),
  TELEGRAM_API_ROOT: z.string().url().default("https://api.telegram.org"),
  SUPABASE_DB_URL: z.string().min(1),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  // The Bearer secret pg_cron sends (Vault secret `reminders_secret`).
  REMINDERS_SECRET: z.string().min(16, "at least 16 characters"),
  // Every run ends within this, well inside the edge runtime's wall-clock limit and pg_net's 55 s:
  // no send starts later than this less the send timeout.
  REMINDERS_WORKING_TIME_MS: z.coerce.number().int().positive().default(45_000),
  // Telegram's limits are the bot's send budget, shared by every sender: private.settings holds
  // them (telegram_messages_per_second 28, telegram_paid_messages_per_second 950,
  // telegram_rate_window_ms 1,030, telegram_chat_interval_ms 1,100), and no variable overrides
  // them. REMINDERS_MESSAGES_PER_SECOND and REMINDERS_CHAT_INTERVAL_MS are refused by name.
  REMINDERS_MESSAGES_PER_SECOND: movedToSettings("telegram_messages_per_second"),
  REMINDERS_CHAT_INTERVAL_MS: movedToSettings("telegram_chat_interval_ms"),
  // A send that cannot leave within this long of its slot (a busy machine) takes a new slot, so
  // late sends never bunch beyond what the budget's window keeps for jitter: 10 ms of the 30 by
  // which telegram_rate_window_ms (1,030) exceeds a second, the other 20 for the request's way
  // (with 25, a loaded 2-core machine put 29 in one second: issue 27, item 5); 75 ms with
  // paid broadcasts (950 in 1,030 ms stays under Telegram's 1,000 a second with up to 80 ms).
  // Benchmarks of the system's own ceiling (no rate limit) set it high.
  REMINDERS_LATE_SEND_TOLERANCE_MS: z.coerce.number().int().nonnegative().optional(),
  // Paid broadcasts (opt-in): every sendMessage carries allow_paid_broadcast, which lets the bot
  // send up to 1,000 messages a second; each one above the free 30 a second costs 0.1 Telegram
  // Stars from the bot's balance. The per-chat limit stays.
  REMINDERS_PAID_BROADCAST: z.enum(["true", "false"], "true or false")
    .transform((value) => value === "true")
    .default(false),
  // Messages claimed (and in flight) at a time: default 30 (about a second of sends at 28 a second,
  // so the webhook's replies never queue long behind them), or 200 with paid broadcasts.
  REMINDERS_BATCH_SIZE: z.coerce.number().int().min(1).max(500).optional(),
  REMINDERS_LEASE_SECONDS: z.coerce.number().int().min(10).default(120),
  // One run sends at a time; a run that dies keeps the others out for at most this long.
  REMINDERS_DISPATCHER_LEASE_SECONDS: z.coerce.number().int().min(2).max(60)
    .default(15),
  // How long one sendMessage may take. A send given up on is "maybe delivered" and resent: a copy
  // if Telegram was only slow. Answers 15 s late made 4 copies of every reminder with 10 s
  // (issue 27); 20 s waits out that tail with a third to spare, and a run that must not start a
  // send it cannot finish within its 45 s still has 25 s to start sends in. Even a send started
  // as the working time ends is over by 65 s, inside the edge runtime's 150 s wall clock.
  REMINDERS_SEND_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60)
    .default(20),
  REMINDERS_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
};

export type RemindersConfig = z.infer<z.ZodObject<typeof remindersEnv>>;

/** The edge runtime's wall-clock limit is 150 s (free plan); a run ends 30 s before it. */
export const RUN_END_LIMIT_MS = 120_000;

/**
 * The environment, and the rules across settings, each refused by name: a run must have time to
 * start a send (no send starts later than the working time less the send timeout), its claims
 * must outlast it, and even a send that took its whole timeout must end inside the edge runtime's
 * wall clock.
 */
export function readRemindersConfig(): EnvResult<RemindersConfig> {
  const env = readEnv(remindersEnv);
  if (!env.ok) return env;
  const {
    REMINDERS_WORKING_TIME_MS: workingMs,
    REMINDERS_SEND_TIMEOUT_SECONDS: timeout,
  } = env.config;
  const problems: string[] = [];
  if (workingMs < timeout * 1000 + 1000) {
    problems.push(
      "REMINDERS_WORKING_TIME_MS: at least 1 s more than REMINDERS_SEND_TIMEOUT_SECONDS (no send starts later than the working time less the send timeout)",
    );
  }
  // A claim must outlast the run holding it, or the run's own next claim would take it again.
  if (env.config.REMINDERS_LEASE_SECONDS * 1000 <= workingMs) {
    problems.push(
      "REMINDERS_LEASE_SECONDS: longer than REMINDERS_WORKING_TIME_MS (a claim outlasts its run)",
    );
  }
  if (workingMs + timeout * 1000 > RUN_END_LIMIT_MS) {
    problems.push(
      `REMINDERS_WORKING_TIME_MS + REMINDERS_SEND_TIMEOUT_SECONDS: ${workingMs} ms + ${timeout} s is over ` +
        `${RUN_END_LIMIT_MS / 1000} s, the longest a run may take inside the edge runtime's 150 s wall clock`,
    );
  }
  return problems.length === 0 ? env : { ok: false, problems };
}

/** Messages claimed (and in flight) at a time, whose default depends on paid broadcasts. */
export function batchSize(config: RemindersConfig): number {
  return config.REMINDERS_BATCH_SIZE ?? (config.REMINDERS_PAID_BROADCAST ? 200 : 30);
}

/** How late a send may leave after its slot before it takes a new one (see the variable). */
export function lateSendToleranceMs(config: RemindersConfig): number {
  return config.REMINDERS_LATE_SEND_TOLERANCE_MS ?? (config.REMINDERS_PAID_BROADCAST ? 75 : 10);
}
