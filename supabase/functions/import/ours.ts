import { restoreFormulaCell } from "../_shared/formula-cells.ts";
import { EXPORT_COLUMNS } from "../_shared/data-format.ts";
import {
  addDays,
  checkDay,
  checkInstant,
  IMPORT_LIMITS,
  type ImportPlan,
  isClockTime,
  MalformedFile,
  type PlannedCompletion,
  type PlannedHabit,
  readTable,
  UUID,
  wholeNumber,
  words,
} from "./plan.ts";

const HABITS = "habits.csv";
const COMPLETIONS = "completions.csv";

function flag(file: string, line: number, column: string, value: string): boolean {
  if (value === "true" || value === "false") return value === "true";
  throw new MalformedFile(
    file,
    line,
    words(`${column} must be true or false, not "${value}"`, `${column} — true или false, а не "${value}"`),
  );
}

function check(file: string, line: number, problem: ReturnType<typeof checkDay>): void {
  if (problem) throw new MalformedFile(file, line, problem);
}

/**
 * Our own export (habits.csv and completions.csv) as an import plan: everything maps. `today` is
 * the person's local date; `now` the database's clock (ms).
 */
export function planOurs(habitsCsv: string, completionsCsv: string, today: string, now: number): ImportPlan {
  const ids = new Set<string>();
  const habitRows = readTable(HABITS, habitsCsv, {
    required: EXPORT_COLUMNS.habits,
    allowed: EXPORT_COLUMNS.habits,
    maxRows: IMPORT_LIMITS.habitRows,
  });
  const habits = habitRows.map((row) => ourHabit(row, ids, today, now));
  checkRelatedRefs(habits, ids);
  const completionRows = readTable(COMPLETIONS, completionsCsv, {
    required: EXPORT_COLUMNS.completions,
    allowed: EXPORT_COLUMNS.completions,
    maxRows: IMPORT_LIMITS.completions,
  });
  const completions = completionRows.map((row) => ourCompletion(row, ids, now));
  return { habits, completions, report: [] };
}

type Row = { line: number; values: Record<string, string> };

/** One row of habits.csv as a planned habit; `ids` gathers the ids seen so far. */
function ourHabit({ line, values: v }: Row, ids: Set<string>, today: string, now: number): PlannedHabit {
  if (!UUID.test(v.id)) {
    throw new MalformedFile(
      HABITS,
      line,
      words(`id is not a habit id: "${v.id}"`, `id — не id привычки: "${v.id}"`),
    );
  }
  if (ids.has(v.id)) {
    throw new MalformedFile(
      HABITS,
      line,
      words(`the id ${v.id} appears twice`, `id ${v.id} встречается дважды`),
    );
  }
  ids.add(v.id);
  if (!isClockTime(v.time)) {
    throw new MalformedFile(
      HABITS,
      line,
      words(`time is not HH:MM: "${v.time}"`, `time — не ЧЧ:ММ: "${v.time}"`),
    );
  }
  check(HABITS, line, checkDay("starts_on", v.starts_on, addDays(today, 365)));
  check(HABITS, line, checkInstant("created_at", v.created_at, now));
  if (v.related_habit_id !== "" && !UUID.test(v.related_habit_id)) {
    throw new MalformedFile(
      HABITS,
      line,
      words(
        `related_habit_id is not a habit id: "${v.related_habit_id}"`,
        `related_habit_id — не id привычки: "${v.related_habit_id}"`,
      ),
    );
  }
  return {
    ref: v.id,
    file: HABITS,
    line,
    action: restoreFormulaCell(v.action),
    place: restoreFormulaCell(v.place),
    time: v.time,
    interval_days: wholeNumber(HABITS, line, "interval_days", v.interval_days),
    duration_seconds: wholeNumber(HABITS, line, "duration_seconds", v.duration_seconds),
    is_pleasant: flag(HABITS, line, "is_pleasant", v.is_pleasant),
    related_ref: v.related_habit_id || null,
    reward: v.reward === "" ? null : restoreFormulaCell(v.reward),
    is_public: flag(HABITS, line, "is_public", v.is_public),
    is_paused: flag(HABITS, line, "is_paused", v.is_paused),
    starts_on: v.starts_on,
    created_at: v.created_at,
  };
}

/** Every related_habit_id names a habit of the same file. */
function checkRelatedRefs(habits: PlannedHabit[], ids: Set<string>): void {
  for (const habit of habits) {
    if (habit.related_ref !== null && !ids.has(habit.related_ref)) {
      throw new MalformedFile(
        HABITS,
        habit.line,
        words(
          `related_habit_id ${habit.related_ref} is not a habit of this file`,
          `related_habit_id ${habit.related_ref} — не привычка из этого файла`,
        ),
      );
    }
  }
}

/** One row of completions.csv as a planned completion of a habit of habits.csv. */
function ourCompletion({ line, values: v }: Row, ids: Set<string>, now: number): PlannedCompletion {
  if (!ids.has(v.habit_id)) {
    throw new MalformedFile(
      COMPLETIONS,
      line,
      words(`habit_id ${v.habit_id} is not in habits.csv`, `habit_id ${v.habit_id} нет в habits.csv`),
    );
  }
  // Today's occurrence may be marked done early: up to two days after it was recorded.
  check(COMPLETIONS, line, checkInstant("completed_at", v.completed_at, now));
  check(
    COMPLETIONS,
    line,
    checkInstant(
      "occurrence_at",
      v.occurrence_at,
      Date.parse(v.completed_at) + 2 * 86_400_000,
      words("two days after completed_at", "двумя днями после completed_at"),
    ),
  );
  if (v.source !== "web" && v.source !== "telegram") {
    throw new MalformedFile(
      COMPLETIONS,
      line,
      words(
        `source must be web or telegram, not "${v.source}"`,
        `source — web или telegram, а не "${v.source}"`,
      ),
    );
  }
  return {
    ref: v.habit_id,
    file: COMPLETIONS,
    line,
    occurrence: { at: v.occurrence_at },
    completed_at: v.completed_at,
    source: v.source,
  };
}
