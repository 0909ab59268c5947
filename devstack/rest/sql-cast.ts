/**
 * The SQL of a cast's target type (`select=col::type`, `count()::type`, `col.sum()::type`).
 *
 * PostgREST's grammar (QueryParams.hs, pIdentifier) takes letters, ASCII digits, `_`, `$` and
 * spaces, and SqlFragment.hs (pgFmtApplyCast) writes the text unquoted into `CAST(x AS type)`.
 * Here the request's text never reaches SQL: the SQL standard's multi-word and keyword type names
 * (`double precision`, `int`, `timestamp with time zone`, ...) map to constants of this module,
 * and every other name is folded to lower case as Postgres folds an unquoted identifier and sent
 * as a quoted identifier. Anything else with spaces is therefore one quoted (unknown) type name,
 * which Postgres refuses with 42704 "type ... does not exist", never with a syntax error.
 */
import { ApiError } from "./errors.ts";
import { quoteIdent } from "./sql-fragments.ts";

const intervalFields = [
  "year",
  "month",
  "day",
  "hour",
  "minute",
  "second",
  "year to month",
  "day to hour",
  "day to minute",
  "day to second",
  "hour to minute",
  "hour to second",
  "minute to second",
];

/** Type names of the SQL grammar whose meaning differs from a quoted identifier of the same words. */
const keywordTypes = new Map<string, string>([
  ["int", "integer"],
  ["integer", "integer"],
  ["smallint", "smallint"],
  ["bigint", "bigint"],
  ["real", "real"],
  ["float", "double precision"],
  ["double precision", "double precision"],
  ["decimal", "numeric"],
  ["dec", "numeric"],
  ["numeric", "numeric"],
  ["boolean", "boolean"],
  ["bit", "bit"],
  ["bit varying", "bit varying"],
  ["char", "character"],
  ["character", "character"],
  ["nchar", "character"],
  ["national char", "character"],
  ["national character", "character"],
  ["char varying", "character varying"],
  ["character varying", "character varying"],
  ["nchar varying", "character varying"],
  ["national char varying", "character varying"],
  ["national character varying", "character varying"],
  ["varchar", "character varying"],
  ["timestamp", "timestamp without time zone"],
  ["timestamp without time zone", "timestamp without time zone"],
  ["timestamp with time zone", "timestamp with time zone"],
  ["time", "time without time zone"],
  ["time without time zone", "time without time zone"],
  ["time with time zone", "time with time zone"],
  ["interval", "interval"],
  ...intervalFields.map((f): [string, string] => [`interval ${f}`, `interval ${f}`]),
]);

/** Postgres folds unquoted identifiers with ASCII rules only (downcase_identifier). */
const foldCase = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The SQL for a cast target parsed by the select grammar. */
export function castTypeSql(name: string): string {
  if (!/^[\p{L}0-9_ $]+$/u.test(name)) {
    throw new ApiError(400, "PGRST100", `Invalid cast type: ${name}`);
  }
  const words = foldCase(name).trim().split(/ +/);
  if (words.length > 1 && words[words.length - 1] === "array") {
    return `${castTypeSql(words.slice(0, -1).join(" "))}[]`;
  }
  const normal = words.join(" ");
  return keywordTypes.get(normal) ?? quoteIdent(normal);
}
