/**
 * The query-string grammar postgrest-js emits, parsed into a small AST: select lists, filters,
 * order, limit/offset and the insert column list. Anything outside that subset is rejected with
 * 400 PGRST100 naming the unsupported feature; nothing is guessed.
 */
import { ApiError, queryParamError, unsupported } from "./errors.ts";

export type SelectItem = { kind: "star" } | { kind: "column"; column: string; alias?: string };

export const supportedOperators = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "like",
  "ilike",
  "in",
  "is",
] as const;
export type FilterOperator = (typeof supportedOperators)[number];

/** PostgREST operators the devstack knows of but does not implement. */
const unsupportedOperators = new Set([
  "match",
  "imatch",
  "cs",
  "cd",
  "ov",
  "sl",
  "sr",
  "nxr",
  "nxl",
  "adj",
  "fts",
  "plfts",
  "phfts",
  "wfts",
  "isdistinct",
]);

export type IsValue = "null" | "not_null" | "true" | "false" | "unknown";

export type Filter =
  | { column: string; negated: boolean; op: Exclude<FilterOperator, "in" | "is">; value: string }
  | { column: string; negated: boolean; op: "in"; value: string[] }
  | { column: string; negated: boolean; op: "is"; value: IsValue };

export interface OrderTerm {
  column: string;
  direction?: "asc" | "desc";
  nulls?: "first" | "last";
}

export interface QueryAst {
  select: SelectItem[];
  filters: Filter[];
  order: OrderTerm[];
  limit?: number;
  offset?: number;
  /** The `columns` parameter of an insert. */
  columns?: string[];
}

/** Parameters with a meaning of their own; every other key is a filter (or an RPC argument). */
const reservedKeys = new Set(["select", "order", "limit", "offset", "columns", "on_conflict"]);
const logicKeys = new Set(["or", "and", "not.or", "not.and"]);

/**
 * Parses the query string. `argumentNames` (GET /rpc) lists keys that are function arguments;
 * those are returned in `args` instead of being read as filters.
 */
export function parseQuery(
  params: URLSearchParams,
  argumentNames: ReadonlySet<string> = new Set(),
): { ast: QueryAst; args: Record<string, string> } {
  const ast: QueryAst = { select: [{ kind: "star" }], filters: [], order: [] };
  const args: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key === "select") ast.select = parseSelect(value);
    else if (key === "order") ast.order = parseOrder(value);
    else if (key === "limit") ast.limit = parseNonNegative("limit", value);
    else if (key === "offset") ast.offset = parseNonNegative("offset", value);
    else if (key === "columns") ast.columns = parseColumnList(value);
    else if (key === "on_conflict") throw unsupported("on_conflict (upserts)");
    else if (logicKeys.has(key)) {
      throw unsupported(`the '${key}' logical operator; combine filters with AND only`);
    } else if (argumentNames.has(key)) args[key] = value;
    else if (key.includes(".") && reservedKeys.has(key.slice(key.lastIndexOf(".") + 1))) {
      throw unsupported(`'${key}' (options on embedded resources)`);
    } else if (key.endsWith(".or") || key.endsWith(".and")) {
      throw unsupported(`'${key}' (logical operators on embedded resources)`);
    } else ast.filters.push(parseFilter(key, value));
  }
  return { ast, args };
}

function parseNonNegative(name: string, value: string): number {
  if (/^-\d+$/.test(value.trim())) {
    if (name === "limit") {
      throw new ApiError(
        416,
        "PGRST103",
        "Requested range not satisfiable",
        "Limit should be greater than or equal to zero.",
      );
    }
  }
  if (!/^\d+$/.test(value.trim())) {
    throw queryParamError(`failed to parse ${name} parameter (${value})`, "expecting a non-negative integer");
  }
  return Number(value.trim());
}

/** Splits on `sep` outside double quotes and parentheses. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      current += ch;
      if (ch === "\\" && i + 1 < text.length) current += text[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (ch === sep && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** A field name, bare or double-quoted (with \" and \\ escapes inside quotes). */
function parseIdentifier(text: string, context: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('"')) {
    const match = trimmed.match(/^"((?:[^"\\]|\\.)*)"$/);
    if (!match) {
      throw queryParamError(`failed to parse ${context}`, `unterminated quoted identifier: ${trimmed}`);
    }
    return match[1].replace(/\\(.)/g, "$1");
  }
  if (trimmed === "") throw queryParamError(`failed to parse ${context}`, "expecting a field name");
  return trimmed;
}

export function parseSelect(value: string): SelectItem[] {
  const items: SelectItem[] = [];
  const context = `select parameter (${value})`;
  for (const raw of splitTopLevel(value, ",")) {
    const item = raw.replace(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/g, "");
    if (item === "") {
      if (value.trim() === "") return [{ kind: "star" }];
      throw queryParamError(`failed to parse ${context}`, "unexpected empty field");
    }
    if (item === "*") {
      items.push({ kind: "star" });
      continue;
    }
    const unquoted = item.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    if (unquoted.startsWith("...")) throw unsupported(`spread of embedded resources in select ('${item}')`);
    if (/\w*\(\s*\)$/.test(unquoted) && !/\(.+\)/.test(unquoted)) {
      throw unsupported(`aggregate functions in select ('${item}')`);
    }
    if (unquoted.includes("(")) throw unsupported(`resource embedding in select ('${item}')`);
    if (unquoted.includes("::")) throw unsupported(`casts in select ('${item}')`);
    if (unquoted.includes("->")) throw unsupported(`JSON paths in select ('${item}')`);
    if (unquoted.includes("!")) throw unsupported(`embedding hints in select ('${item}')`);
    const colon = unquoted.indexOf(":");
    let alias: string | undefined;
    let field = item;
    if (colon >= 0) {
      // positions match between `item` and `unquoted` only before the first quote; find it in item
      const parts = splitOutsideQuotes(item, ":");
      if (parts.length !== 2) {
        throw queryParamError(`failed to parse ${context}`, `unexpected ':' in '${item}'`);
      }
      alias = parseIdentifier(parts[0], context);
      field = parts[1];
    }
    if (unquoted.replace(/^[^:]*:/, "").includes(".")) {
      throw unsupported(`aggregates or embedded fields in select ('${item}')`);
    }
    items.push({ kind: "column", column: parseIdentifier(field, context), alias });
  }
  return items;
}

function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === "\\" && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

export function parseFilter(key: string, value: string): Filter {
  if (key.includes("->")) throw unsupported(`JSON paths in filters ('${key}')`);
  if (key.includes("(") || key.includes(")")) throw unsupported(`filter key '${key}'`);
  if (key.includes(".") && !key.startsWith('"')) {
    throw unsupported(`filters on embedded resources ('${key}')`);
  }
  const column = parseIdentifier(key, `filter (${key})`);
  let rest = value;
  let negated = false;
  if (rest.startsWith("not.")) {
    negated = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf(".");
  if (dot < 0) {
    throw queryParamError(
      `failed to parse filter (${value})`,
      `expecting an operator and a value: "op.value"`,
    );
  }
  const op = rest.slice(0, dot);
  const operand = rest.slice(dot + 1);
  const modifier = op.match(/^(\w+)\((any|all)\)$/);
  if (modifier) throw unsupported(`the '${op}' operator modifier`);
  if (unsupportedOperators.has(op)) throw unsupported(`the '${op}' filter operator`);
  if (!(supportedOperators as readonly string[]).includes(op)) {
    throw queryParamError(
      `failed to parse filter (${value})`,
      `unknown operator "${op}"; supported: ${supportedOperators.join(", ")} (optionally prefixed with not.)`,
    );
  }
  if (op === "is") {
    const lowered = operand.toLowerCase();
    if (!["null", "not_null", "true", "false", "unknown"].includes(lowered)) {
      throw queryParamError(
        `failed to parse filter (${value})`,
        'expecting "null", "not_null", "true", "false" or "unknown"',
      );
    }
    return { column, negated, op, value: lowered as IsValue };
  }
  if (op === "in") return { column, negated, op, value: parseInList(operand, value) };
  const pattern = op === "like" || op === "ilike" ? operand.replaceAll("*", "%") : operand;
  return { column, negated, op: op as Exclude<FilterOperator, "in" | "is">, value: pattern };
}

/** `(a,"b,c",3)` → ["a", "b,c", "3"]. */
export function parseInList(operand: string, whole: string): string[] {
  if (!operand.startsWith("(") || !operand.endsWith(")")) {
    throw queryParamError(`failed to parse filter (${whole})`, 'expecting a list in parentheses: "in.(a,b)"');
  }
  const inner = operand.slice(1, -1);
  if (inner === "") return [];
  const values: string[] = [];
  let i = 0;
  while (i <= inner.length) {
    if (inner[i] === '"') {
      let item = "";
      i++;
      while (i < inner.length && inner[i] !== '"') {
        if (inner[i] === "\\" && i + 1 < inner.length) i++;
        item += inner[i++];
      }
      if (inner[i] !== '"') {
        throw queryParamError(`failed to parse filter (${whole})`, "unterminated quoted value");
      }
      i++;
      if (i < inner.length && inner[i] !== ",") {
        throw queryParamError(
          `failed to parse filter (${whole})`,
          `unexpected "${inner[i]}" after a quoted value`,
        );
      }
      values.push(item);
      i++;
    } else {
      const end = inner.indexOf(",", i);
      const stop = end < 0 ? inner.length : end;
      values.push(inner.slice(i, stop));
      i = stop + 1;
    }
  }
  return values;
}

export function parseOrder(value: string): OrderTerm[] {
  const terms: OrderTerm[] = [];
  for (const raw of splitTopLevel(value, ",")) {
    const term = raw.trim();
    if (term === "") continue;
    if (term.includes("(")) throw unsupported(`ordering by embedded resources ('${term}')`);
    if (term.includes("->")) throw unsupported(`ordering by JSON paths ('${term}')`);
    const parts = splitOutsideQuotes(term, ".");
    const column = parseIdentifier(parts[0], `order (${value})`);
    const result: OrderTerm = { column };
    for (const modifier of parts.slice(1)) {
      if (modifier === "asc" || modifier === "desc") {
        if (result.direction || result.nulls) throw badOrder(value, modifier);
        result.direction = modifier;
      } else if (modifier === "nullsfirst" || modifier === "nullslast") {
        if (result.nulls) throw badOrder(value, modifier);
        result.nulls = modifier === "nullsfirst" ? "first" : "last";
      } else throw badOrder(value, modifier);
    }
    terms.push(result);
  }
  return terms;
}

function badOrder(value: string, modifier: string): ApiError {
  return queryParamError(
    `failed to parse order (${value})`,
    `unexpected "${modifier}" expecting "asc", "desc", "nullsfirst" or "nullslast"`,
  );
}

/** The `columns` parameter: `"a","b"` or `a,b`. */
export function parseColumnList(value: string): string[] {
  return splitOutsideQuotes(value, ",").map((part) => parseIdentifier(part, `columns parameter (${value})`));
}
