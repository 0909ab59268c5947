/** CSV export with csv-stringify: RFC 4180 quoting, "\n" between records, no formulas. */
// @ts-types="./csv-stringify-sync.d.ts"
import { stringify } from "csv-stringify/sync";
// Also imported plainly, so that a deploy (which follows imports only) carries the types.
import type {} from "./csv-stringify-sync.d.ts";
import { NEUTRALISED_CELL, neutraliseFormulaCell } from "./formula-cells.ts";

/**
 * Header and rows as CSV: text that a spreadsheet would run as a formula neutralised and quoted,
 * other fields quoted only when they must be (a comma, quote or line break), empty for null.
 */
export function stringifyCsv(
  header: readonly string[],
  rows: (string | number | boolean | null)[][],
): string {
  return stringify([header, ...rows], {
    record_delimiter: "\n",
    quoted_match: [NEUTRALISED_CELL, /\r/],
    cast: { boolean: (value) => String(value), string: neutraliseFormulaCell },
  });
}
