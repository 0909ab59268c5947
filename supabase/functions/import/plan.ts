import { CsvError, parseCsv } from "../_shared/csv-read.ts";
import type { Language } from "../_shared/language.ts";

/** A habit to create, as the habits table names its fields, and where it came from. */
export interface PlannedHabit {
  /** The file's own name for it (our export's id, or Loop's habit name). */
  ref: string;
  file: string;
  line: number;
  action: string;
  place: string;
  time: string;
  interval_days: number;
  duration_seconds: number;
  is_pleasant: boolean;
  related_ref: string | null;
  reward: string | null;
  is_public: boolean;
  is_paused: boolean;
  /** The first date of its every-N-days grid (so past completions stay on it). */
  starts_on: string;
  /**
   * Where its history begins, which the streak counts misses from: our export's created_at; null
   * for Loop (its first occurrence on starts_on, when that is before today; else the import).
   */
  created_at: string | null;
}

/** A completion to record: the habit's occurrence on a local date, or at an exact instant. */
export interface PlannedCompletion {
  ref: string;
  file: string;
  line: number;
  /** An ISO instant (our export) or a local date "YYYY-MM-DD" at the habit's time (Loop). */
  occurrence: { at: string } | { day: string };
  completed_at: string | null;
  source: "web" | "telegram" | null;
}

export interface ImportPlan {
  habits: PlannedHabit[];
  completions: PlannedCompletion[];
  /** What did not map, line by line, and what was done instead. */
  report: string[];
}

/** A sentence in each language the service speaks. */
export type Words = Record<Language, string>;
export const words = (en: string, ru: string): Words => ({ en, ru });

/** "habits.csv line 4: …" in the person's language. */
export function atLine(file: string, line: number, problem: string, language: Language): string {
  return language === "ru" ? `${file}, строка ${line}: ${problem}` : `${file} line ${line}: ${problem}`;
}

/** A file that cannot be imported as it is, naming the file and line. */
export class MalformedFile extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: Words,
  ) {
    super(atLine(file, line, problem.en, "en"));
  }
}

/** A file with more rows than an import takes (README "Dates, import limits and formula cells"). */
export class TooManyRows extends Error {
  constructor(
    readonly file: string,
    readonly limit: number,
    readonly counted: "rows" | "completions" = "rows",
  ) {
    super(`${file} has more than ${limit} ${counted}`);
  }
}

/**
 * Each import's limits: the request body, the rows of each file, and the completions one import
 * records (completions.csv's rows, or Loop's checked days), so that the largest import takes
 * seconds (bench/import.ts) and 20,000 completions stay one request's worth.
 */
export const IMPORT_LIMITS = {
  bytes: 2 * 1024 * 1024,
  habitRows: 200,
  completions: 20_000,
  checkmarkRows: 10_000,
} as const;

const CSV_PROBLEMS: Record<string, Words> = {
  "a quoted field is never closed": words("a quoted field is never closed", "кавычки поля не закрыты"),
  "text after a closing quote": words("text after a closing quote", "текст после закрывающей кавычки"),
  "a quote inside an unquoted field": words(
    "a quote inside an unquoted field",
    "кавычка внутри поля без кавычек",
  ),
};

/** The rows of a CSV file as objects keyed by its header; `required` columns must be there. */
export function readTable(
  file: string,
  text: string,
  limits: {
    required: readonly string[];
    allowed?: readonly string[];
    maxRows: number;
  },
) {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) {
      throw new MalformedFile(
        file,
        error.line,
        CSV_PROBLEMS[error.problem] ?? words(error.problem, error.problem),
      );
    }
    throw error;
  }
  if (records.length === 0) {
    throw new MalformedFile(
      file,
      1,
      words("the file is empty (a header row is expected)", "файл пуст (нужна строка заголовков)"),
    );
  }
  if (records.length - 1 > limits.maxRows) {
    throw new TooManyRows(file, limits.maxRows);
  }
  const [header, ...rows] = records;
  // Loop ends every line with a comma: a last, empty column.
  const names = header.fields.at(-1) === "" ? header.fields.slice(0, -1) : header.fields;
  for (const name of limits.required) {
    if (!names.includes(name)) {
      throw new MalformedFile(
        file,
        header.line,
        words(`the column "${name}" is missing`, `нет столбца "${name}"`),
      );
    }
  }
  if (limits.allowed) {
    const unknown = names.find((name) => !limits.allowed!.includes(name));
    if (unknown !== undefined) {
      throw new MalformedFile(
        file,
        header.line,
        words(`unknown column "${unknown}"`, `неизвестный столбец "${unknown}"`),
      );
    }
  }
  const parsed = rows.map((row) => {
    const fields = row.fields.length === names.length + 1 && row.fields.at(-1) === ""
      ? row.fields.slice(0, -1)
      : row.fields;
    if (fields.length !== names.length) {
      throw new MalformedFile(
        file,
        row.line,
        words(
          `${fields.length} fields, but the header has ${names.length}`,
          `полей: ${fields.length}, а в заголовке: ${names.length}`,
        ),
      );
    }
    return {
      line: row.line,
      values: Object.fromEntries(names.map((name, i) => [name, fields[i]])),
    };
  });
  return Object.assign(parsed, { header: { line: header.line, names } });
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The first day a habit may start or a completion may be for (habits_starts_on_range). */
export const FIRST_DAY = "2000-01-01";
/** The first instant of FIRST_DAY anywhere on Earth (habit_completions_occurrence_at_range). */
const FIRST_INSTANT = Date.parse("2000-01-01T00:00:00+14:00");
const DAY_MS = 86_400_000;

/** Whether `value` is a real calendar date written YYYY-MM-DD (not 2026-02-30, not 0000-01-01). */
export function isCalendarDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** `day` plus `days` days, as YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A day from FIRST_DAY to `latest`, or the problem with it. */
export function checkDay(column: string, value: string, latest: string): Words | null {
  if (!isCalendarDay(value)) {
    return words(
      `${column} is not a date (YYYY-MM-DD): "${value}"`,
      `${column} — не дата (ГГГГ-ММ-ДД): "${value}"`,
    );
  }
  if (value < FIRST_DAY || value > latest) {
    return words(
      `${column} ${value} is not between ${FIRST_DAY} and ${latest}`,
      `${column} ${value} — не между ${FIRST_DAY} и ${latest}`,
    );
  }
  return null;
}

const INSTANT =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;

/** An instant as our export writes it (ISO 8601 with offset), from 2000 on and not after `latest` ms. */
export function checkInstant(
  column: string,
  value: string,
  latest: number,
  latestName: Words = words("now", "текущим моментом"),
): Words | null {
  const m = INSTANT.exec(value);
  if (!m || !isCalendarDay(m[1]) || Number.isNaN(Date.parse(value))) {
    return words(
      `${column} is not a date and time (ISO 8601 with offset): "${value}"`,
      `${column} — не дата и время (ISO 8601 со смещением): "${value}"`,
    );
  }
  const at = Date.parse(value);
  if (at < FIRST_INSTANT || at > latest) {
    return words(
      `${column} ${value} is not between 2000-01-01 and ${latestName.en}`,
      `${column} ${value} — не между 2000-01-01 и ${latestName.ru}`,
    );
  }
  return null;
}

/** A wall-clock time HH:MM or HH:MM:SS. */
export function isClockTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(value);
}

export function wholeNumber(file: string, line: number, column: string, value: string): number {
  if (!/^-?\d{1,6}$/.test(value)) {
    throw new MalformedFile(
      file,
      line,
      words(`${column} is not a whole number: "${value}"`, `${column} — не целое число: "${value}"`),
    );
  }
  return Number(value);
}
