import { EXPORT_COLUMNS } from "../_shared/data-format.ts";
import {
  DAY,
  type ImportPlan,
  MalformedFile,
  type PlannedCompletion,
  type PlannedHabit,
  readTable,
  UUID,
  wholeNumber,
} from "./plan.ts";

const HABITS = "habits.csv";
const COMPLETIONS = "completions.csv";

function flag(file: string, line: number, column: string, value: string): boolean {
  if (value === "true" || value === "false") return value === "true";
  throw new MalformedFile(file, line, `${column} must be true or false, not "${value}"`);
}

/** Our own export (habits.csv and completions.csv) as an import plan: everything maps. */
export function planOurs(habitsCsv: string, completionsCsv: string): ImportPlan {
  const ids = new Set<string>();
  const habits: PlannedHabit[] = readTable(HABITS, habitsCsv, EXPORT_COLUMNS.habits, EXPORT_COLUMNS.habits)
    .map(
      ({ line, values: v }) => {
        if (!UUID.test(v.id)) throw new MalformedFile(HABITS, line, `id is not a habit id: "${v.id}"`);
        if (ids.has(v.id)) throw new MalformedFile(HABITS, line, `the id ${v.id} appears twice`);
        ids.add(v.id);
        if (!/^\d{2}:\d{2}(:\d{2})?$/.test(v.time)) {
          throw new MalformedFile(HABITS, line, `time is not HH:MM: "${v.time}"`);
        }
        if (!DAY.test(v.starts_on)) {
          throw new MalformedFile(HABITS, line, `starts_on is not a date: "${v.starts_on}"`);
        }
        if (v.related_habit_id !== "" && !UUID.test(v.related_habit_id)) {
          throw new MalformedFile(
            HABITS,
            line,
            `related_habit_id is not a habit id: "${v.related_habit_id}"`,
          );
        }
        return {
          ref: v.id,
          file: HABITS,
          line,
          action: v.action,
          place: v.place,
          time: v.time,
          interval_days: wholeNumber(HABITS, line, "interval_days", v.interval_days),
          duration_seconds: wholeNumber(HABITS, line, "duration_seconds", v.duration_seconds),
          is_pleasant: flag(HABITS, line, "is_pleasant", v.is_pleasant),
          related_ref: v.related_habit_id || null,
          reward: v.reward === "" ? null : v.reward,
          is_public: flag(HABITS, line, "is_public", v.is_public),
          is_paused: flag(HABITS, line, "is_paused", v.is_paused),
          starts_on: v.starts_on,
        };
      },
    );
  for (const habit of habits) {
    if (habit.related_ref !== null && !ids.has(habit.related_ref)) {
      throw new MalformedFile(
        HABITS,
        habit.line,
        `related_habit_id ${habit.related_ref} is not a habit of this file`,
      );
    }
  }
  const completions: PlannedCompletion[] = readTable(
    COMPLETIONS,
    completionsCsv,
    EXPORT_COLUMNS.completions,
    EXPORT_COLUMNS.completions,
  ).map(({ line, values: v }) => {
    if (!ids.has(v.habit_id)) {
      throw new MalformedFile(COMPLETIONS, line, `habit_id ${v.habit_id} is not in habits.csv`);
    }
    for (const column of ["occurrence_at", "completed_at"] as const) {
      if (Number.isNaN(Date.parse(v[column])) || !/^\d{4}-\d{2}-\d{2}T/.test(v[column])) {
        throw new MalformedFile(COMPLETIONS, line, `${column} is not a date and time: "${v[column]}"`);
      }
    }
    if (v.source !== "web" && v.source !== "telegram") {
      throw new MalformedFile(COMPLETIONS, line, `source must be web or telegram, not "${v.source}"`);
    }
    return {
      ref: v.habit_id,
      file: COMPLETIONS,
      line,
      occurrence: { at: v.occurrence_at },
      completed_at: v.completed_at,
      source: v.source,
    };
  });
  return { habits, completions, report: [] };
}
