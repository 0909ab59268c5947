import type postgres from "postgres";

/**
 * Lifts the gap between one chat's messages (`telegram_chat_interval_ms` in private.settings, 1.1 s)
 * for a test whose subject is what the bot says, not its pacing: every reply would otherwise wait
 * out the real gap (the habits chat test took 85 s with it, 4 s without). Pacing has tests of its
 * own (telegram_chat_limit_test.ts, telegram_bot_budget_test.ts), which run with the real gap.
 * Returns the step that puts the setting back, for the test's `finally`.
 */
export async function liftChatGap(sql: postgres.Sql): Promise<() => Promise<void>> {
  const [{ value }] = await sql`
    select value from private.settings where name = 'telegram_chat_interval_ms'`;
  await sql`update private.settings set value = 0 where name = 'telegram_chat_interval_ms'`;
  return async () => {
    await sql`update private.settings set value = ${value} where name = 'telegram_chat_interval_ms'`;
  };
}
