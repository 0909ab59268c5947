import { asCaller, type Caller } from "../_shared/caller.ts";
import type { Database } from "../_shared/db.ts";
import { ruleOf } from "../_shared/rule-error.ts";
import type { ImportPlan } from "./plan.ts";

/** A row the habit rules refuse: the whole import is undone. */
export class RuleRefusal extends Error {
  constructor(readonly file: string, readonly line: number, readonly rule: string) {
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
 * Writes a plan in one transaction as the caller (row level security, column privileges, every
 * trigger and constraint, the per-account habit cap): all of it, or nothing. Two columns the
 * caller may not write are then set on the rows just inserted, as the function's own role:
 * starts_on (so the imported history stays on the every-N-days grid) and a completion's source
 * and completed_at (so our own export round-trips exactly).
 */
export async function applyPlan(db: Database, caller: Caller, plan: ImportPlan) {
  return await asCaller(db, caller, async (tx) => {
    const ids = new Map<string, string>();
    // Habits that others link to first, so every link points to a habit that exists.
    const ordered = [...plan.habits].sort((a, b) =>
      Number(a.related_ref !== null) - Number(b.related_ref !== null)
    );
    for (const habit of ordered) {
      const related = habit.related_ref === null ? null : ids.get(habit.related_ref) ?? null;
      const [row] = await underRules(habit, () =>
        tx<{ id: string }[]>`
          insert into public.habits (action, place, time, interval_days, duration_seconds, is_pleasant,
            related_habit_id, reward, is_public, is_paused)
          values (${habit.action}, ${habit.place}, ${habit.time}::time, ${habit.interval_days},
            ${habit.duration_seconds}, ${habit.is_pleasant}, ${related}, ${habit.reward}, ${habit.is_public},
            ${habit.is_paused})
          returning id`);
      ids.set(habit.ref, row.id);
    }
    const refs = plan.habits.map((habit) => habit.ref);
    await tx`reset role`;
    await tx`
      update public.habits h set starts_on = v.starts_on::date
      from unnest(${refs.map((ref) => ids.get(ref)!)}::uuid[], ${
      plan.habits.map((habit) => habit.starts_on)
    }::text[])
        as v(id, starts_on)
      where h.id = v.id and h.owner_id = ${caller.sub}`;
    await tx`select set_config('role', 'authenticated', true)`;

    // Sent together (postgres.js pipelines them); the first refusal is the earliest row refused.
    await Promise.all(plan.completions.map((completion) => {
      const habitId = ids.get(completion.ref)!;
      return underRules(
        completion,
        () =>
          "at" in completion.occurrence
            ? tx`insert into public.habit_completions (habit_id, occurrence_at)
              values (${habitId}, ${completion.occurrence.at}::timestamptz)`
            : tx`insert into public.habit_completions (habit_id, occurrence_at)
              select h.id, (${completion.occurrence.day}::date + h.time) at time zone p.timezone
              from public.habits h join public.profiles p on p.id = h.owner_id where h.id = ${habitId}`,
      );
    }));
    const exact = plan.completions.filter((completion) => "at" in completion.occurrence && completion.source);
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
    return { habits: ids.size, completions: plan.completions.length };
  });
}
