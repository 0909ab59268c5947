import {
  type Importer,
  LOOP_DEFAULTS,
  loopAction,
  loopReport,
  offGridLine,
  questionUsed,
} from "./loop-words.ts";
import {
  checkDay,
  IMPORT_LIMITS,
  type ImportPlan,
  isCalendarDay,
  MalformedFile,
  type PlannedCompletion,
  type PlannedHabit,
  readTable,
  TooManyRows,
  type Words,
  words,
} from "./plan.ts";

const HABITS = "Habits.csv";
const CHECKMARKS = "Checkmarks.csv";
/** Loop's columns with no equivalent here: reported when they carry a value. */
const UNMAPPED = [
  "Question",
  "Description",
  "Color",
  "Unit",
  "Target Type",
  "Target Value",
  "Position",
];
const KNOWN = [
  "Name",
  "Type",
  "NumRepetitions",
  "Interval",
  "Archived?",
  ...UNMAPPED,
];
const NOT_DONE = new Set([
  "",
  "1",
  "0",
  "-1",
  "3",
  "YES_AUTO",
  "NO",
  "UNKNOWN",
  "SKIP",
]);

/** Loop's checkmark values: done when the person checked it (2, YES_MANUAL) or, numerical, above 0. */
function isDone(value: string, numerical: boolean, line: number): boolean {
  const v = value.trim();
  if (numerical) {
    if (v === "") return false;
    const amount = Number(v);
    if (Number.isNaN(amount)) {
      throw new MalformedFile(
        CHECKMARKS,
        line,
        words(`"${value}" is not a number`, `"${value}" — не число`),
      );
    }
    return amount > 0;
  }
  if (v === "2" || v === "YES_MANUAL") return true;
  if (NOT_DONE.has(v)) return false;
  throw new MalformedFile(
    CHECKMARKS,
    line,
    words(
      `"${value}" is not one of Loop's checkmark values`,
      `"${value}" — не отметка Loop`,
    ),
  );
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/**
 * Loop Habit Tracker's CSV export (Habits.csv and the all-habits Checkmarks.csv of its zip) as an
 * import plan, with a report line for every field that does not map and what was done instead.
 */
export function planLoop(
  habitsCsv: string,
  checkmarksCsv: string,
  today: string,
  importer: Importer = { language: "en", timeFormat: "locale" },
): ImportPlan {
  const report: Words[] = [];
  const loopHabits = readTable(HABITS, habitsCsv, {
    required: ["Name", "NumRepetitions", "Interval"],
    allowed: KNOWN,
    maxRows: IMPORT_LIMITS.habitRows,
  });
  const names = new Set<string>();
  const numerical = new Set<string>();
  const habits = loopHabits.map((row) => loopHabit(row, { names, numerical, report, today, importer }));
  const done = readCheckmarks(checkmarksCsv, names, numerical, today);
  const completions = gridCompletions(habits, done, today, report);
  if (completions.length > IMPORT_LIMITS.completions) {
    throw new TooManyRows(CHECKMARKS, IMPORT_LIMITS.completions, "completions");
  }
  return { habits, completions, report: report.map((line) => line[importer.language]) };
}

/** What reading Habits.csv gathers across its rows. */
interface HabitsSeen {
  names: Set<string>;
  numerical: Set<string>;
  report: Words[];
  today: string;
  importer: Importer;
}

/** One row of Habits.csv as a planned habit, with a report line for what does not map. */
function loopHabit(
  { line, values: v }: { line: number; values: Record<string, string> },
  { names, numerical, report, today, importer }: HabitsSeen,
): PlannedHabit {
  const say = loopReport(HABITS, line, v.Name);
  if (names.has(v.Name)) {
    throw new MalformedFile(
      HABITS,
      line,
      words(
        `the habit "${v.Name}" appears twice`,
        `привычка "${v.Name}" встречается дважды`,
      ),
    );
  }
  names.add(v.Name);
  const times = Number(v.NumRepetitions);
  const days = Number(v.Interval);
  if (
    !Number.isInteger(times) || times < 1 || !Number.isInteger(days) || days < 1
  ) {
    throw new MalformedFile(
      HABITS,
      line,
      words(
        `the frequency ${v.NumRepetitions}/${v.Interval} is not whole numbers`,
        `частота ${v.NumRepetitions}/${v.Interval} — не целые числа`,
      ),
    );
  }
  let interval = days;
  if (times !== 1 || days > 7) {
    interval = Math.min(7, Math.max(1, Math.round(days / times)));
    report.push(say.frequency(times, days, interval));
  }
  if (v.Type === "1") {
    numerical.add(v.Name);
    report.push(say.numerical());
  } else if (v.Type !== undefined && v.Type !== "0") {
    throw new MalformedFile(
      HABITS,
      line,
      words(
        `Type must be 0 (yes/no) or 1 (numerical), not "${v.Type}"`,
        `Type — 0 (да/нет) или 1 (число), а не "${v.Type}"`,
      ),
    );
  }
  const archived = (v["Archived?"] ?? "").toLowerCase() === "true";
  if (archived) report.push(say.archived());
  const unmapped = UNMAPPED.filter((column) =>
    (v[column] ?? "") !== "" && column !== "Position" && !(column === "Question" && questionUsed(v.Question))
  );
  if (unmapped.length > 0) {
    report.push(say.unmapped(unmapped.map((column) => `${column} "${v[column]}"`).join(", ")));
  }
  const action = loopAction(v.Name, v.Question);
  if (action !== v.Name) report.push(say.renamed(action));
  const { time, place, duration_seconds } = LOOP_DEFAULTS;
  report.push(say.defaults({ time, place, seconds: duration_seconds }, importer.timeFormat));
  return {
    ref: v.Name,
    file: HABITS,
    line,
    action,
    place: place[importer.language],
    time,
    interval_days: interval,
    duration_seconds,
    is_pleasant: false,
    related_ref: null,
    reward: null,
    is_public: false,
    is_paused: archived,
    starts_on: today,
    created_at: null,
  };
}

/** Checkmarks.csv as each habit's days done (with their lines), read in one pass. */
function readCheckmarks(
  checkmarksCsv: string,
  names: Set<string>,
  numerical: Set<string>,
  today: string,
) {
  const rows = readTable(CHECKMARKS, checkmarksCsv, {
    required: ["Date"],
    maxRows: IMPORT_LIMITS.checkmarkRows,
  });
  const stranger = rows.header.names.find((name) => name !== "Date" && !names.has(name));
  if (stranger !== undefined) {
    throw new MalformedFile(
      CHECKMARKS,
      rows.header.line,
      words(
        `the column "${stranger}" is not a habit of Habits.csv`,
        `столбец "${stranger}" — не привычка из Habits.csv`,
      ),
    );
  }
  // Appended to in place: one pass over the rows, whatever their number.
  const done = new Map<string, { day: string; line: number }[]>(
    [...names].map((name) => [name, []]),
  );
  for (const { line, values } of rows) {
    // Days after today are left out below; an impossible day or one before 2000 refuses the file.
    const problem = isCalendarDay(values.Date) && values.Date > today
      ? null
      : checkDay("Date", values.Date, today);
    if (problem) throw new MalformedFile(CHECKMARKS, line, problem);
    for (const [name, value] of Object.entries(values)) {
      if (name === "Date") continue;
      if (isDone(value, numerical.has(name), line)) {
        done.get(name)!.push({ day: values.Date, line });
      }
    }
  }
  return done;
}

/** The days done that fall on each habit's every-N-days grid, which starts on its first day done. */
function gridCompletions(
  habits: PlannedHabit[],
  done: Map<string, { day: string; line: number }[]>,
  today: string,
  report: Words[],
): PlannedCompletion[] {
  const completions: PlannedCompletion[] = [];
  for (const habit of habits) {
    const days = done
      .get(habit.ref)!
      .filter((entry) => entry.day <= today)
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    if (days.length === 0) continue;
    // The grid starts on the first day done, so that day and every N days after are occurrences.
    habit.starts_on = days[0].day;
    for (const entry of days) {
      if (daysBetween(habit.starts_on, entry.day) % habit.interval_days !== 0) {
        report.push(offGridLine(CHECKMARKS, entry.line, {
          name: habit.ref,
          day: entry.day,
          interval: habit.interval_days,
          startsOn: habit.starts_on,
        }));
        continue;
      }
      completions.push({
        ref: habit.ref,
        file: CHECKMARKS,
        line: entry.line,
        occurrence: { day: entry.day },
        completed_at: null,
        source: null,
      });
    }
  }
  return completions;
}
