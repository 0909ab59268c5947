import { CsvError, parseCsv } from "../_shared/csv.ts";

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

/** A file that cannot be imported as it is, naming the file and line. */
export class MalformedFile extends Error {
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file} line ${line}: ${problem}`);
  }
}

/** The rows of a CSV file as objects keyed by its header; `required` columns must be there. */
export function readTable(
  file: string,
  text: string,
  required: readonly string[],
  allowed?: readonly string[],
) {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) {
      throw new MalformedFile(file, error.line, error.message.replace(/^line \d+: /, ""));
    }
    throw error;
  }
  if (records.length === 0) throw new MalformedFile(file, 1, "the file is empty (a header row is expected)");
  const [header, ...rows] = records;
  // Loop ends every line with a comma: a last, empty column.
  const names = header.fields.at(-1) === "" ? header.fields.slice(0, -1) : header.fields;
  for (const name of required) {
    if (!names.includes(name)) throw new MalformedFile(file, header.line, `the column "${name}" is missing`);
  }
  if (allowed) {
    const unknown = names.find((name) => !allowed.includes(name));
    if (unknown !== undefined) throw new MalformedFile(file, header.line, `unknown column "${unknown}"`);
  }
  const parsed = rows.map((row) => {
    const fields = row.fields.length === names.length + 1 && row.fields.at(-1) === ""
      ? row.fields.slice(0, -1)
      : row.fields;
    if (fields.length !== names.length) {
      throw new MalformedFile(file, row.line, `${fields.length} fields, but the header has ${names.length}`);
    }
    return { line: row.line, values: Object.fromEntries(names.map((name, i) => [name, fields[i]])) };
  });
  return Object.assign(parsed, { header: { line: header.line, names } });
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function wholeNumber(file: string, line: number, column: string, value: string): number {
  if (!/^-?\d{1,6}$/.test(value)) {
    throw new MalformedFile(file, line, `${column} is not a whole number: "${value}"`);
  }
  return Number(value);
}
