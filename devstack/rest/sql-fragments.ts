/**
 * SQL fragments shared by the query builders. Identifiers come only from the schema cache and are
 * quoted; every value from the request travels as a bound parameter ($n), never as SQL text.
 */
import { ApiError, unsupported } from "./errors.ts";
import type { Filter, OrderTerm, QueryAst, SelectItem } from "./query-grammar.ts";
import type { Table } from "./schema-cache.ts";

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
}

/** The columns a query may name: a table's, or a function result's (null: unknown, only `*`). */
export interface Source {
  label: string;
  /** Column name → type as format_type prints it (usable in a cast). */
  columns: ReadonlyMap<string, string> | null;
}

export const tableSource = (table: Table): Source => ({
  label: table.name,
  columns: new Map(table.columns.map((column) => [column.name, column.type])),
});

function undefinedColumn(source: Source, column: string): ApiError {
  return new ApiError(400, "42703", `column ${source.label}.${column} does not exist`);
}

export function column(source: Source, name: string, qualifier: string | null): string {
  if (source.columns === null) {
    throw unsupported(`naming columns of a function returning an untyped record ('${name}')`);
  }
  if (!source.columns.has(name)) throw undefinedColumn(source, name);
  return qualifier ? `${qualifier}.${quoteIdent(name)}` : quoteIdent(name);
}

export function selectList(items: SelectItem[], source: Source, qualifier: string | null): string {
  return items.map((item) => {
    if (item.kind === "star") return qualifier ? `${qualifier}.*` : "*";
    const expr = column(source, item.column, qualifier);
    return item.alias !== undefined ? `${expr} as ${quoteIdent(item.alias)}` : expr;
  }).join(", ");
}

/** `{"a","b"}`: a Postgres array literal; the server casts it to the column's array type. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}

const comparison: Record<string, string> = {
  eq: "=",
  neq: "<>",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  like: "like",
  ilike: "ilike",
};

const isTests: Record<string, string> = {
  null: "is null",
  not_null: "is not null",
  true: "is true",
  false: "is false",
  unknown: "is unknown",
};

function condition(filter: Filter, source: Source, qualifier: string | null, params: Params): string {
  const col = column(source, filter.column, qualifier);
  // Values arrive as text and are converted by the column type's own input function, as a
  // PostgREST literal is. (Bound untyped, a parameter takes the column's type and the driver
  // would encode the string itself: "true" as a bool parameter becomes false.)
  const type = source.columns?.get(filter.column);
  const typed = (value: string, suffix = "") => `(${params.add(value)}::text)::${type}${suffix}`;
  let sql: string;
  if (filter.op === "is") sql = `${col} ${isTests[filter.value]}`;
  else if (filter.op === "like" || filter.op === "ilike") {
    sql = `${col} ${comparison[filter.op]} ${params.add(filter.value)}::text`;
  } else if (filter.op === "in") sql = `${col} = any(${typed(arrayLiteral(filter.value), "[]")})`;
  else sql = `${col} ${comparison[filter.op]} ${typed(filter.value)}`;
  return filter.negated ? `not (${sql})` : sql;
}

export function whereClause(
  filters: Filter[],
  source: Source,
  qualifier: string | null,
  params: Params,
): string {
  if (filters.length === 0) return "";
  return ` where ${filters.map((f) => condition(f, source, qualifier, params)).join(" and ")}`;
}

export function orderClause(order: OrderTerm[], source: Source, qualifier: string | null): string {
  if (order.length === 0) return "";
  return ` order by ${
    order.map((term) => {
      let sql = column(source, term.column, qualifier);
      if (term.direction) sql += ` ${term.direction}`;
      if (term.nulls) sql += ` nulls ${term.nulls}`;
      return sql;
    }).join(", ")
  }`;
}

export function limitClause(ast: QueryAst, maxRows: number | undefined, params: Params): string {
  const limit = ast.limit === undefined
    ? maxRows
    : maxRows === undefined
    ? ast.limit
    : Math.min(ast.limit, maxRows);
  let sql = "";
  if (limit !== undefined) sql += ` limit ${params.add(String(limit))}`;
  if (ast.offset !== undefined && ast.offset > 0) sql += ` offset ${params.add(String(ast.offset))}`;
  return sql;
}

/** The JSON text of the rows of `_postgrest_t`: an array, or its only element for the object media type. */
export function bodyExpression(single: boolean, value = "_postgrest_t"): string {
  return single
    ? `coalesce((pg_catalog.json_agg(${value}) -> 0)::text, 'null')`
    : `coalesce(pg_catalog.json_agg(${value}), '[]')::text`;
}

/** Result columns of every statement that returns rows: total_count (or null), page_count, body. */
export interface ResultRow {
  total_count: string | null;
  page_count: string;
  body: string;
}
