/**
 * The part of csv-parse/sync (npm:csv-parse@7.0.3) the import uses. The package's own types
 * reference Node's, which would change Web Crypto's types for every program `deno check` builds;
 * these describe the same function without them.
 */
export interface Context {
  /** Bytes of the input read up to the end of the record (its record delimiter included). */
  bytes: number;
}

export interface Options {
  bom?: boolean;
  /** Each record with its text; csv-parse's CsvError then has `raw`, the record read so far. */
  raw: true;
  relax_column_count?: boolean;
  skip_empty_lines?: boolean;
  record_delimiter?: string[];
  /** Returns the record to keep, or null to drop it. */
  on_record?: (
    record: { record: string[]; raw: string },
    context: Context,
  ) => { record: string[]; raw: string } | null;
}

/** The records kept; csv-parse's CsvError (with `code`) for a malformed file. */
export function parse(input: Uint8Array, options: Options): string[][];
