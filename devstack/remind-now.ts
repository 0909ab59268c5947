/**
 * Development only: see a reminder without waiting for the clock.
 *
 *   scripts/deno task remind-now [--habit ID | --chat TELEGRAM_CHAT_ID] [--db URL]
 *
 * Moves a habit's time to the current minute in its owner's time zone, with its schedule starting
 * today, marks it due and runs the reminder tick (private.run_reminder_tick, what pg_cron runs
 * every minute), so the reminder goes out within seconds. The habit keeps the new time. Without
 * --habit it takes the most recently created unpaused habit (of the chat's account with --chat).
 * The chat page's "Remind me now" button does the same for its person.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";

export interface RemindedHabit {
  id: string;
  action: string;
  time: string;
}

/** Makes the habit due now and runs the tick; null when there is no matching unpaused habit. */
export async function remindNow(
  sql: postgres.Sql,
  target: { habitId?: string; chatId?: number },
): Promise<RemindedHabit | null> {
  return await sql.begin(async (tx) => {
    const [habit] = await tx<{ id: string; action: string; timezone: string }[]>`
      select h.id, h.action, p.timezone
      from public.habits h join public.profiles p on p.id = h.owner_id
      where not h.is_paused
        and (${target.habitId ?? null}::uuid is null or h.id = ${target.habitId ?? null}::uuid)
        and (${target.chatId ?? null}::bigint is null or p.telegram_chat_id = ${
      target.chatId ?? null
    }::bigint)
      order by h.created_at desc
      limit 1
      for update of h`;
    if (!habit) return null;
    const [moved] = await tx<{ time: string }[]>`
      update public.habits
      set time = date_trunc('minute', now() at time zone ${habit.timezone})::time,
          starts_on = (now() at time zone ${habit.timezone})::date
      where id = ${habit.id}
      returning to_char(time, 'HH24:MI') as time`;
    // The schedule trigger put the next reminder a day ahead; this occurrence is due now.
    await tx`update public.habits set next_reminder_at = now() where id = ${habit.id}`;
    await tx`select private.run_reminder_tick()`;
    return { id: habit.id, action: habit.action, time: moved.time };
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      habit: { type: "string" },
      chat: { type: "string" },
      db: { type: "string", default: "postgresql://postgres@127.0.0.1:54322/postgres" },
    },
    strict: true,
  });
  const sql = postgres(values.db, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const habit = await remindNow(sql, {
      habitId: values.habit,
      chatId: values.chat === undefined ? undefined : Number(values.chat),
    });
    if (!habit) {
      console.error("remind-now: no unpaused habit found (create one in the web app first)");
      Deno.exit(1);
    }
    console.log(
      `remind-now: “${habit.action}” is due now (${habit.time}); its reminder goes out within seconds.`,
    );
  } catch (error) {
    console.error(`remind-now: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
