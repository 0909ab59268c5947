/**
 * Query building for writes: INSERT (with ON CONFLICT for upserts), UPDATE and DELETE. Request
 * bodies are bound as one JSON text parameter and expanded by json_populate_record(set), so
 * values convert with the columns' own input functions, as in PostgREST.
 */
import type { Filter, LogicTree } from "./query-types.ts";
import type { ReadNode } from "./read-tree.ts";
import type { Table } from "./schema-cache.ts";
import { condition, logicCondition, orderClause } from "./sql-filter.ts";
import { type Params, qualifiedName, quoteIdent, undefinedColumn } from "./sql-fragments.ts";

const column = (table: Table, name: string) => {
  if (!table.columnsByName.has(name)) throw undefinedColumn(table.name, name);
  return quoteIdent(name);
};

export interface InsertSpec {
  columns: string[];
  /** The body as a JSON array text. */
  payload: string;
  missingDefault: boolean;
  onConflict?: { columns: string[]; resolution: "merge-duplicates" | "ignore-duplicates" };
}

/**
 * INSERT from the JSON array in `spec.payload`; `returning` adds RETURNING * (only when rows are
 * read back, since RETURNING columns makes RLS check SELECT policies too); `trackInserted` flags
 * the rows inserted rather than updated by an upsert.
 */
export function insertSql(
  table: Table,
  spec: InsertSpec,
  params: Params,
  returning: boolean,
  trackInserted = false,
): string {
  const target = qualifiedName(table.schema, table.name);
  const quoted = spec.columns.map((name) => column(table, name));
  const body = params.add(spec.payload);
  let sql: string;
  if (spec.columns.length === 0) {
    sql = `insert into ${target} select from pg_catalog.json_array_elements(${body}::text::json)`;
  } else if (spec.missingDefault) {
    sql = `insert into ${target} (${quoted.join(", ")}) ` +
      `select ${quoted.map((q) => `pgrst_body.${q}`).join(", ")} ` +
      `from pg_catalog.jsonb_populate_recordset(null::${target}, ${
        withDefaults(table, spec.columns, body, params)
      }) pgrst_body`;
  } else {
    sql = `insert into ${target} (${quoted.join(", ")}) ` +
      `select ${quoted.map((q) => `pgrst_body.${q}`).join(", ")} ` +
      `from pg_catalog.json_populate_recordset(null::${target}, ${body}::text::json) pgrst_body`;
  }
  if (spec.onConflict) {
    const conflict = spec.onConflict.columns.map((name) => column(table, name));
    // Every payload column is set, the conflict columns too (QueryBuilder.hs, MergeDuplicates).
    sql += ` on conflict (${conflict.join(", ")}) ` +
      (spec.onConflict.resolution === "ignore-duplicates"
        ? "do nothing"
        : `do update set ${quoted.map((q) => `${q} = excluded.${q}`).join(", ")}`);
  }
  // xmax is 0 only in a row this statement inserted (an upsert's updated rows carry its xid).
  const inserted = trackInserted ? ", (xmax = 0) as pgrst_inserted" : "";
  return returning ? `${sql} returning ${target}.*${inserted}` : sql;
}

/**
 * `Prefer: missing=default` as PostgREST builds it (SqlFragment.hs, fromJsonBodyF): every payload
 * column that has a default gets it evaluated for every row, and the row's own keys override it,
 * so a sequence advances once per row even where the row carries the value.
 */
function withDefaults(table: Table, columns: string[], body: string, params: Params): string {
  const defaults = columns.flatMap((name) => {
    const expression = table.columnsByName.get(name)?.default;
    return expression ? [`${params.add(name)}::text, ${expression}`] : [];
  });
  const rows =
    `pg_catalog.jsonb_array_elements(${body}::text::jsonb) with ordinality as pgrst_elem(value, n)`;
  const row = defaults.length > 0
    ? `pg_catalog.jsonb_build_object(${defaults.join(", ")}) || pgrst_elem.value`
    : "pgrst_elem.value";
  return `coalesce((select pg_catalog.jsonb_agg(${row} order by pgrst_elem.n) from ${rows}), '[]')`;
}

function conditions(node: ReadNode, filters: Filter[], logic: LogicTree[], params: Params): string[] {
  return [
    ...filters.map((f) => condition(node, f, params)),
    ...logic.map((t) => logicCondition(node, t, params)),
  ];
}

/**
 * The WHERE of an UPDATE or DELETE. With `limit`/`offset`/`order` (PostgREST's limited
 * update/delete) the rows are chosen by ctid in a subquery that filters, orders and pages.
 */
function whereOf(table: Table, node: ReadNode, params: Params): string {
  if (node.limit === undefined && node.offset === 0 && node.order.length === 0) {
    const parts = conditions(node, node.filters, node.logic, params);
    return parts.length > 0 ? ` where ${parts.join(" and ")}` : "";
  }
  const limited: ReadNode = { ...node, alias: `${node.alias}_limited` };
  const parts = conditions(limited, node.filters, node.logic, params);
  let chosen = `select ${quoteIdent(limited.alias)}.ctid from ${qualifiedName(table.schema, table.name)} ` +
    `${quoteIdent(limited.alias)}${parts.length > 0 ? ` where ${parts.join(" and ")}` : ""}`;
  chosen += orderClause(limited, node.order, params);
  if (node.limit !== undefined) chosen += ` limit ${params.add(String(node.limit))}`;
  if (node.offset > 0) chosen += ` offset ${params.add(String(node.offset))}`;
  return ` where ${quoteIdent(node.alias)}.ctid = any(array(${chosen}))`;
}

/**
 * UPDATE of the columns `names` to the values of the JSON object `payload`, RETURNING *; with
 * `missingDefault` the columns' defaults fill what the object lacks (as for inserts).
 */
export function updateSql(
  table: Table,
  node: ReadNode,
  update: { names: string[]; payload: string; missingDefault: boolean },
  params: Params,
  returning: boolean,
): string {
  const { names } = update;
  const target = qualifiedName(table.schema, table.name);
  const assignments = names.map((name) => `${column(table, name)} = pgrst_body.${quoteIdent(name)}`);
  const record = update.missingDefault
    ? `pg_catalog.jsonb_populate_record(null::${target}, ${
      withDefaults(table, names, params.add(`[${update.payload}]`), params)
    } -> 0)`
    : `pg_catalog.json_populate_record(null::${target}, ${params.add(update.payload)}::text::json)`;
  return `update ${target} ${quoteIdent(node.alias)} set ${assignments.join(", ")} ` +
    `from (select * from ${record}) pgrst_body` +
    `${whereOf(table, node, params)}${returning ? ` returning ${quoteIdent(node.alias)}.*` : ""}`;
}

export function deleteSql(table: Table, node: ReadNode, params: Params, returning: boolean): string {
  const target = qualifiedName(table.schema, table.name);
  return `delete from ${target} ${quoteIdent(node.alias)}${whereOf(table, node, params)}` +
    (returning ? ` returning ${quoteIdent(node.alias)}.*` : "");
}
