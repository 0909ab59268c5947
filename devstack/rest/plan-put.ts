/**
 * PUT: PostgREST's single-row upsert. The URL must filter every primary key column, and only
 * those, with `eq` (405 PGRST105); `limit`/`offset` are not allowed (400 PGRST114); the body is
 * one object whose primary key values are the URL's (400 PGRST115).
 */
import type { ApiRequest } from "./api-request.ts";
import { ApiError, invalidBody } from "./errors.ts";
import type { Filter, LogicTree } from "./query-types.ts";
import { isPlainObject, parseJsonBody, readBodyText } from "./request-body.ts";
import type { Table } from "./schema-cache.ts";
import type { InsertSpec } from "./sql-mutate.ts";

export async function putSpec(
  request: ApiRequest,
  table: Table,
  target: { filters: Filter[]; logic: LogicTree[]; limit?: number; offset: number },
  maxBytes: number,
): Promise<InsertSpec> {
  const keyed = new Map<string, string>();
  for (const { field, expr } of target.filters) {
    if (expr.op !== "eq" || expr.negated || expr.quantifier || field.path.length > 0) keyed.clear();
    else keyed.set(field.name, expr.value);
    if (keyed.size === 0) break;
  }
  const pk = table.primaryKey;
  const exact = pk.length > 0 && target.logic.length === 0 && keyed.size === target.filters.length &&
    keyed.size === pk.length && pk.every((c) => keyed.has(c));
  if (!exact) {
    throw new ApiError(
      405,
      "PGRST105",
      "Filters must include all and only primary key columns with 'eq' operators",
    );
  }
  if (target.limit !== undefined || target.offset > 0) {
    throw new ApiError(400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT");
  }
  const text = await readBodyText(request.req, maxBytes);
  const parsed = parseJsonBody(text);
  const row = Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : parsed;
  if (!isPlainObject(row)) throw invalidBody("Empty or invalid json", "PUT expects a single JSON object.");
  if (pk.some((c) => row[c] === undefined || row[c] === null || String(row[c]) !== keyed.get(c))) {
    throw new ApiError(400, "PGRST115", "Payload values do not match URL in primary key column(s)");
  }
  return {
    columns: Object.keys(row),
    payload: JSON.stringify([row]),
    missingDefault: false,
    onConflict: { columns: pk, resolution: "merge-duplicates" },
  };
}
