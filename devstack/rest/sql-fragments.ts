/**
 * SQL fragments shared by the query builders. Identifiers come only from the schema cache and are
 * quoted; every value from the request travels as a bound parameter ($n), never as SQL text.
 */
import { ApiError } from "./errors.ts";
import type { ResponseMedia } from "./media.ts";
import type { Field } from "./query-types.ts";
import type { ReadNode } from "./read-tree.ts";
import type { DbFunction } from "./schema-cache.ts";

export interface Statement {
  text: string;
  params: string[];
}

/** Quotes an identifier for SQL: wrapped in double quotes, inner quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.includes("\u0000")) {
    throw new ApiError(400, "PGRST100", "Identifiers cannot contain NUL characters");
  }
  return `"${name.replaceAll('"', '""')}"`;
}

export const qualifiedName = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/**
 * Collects bound parameters and hands out their placeholders. Every value is bound as text; SQL
 * casts it where a type is needed (`$1::text::json`: postgres.js would JSON-encode a string bound
 * to a json parameter a second time).
 */
export class Params {
  readonly values: string[] = [];
  add(value: string): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** A copy holding the parameters bound so far (for a second statement over the same source). */
  clone(): Params {
    const copy = new Params();
    copy.values.push(...this.values);
    return copy;
  }
}

export function undefinedColumn(label: string, column: string): ApiError {
  return new ApiError(400, "42703", `column ${label}.${column} does not exist`);
}

/** A function of the node's table read as a column (a computed field), if `name` is one. */
export function computedField(node: ReadNode, name: string): DbFunction | undefined {
  if (node.columns?.has(name)) return undefined;
  return node.table?.computedFields.get(name);
}

/**
 * A column of the node, checked against the schema cache; a computed field is called on the row,
 * cast to the table's type because mutations and calls read rows of a CTE (QueryBuilder.hs, fromF).
 */
export function columnRef(node: ReadNode, name: string): string {
  const fn = computedField(node, name);
  if (fn && node.table) {
    const row = `${quoteIdent(node.alias)}::${qualifiedName(node.table.schema, node.table.name)}`;
    return `${qualifiedName(fn.schema, fn.name)}(${row})`;
  }
  if (node.columns !== null && !node.columns.has(name)) throw undefinedColumn(node.qualifier, name);
  return `${quoteIdent(node.alias)}.${quoteIdent(name)}`;
}

/** A column with its JSON path (`"t"."data"->$1->>$2`), keys bound as parameters. */
export function fieldExpr(node: ReadNode, field: Field, params: Params): string {
  let sql = columnRef(node, field.name);
  for (const step of field.path) {
    sql = `(${sql}${step.arrow}${params.add(step.key)}::${step.index ? "int" : "text"})`;
  }
  return sql;
}

/** The type a filter value on this field is read as: the column's, text after `->>`, json(b) after `->`. */
export function fieldType(node: ReadNode, field: Field): string {
  const fn = computedField(node, field.name);
  const computedType = fn?.returns.kind === "scalar" ? fn.returns.type : undefined;
  const type = node.columns?.get(field.name) ?? computedType ?? "text";
  if (field.path.length === 0) return type;
  if (field.path[field.path.length - 1].arrow === "->>") return "text";
  return type === "json" ? "json" : "jsonb";
}

/** `{"a","b"}`: a Postgres array literal; the server casts it to the column's array type. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}

/** Result columns of every statement that returns rows: total_count (or null), page_count, body. */
export interface ResultRow {
  total_count: string | null;
  page_count: string;
  body: string;
  /** Upserts with merge-duplicates: how many rows were inserted rather than updated. */
  inserted_count?: string;
}

/**
 * The response body built from the rows of `_postgrest_t`: a JSON array, its only element (object
 * media type), or CSV (a header line of the column names, then one line per row). The rows are
 * also the CTE `pgrst_page`, which the CSV header reads.
 */
export function bodyExpression(media: ResponseMedia, value = "_postgrest_t", stripNulls = false): string {
  if (media === "object") return `coalesce((pg_catalog.json_agg(${value}) -> 0)::text, 'null')`;
  if (media === "csv") {
    const header =
      `(select coalesce(pg_catalog.string_agg(pgrst_k.k, ','), '') from (select pg_catalog.json_object_keys(pgrst_h.r) as k from (select pg_catalog.row_to_json(pgrst_hh) as r from pgrst_page as pgrst_hh limit 1) pgrst_h) pgrst_k)`;
    const rows =
      `coalesce(pg_catalog.string_agg(pg_catalog.substring(_postgrest_t::text, 2, pg_catalog.length(_postgrest_t::text) - 2), pg_catalog.chr(10)), '')`;
    return `${header} || pg_catalog.chr(10) || ${rows}`;
  }
  const agg = `pg_catalog.json_agg(${value})`;
  return stripNulls
    ? `coalesce(pg_catalog.json_strip_nulls(${agg}), '[]')::text`
    : `coalesce(${agg}, '[]')::text`;
}
