/**
 * The query string split into its parts, as PostgREST's QueryParams does: `select`, `columns`,
 * `on_conflict`, and per embed path `order`, `limit`, `offset`, `and`/`or` and filters. For
 * GET /rpc, keys whose value has no operator are the function's arguments.
 */
import { ApiError } from "./errors.ts";
import { Cursor } from "./grammar-cursor.ts";
import { hasOperator, parseFilterValue, parseLogic, parseOrder, parseTreePath } from "./grammar-filter.ts";
import { parseSelect } from "./grammar-select.ts";
import type { QueryParams } from "./query-types.ts";

const embeddable = new Set(["order", "limit", "offset", "and", "or"]);

function lastWord(key: string): string {
  return key.slice(key.lastIndexOf(".") + 1);
}

function embedPath(key: string, what: string): string[] {
  const cursor = new Cursor(key, what);
  const names = [cursor.fieldName()];
  while (cursor.eat(".")) names.push(cursor.fieldName());
  if (!cursor.done) throw cursor.fail('expecting "." or end of input');
  return names.slice(0, -1);
}

function nonNegative(name: string, value: string): number {
  const trimmed = value.trim();
  if (/^-\d+$/.test(trimmed) && name === "limit") {
    throw new ApiError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      "Limit should be greater than or equal to zero.",
    );
  }
  if (!/^\d+$/.test(trimmed)) {
    throw new ApiError(
      400,
      "PGRST100",
      `"failed to parse ${name} parameter (${value})"`,
      "expecting a non-negative integer",
    );
  }
  return Number(trimmed);
}

function columnList(value: string, what: string): string[] {
  const cursor = new Cursor(value, what);
  const names: string[] = [];
  do names.push(cursor.fieldName()); while (cursor.eat(","));
  cursor.skipSpaces();
  if (!cursor.done) throw cursor.fail('expecting "," or end of input');
  return names;
}

export function parseQueryParams(params: URLSearchParams, rpcRead = false): QueryParams {
  const query: QueryParams = {
    select: parseSelect(params.get("select") ?? "*"),
    filters: [],
    logic: [],
    order: [],
    limits: [],
    offsets: [],
    // No prototype: an argument named `__proto__` or `constructor` is an argument like any other.
    args: Object.create(null),
  };
  const columns = params.get("columns");
  if (columns !== null) query.columns = columnList(columns, "columns parameter");
  const onConflict = params.get("on_conflict");
  if (onConflict !== null) query.onConflict = columnList(onConflict, "on_conflict parameter");
  for (const [key, value] of params) {
    if (key === "select" || key === "columns" || key === "on_conflict") continue;
    const word = lastWord(key);
    if (embeddable.has(word)) {
      if (word === "order") query.order.push({ path: embedPath(key, "tree path"), value: parseOrder(value) });
      else if (word === "limit") {
        query.limits.push({ path: embedPath(key, "tree path"), value: nonNegative("limit", value) });
      } else if (word === "offset") {
        query.offsets.push({ path: embedPath(key, "tree path"), value: nonNegative("offset", value) });
      } else {
        const names = embedPath(key, "logic path");
        const negated = names.includes("not");
        const path = names.filter((name) => name !== "not");
        query.logic.push({ path, value: parseLogic(negated ? `not.${word}` : word, value) });
      }
    } else if (rpcRead && !key.includes(".") && !hasOperator(value)) {
      if (Object.hasOwn(query.args, key)) {
        throw new ApiError(
          400,
          "PGRST127",
          "Feature not implemented",
          `Repeating the argument '${key}' of a GET call (variadic arguments)`,
        );
      }
      query.args[key] = value;
    } else {
      const { path, field } = parseTreePath(key);
      query.filters.push({ path, value: { field, expr: parseFilterValue(value) } });
    }
  }
  return query;
}
