/**
 * Development only: see a reminder without waiting for the clock.
 *
 *   scripts/deno task remind-now [--habit ID_OR_TEXT] [--chat TELEGRAM_CHAT_ID] [--db URL]
 *
 * Sends the habit's reminder once, now, through the same outbox and dispatcher as every reminder
 * (private.send_reminder_now). The habit is left as it is: its time and next reminder do not move.
 * --habit takes a habit's id or words of its action; --chat narrows the choice to that chat's
 * account. With one unpaused habit to choose from it is taken; with several, they are listed.
 * The chat page's "Remind me now" does the same for its person.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";

export interface HabitChoice {
  id: string;
  action: string;
  time: string;
}

export type RemindNowResult =
  | { outcome: "queued"; habit: HabitChoice }
  | { outcome: "none" }
  | { outcome: "ambiguous"; habits: HabitChoice[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The unpaused habits matching the choice (an id, or words of the action), newest first. */
export async function habitsToRemind(
  sql: postgres.Sql,
  target: { habit?: string; chatId?: number },
): Promise<HabitChoice[]> {
  const habit = target.habit?.trim() || null;
  const id = habit !== null && UUID.test(habit) ? habit : null;
  const words = habit !== null && id === null ? habit : null;
  return await sql<HabitChoice[]>`
    select h.id, h.action, to_char(h.time, 'HH24:MI') as time
    from public.habits h join public.profiles p on p.id = h.owner_id
    where not h.is_paused
      and (${id}::uuid is null or h.id = ${id}::uuid)
      and (${words}::text is null or strpos(lower(h.action), lower(${words}::text)) > 0)
      and (${target.chatId ?? null}::bigint is null or p.telegram_chat_id = ${target.chatId ?? null}::bigint)
    order by h.created_at desc
    limit 50`;
}

/** Queues one reminder of the chosen habit now; the habit itself does not change. */
export async function remindNow(
  sql: postgres.Sql,
  target: { habit?: string; chatId?: number },
): Promise<RemindNowResult> {
  const habits = await habitsToRemind(sql, target);
  if (habits.length === 0) return { outcome: "none" };
  const exact = habits.filter((h) => h.action.toLowerCase() === target.habit?.trim().toLowerCase());
  const chosen = habits.length === 1 ? habits[0] : exact.length === 1 ? exact[0] : undefined;
  if (!chosen) return { outcome: "ambiguous", habits };
  const [row] = await sql<
    { outcome: string }[]
  >`select outcome from private.send_reminder_now(${chosen.id}::uuid)`;
  if (row.outcome !== "queued" && row.outcome !== "already_queued") return { outcome: "none" };
  return { outcome: "queued", habit: chosen };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      habit: { type: "string" },
      chat: { type: "string" },
      db: { type: "string", default: "postgresql://postgres@127.0.0.1:54322/postgres" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      "Usage: scripts/deno task remind-now [--habit ID_OR_TEXT] [--chat TELEGRAM_CHAT_ID] [--db URL]",
    );
    Deno.exit(0);
  }
  const sql = postgres(values.db, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const result = await remindNow(sql, {
      habit: values.habit,
      chatId: values.chat === undefined ? undefined : Number(values.chat),
    });
    if (result.outcome === "none") {
      console.error("remind-now: no unpaused habit matches (create one in the web app first)");
      Deno.exit(1);
    }
    if (result.outcome === "ambiguous") {
      console.error("remind-now: which habit? Choose one with --habit ID or --habit TEXT:");
      for (const habit of result.habits) console.error(`  ${habit.id}  ${habit.time}  ${habit.action}`);
      Deno.exit(2);
    }
    console.log(
      `remind-now: “${result.habit.action}” is reminded now, once; it stays at ${result.habit.time}.`,
    );
  } catch (error) {
    console.error(`remind-now: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  } finally {
    await sql.end({ timeout: 1 });
  }
}
