import { asCaller, type Caller } from "../_shared/caller.ts";
import type { Database } from "../_shared/db.ts";
import { ruleOf } from "../_shared/rule-error.ts";
import { type ImportPlan, type PlannedCompletion, type Words, words } from "./plan.ts";

/** A row the habit rules refuse: the whole import is undone. */
export class RuleRefusal extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly rule: string,
  ) {
    super(`${file} line ${line}: ${rule}`);
  }
}

async function underRules<T>(where: { file: string; line: number }, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const rule = ruleOf(error);
    throw rule ? new RuleRefusal(where.file, where.line, rule) : error;
  }
}

/**
 * Each habit's starts_on and created_at, in one statement. created_at is where the streak starts
 * counting misses (private.streak_marks), so it moves back to where the imported history begins:
 * our export's created_at, or for Loop the first occurrence on a starts_on before today (a habit
 * with no history keeps the import's instant). It never moves forward.
 */
function setStartsOn(tx: Database, caller: Caller, ids: Map<string, string>, habits: ImportPlan["habits"]) {
  return tx`
    update public.habits h set starts_on = v.starts_on::date,
      created_at = least(h.created_at, coalesce(v.created_at::timestamptz,
        case when v.starts_on::date < (h.created_at at time zone p.timezone)::date
          then (v.starts_on::date + h.time) at time zone p.timezone end))
    from unnest(${habits.map((habit) => ids.get(habit.ref)!)}::uuid[],
      ${habits.map((habit) => habit.starts_on)}::text[], ${habits.map((habit) => habit.created_at)}::text[])
      as v(id, starts_on, created_at), public.profiles p
    where h.id = v.id and h.owner_id = ${caller.sub} and p.id = h.owner_id`;
}

/**
 * The positions of the completions that are not occurrences of their habit as it now is
 * (private.habit_occurs_at, the rule the web's completions meet): our export keeps completions
 * made before a habit's time or interval, or the person's time zone, changed.
 */
async function offSchedule(tx: Database, ids: Map<string, string>, completions: PlannedCompletion[]) {
  if (completions.length === 0) return new Set<number>();
  const rows = await tx<{ n: number }[]>`
    select r.n::int as n from (${completionRows(tx, ids, completions)}) r
    where not private.habit_occurs_at(r.time, r.interval_days, r.starts_on, r.timezone, r.occurrence_at)`;
  return new Set(rows.map((row) => row.n - 1));
}

/** The completions as rows: position `n` (from 1), the habit and its schedule, the occurrence's instant. */
function completionRows(tx: Database, ids: Map<string, string>, completions: PlannedCompletion[]) {
  return tx`
    select v.n, v.habit_id, coalesce(v.at, (v.day + h.time) at time zone p.timezone) as occurrence_at,
      h.time, h.interval_days, h.starts_on, p.timezone
    from unnest(${completions.map((c) => ids.get(c.ref)!)}::uuid[],
      ${completions.map((c) => ("at" in c.occurrence ? c.occurrence.at : null))}::timestamptz[],
      ${completions.map((c) => ("day" in c.occurrence ? c.occurrence.day : null))}::date[]) with ordinality
      as v(habit_id, at, day, n)
    join public.habits h on h.id = v.habit_id
    join public.profiles p on p.id = h.owner_id`;
}

/** The report's line for a completion left out because it is no longer an occurrence. */
export function leftOutLine(completion: PlannedCompletion): Words {
  const at = "at" in completion.occurrence ? completion.occurrence.at : completion.occurrence.day;
  return words(
    `${at} is no longer an occurrence of this habit (its time, interval or your time zone changed); not imported`,
    `${at} — уже не повторение этой привычки (изменились её время, интервал или ваш часовой пояс); не импортировано`,
  );
}

/** All completions in one statement: the database's work grows with their number, nothing else. */
function insertCompletions(tx: Database, ids: Map<string, string>, completions: PlannedCompletion[]) {
  return tx`
    insert into public.habit_completions (habit_id, occurrence_at)
    select r.habit_id, r.occurrence_at from (${completionRows(tx, ids, completions)}) r
    order by r.n`;
}

/** The earliest completion the rules refuse, row by row (only after the one statement failed). */
async function findRefusedCompletion(
  tx: Database,
  ids: Map<string, string>,
  completions: PlannedCompletion[],
) {
  // Sent together (postgres.js pipelines them); the first refusal is the earliest row refused.
  await Promise.all(
    completions.map((completion) => underRules(completion, () => insertCompletions(tx, ids, [completion]))),
  );
}

/**
 * Writes a plan in one transaction as the caller (row level security, column privileges, every
 * trigger and constraint, the per-account habit cap): all of it, or nothing. Columns the caller
 * may not write are then set on the rows just inserted, as the function's own role: a habit's
 * starts_on and created_at (so the imported history stays on the every-N-days grid and its
 * misses count in the streak) and a completion's source and completed_at (so our own export
 * round-trips exactly). A completion that is no longer an occurrence of its habit is left out
 * and returned, for the report. The plan's dates are already within the database's bounds, which stay
 * the authority.
 */
export async function applyPlan(db: Database, caller: Caller, plan: ImportPlan) {
  return await asCaller(db, caller, async (tx) => {
    const ids = new Map<string, string>();
    // Habits that others link to first, so every link points to a habit that exists.
    const ordered = [...plan.habits].sort(
      (a, b) => Number(a.related_ref !== null) - Number(b.related_ref !== null),
    );
    for (const habit of ordered) {
      const related = habit.related_ref === null ? null : (ids.get(habit.related_ref) ?? null);
      const [row] = await underRules(
        habit,
        () =>
          tx<{ id: string }[]>`
          insert into public.habits (action, place, time, interval_days, duration_seconds, is_pleasant,
            related_habit_id, reward, is_public, is_paused)
          values (${habit.action}, ${habit.place}, ${habit.time}::time, ${habit.interval_days},
            ${habit.duration_seconds}, ${habit.is_pleasant}, ${related}, ${habit.reward}, ${habit.is_public},
            ${habit.is_paused})
          returning id`,
      );
      ids.set(habit.ref, row.id);
    }
    await tx`reset role`;
    await tx`savepoint starts`;
    try {
      await setStartsOn(tx, caller, ids, plan.habits);
    } catch (error) {
      if (!ruleOf(error)) throw error;
      // Which habit: one by one, only once the one statement was refused.
      await tx`rollback to savepoint starts`;
      for (const habit of plan.habits) {
        await underRules(habit, () => setStartsOn(tx, caller, ids, [habit]));
      }
      throw error;
    }
    const left = await offSchedule(tx, ids, plan.completions);
    const completions = plan.completions.filter((_, i) => !left.has(i));
    const leftOut = plan.completions.filter((_, i) => left.has(i));
    await tx`select set_config('role', 'authenticated', true)`;

    if (completions.length > 0) {
      await tx`savepoint completions`;
      try {
        await insertCompletions(tx, ids, completions);
      } catch (error) {
        if (!ruleOf(error)) throw error;
        await tx`rollback to savepoint completions`;
        await findRefusedCompletion(tx, ids, completions);
        throw error;
      }
    }
    const exact = completions.filter((completion) => "at" in completion.occurrence && completion.source);
    if (exact.length > 0) {
      await tx`reset role`;
      await tx`
        update public.habit_completions c set source = v.source, completed_at = v.completed_at::timestamptz
        from unnest(${exact.map((c) => ids.get(c.ref)!)}::uuid[],
          ${exact.map((c) => (c.occurrence as { at: string }).at)}::text[],
          ${exact.map((c) => c.source!)}::text[], ${exact.map((c) => c.completed_at!)}::text[])
          as v(habit_id, occurrence_at, source, completed_at)
        where c.habit_id = v.habit_id and c.occurrence_at = v.occurrence_at::timestamptz
          and c.owner_id = ${caller.sub}`;
    }
    return {
      imported: { habits: ids.size, completions: completions.length },
      leftOut,
    };
  });
}
