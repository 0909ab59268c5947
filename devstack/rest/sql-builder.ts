/**
 * Turns a parsed request into parameterized SQL. Identifiers come only from the schema cache and
 * are quoted; every value from the request travels as a bound parameter ($n), never as SQL text.
 */
import { ApiError, unsupported } from "./errors.ts";
import type { Filter, OrderTerm, QueryAst, SelectItem } from "./query-grammar.ts";
import type { DbFunction, Table } from "./schema-cache.ts";

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
class Params {
  readonly values: string[] = [];
  add(value: string): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The columns a query may name: a table's, or a function result's (null: unknown, only `*`). */
interface Source {
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

function column(source: Source, name: string, qualifier: string | null): string {
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

function orderClause(order: OrderTerm[], source: Source, qualifier: string | null): string {
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

function limitClause(ast: QueryAst, maxRows: number | undefined, params: Params): string {
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
function bodyExpression(single: boolean, value = "_postgrest_t"): string {
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

export function buildRead(
  table: Table,
  ast: QueryAst,
  options: { count: boolean; single: boolean; maxRows?: number },
): Statement {
  const params = new Params();
  const source = tableSource(table);
  const target = qualifiedName(table.schema, table.name);
  const select = selectList(ast.select, source, target);
  const where = whereClause(ast.filters, source, target, params);
  const order = orderClause(ast.order, source, target);
  const limit = limitClause(ast, options.maxRows, params);
  const total = options.count ? `(select pg_catalog.count(*) from ${target}${where})::int8` : "null::int8";
  const text = `select ${total} as total_count, pg_catalog.count(*)::int8 as page_count, ` +
    `${bodyExpression(options.single)} as body ` +
    `from (select ${select} from ${target}${where}${order}${limit}) _postgrest_t`;
  return { text, params: params.values };
}

/** Wraps a data-modifying statement so that it returns the representation of the rows it touched. */
function withRepresentation(
  mutation: string,
  table: Table,
  select: SelectItem[],
  single: boolean,
): string {
  const target = qualifiedName(table.schema, table.name);
  const list = selectList(select, tableSource(table), null);
  return `with pgrst_source as (${mutation} returning ${target}.*) ` +
    `select null::int8 as total_count, pg_catalog.count(*)::int8 as page_count, ` +
    `${bodyExpression(single)} as body from (select ${list} from pgrst_source) _postgrest_t`;
}

export interface MutationOptions {
  representation: boolean;
  single: boolean;
  select: SelectItem[];
}

/**
 * INSERT of the objects in `payload` (the request body's JSON text, an array) into `columns`.
 * The text is bound as one parameter as received, so numbers keep their precision. `rows` (the
 * parsed payload) tells which keys each object has: missing keys become NULL, or the column
 * default with `missingDefault`.
 */
export function buildInsert(
  table: Table,
  columns: string[],
  payload: string,
  rows: Record<string, unknown>[],
  missingDefault: boolean,
  options: MutationOptions,
): Statement {
  const params = new Params();
  const target = qualifiedName(table.schema, table.name);
  const source = tableSource(table);
  const quoted = columns.map((name) => column(source, name, null));
  const body = params.add(payload);
  let mutation: string;
  if (columns.length === 0) {
    mutation = `insert into ${target} select from pg_catalog.json_array_elements(${body}::text::json)`;
  } else if (missingDefault && rows.some((row) => columns.some((name) => !(name in row)))) {
    const tuples = rows.map((row, index) =>
      `(${
        columns.map((name, i) =>
          name in row
            ? `(pg_catalog.json_populate_record(null::${target}, ${body}::text::json -> ${index})).${
              quoted[i]
            }`
            : "default"
        ).join(", ")
      })`
    );
    mutation = `insert into ${target} (${quoted.join(", ")}) values ${tuples.join(", ")}`;
  } else {
    mutation = `insert into ${target} (${quoted.join(", ")}) ` +
      `select ${quoted.map((q) => `pgrst_body.${q}`).join(", ")} ` +
      `from pg_catalog.json_populate_recordset(null::${target}, ${body}::text::json) pgrst_body`;
  }
  const text = options.representation
    ? withRepresentation(mutation, table, options.select, options.single)
    : mutation;
  return { text, params: params.values };
}

/** UPDATE of the columns `names` to the values of the JSON object `payload` (bound as received). */
export function buildUpdate(
  table: Table,
  names: string[],
  payload: string,
  ast: QueryAst,
  options: MutationOptions,
): Statement {
  const params = new Params();
  const target = qualifiedName(table.schema, table.name);
  const source = tableSource(table);
  const assignments = names.map((name) => {
    const q = column(source, name, null);
    return `${q} = pgrst_body.${q}`;
  });
  const body = params.add(payload);
  const where = whereClause(ast.filters, source, target, params);
  const mutation = `update ${target} set ${assignments.join(", ")} ` +
    `from (select * from pg_catalog.json_populate_record(null::${target}, ${body}::text::json)) pgrst_body${where}`;
  const text = options.representation
    ? withRepresentation(mutation, table, options.select, options.single)
    : mutation;
  return { text, params: params.values };
}

export function buildDelete(table: Table, ast: QueryAst, options: MutationOptions): Statement {
  const params = new Params();
  const target = qualifiedName(table.schema, table.name);
  const where = whereClause(ast.filters, tableSource(table), target, params);
  const mutation = `delete from ${target}${where}`;
  const text = options.representation
    ? withRepresentation(mutation, table, options.select, options.single)
    : mutation;
  return { text, params: params.values };
}

/**
 * A function call: arguments converted to the parameter types by json_to_record (as PostgREST
 * does), then the result shaped by the function's return type.
 */
export function buildRpc(
  fn: DbFunction,
  args: { names: string[]; json: string } | { wholeBody: string },
  ast: QueryAst,
  options: { count: boolean; single: boolean; maxRows?: number },
): Statement {
  const params = new Params();
  const target = qualifiedName(fn.schema, fn.name);
  let from: string;
  if ("wholeBody" in args) {
    from = `${target}(${params.add(args.wholeBody)}::text::${fn.params[0].type}) pgrst_call`;
  } else {
    const names = args.names;
    if (names.length === 0) from = `${target}() pgrst_call`;
    else {
      const byName = new Map(fn.params.map((p) => [p.name, p]));
      const recordColumns = names.map((name) => `${quoteIdent(name)} ${byName.get(name)!.sqlType}`);
      const callArgs = names.map((name) => `${quoteIdent(name)} := pgrst_args.${quoteIdent(name)}`);
      from = `pg_catalog.json_to_record(${params.add(args.json)}::text::json) ` +
        `as pgrst_args(${recordColumns.join(", ")}) cross join lateral ${target}(${
          callArgs.join(", ")
        }) pgrst_call`;
    }
  }
  const hasShaping = ast.filters.length > 0 || ast.order.length > 0 || ast.limit !== undefined ||
    ast.offset !== undefined || ast.select.some((item) => item.kind !== "star");

  if (fn.returns.kind === "void") {
    if (hasShaping) throw unsupported("select, filters, order or limits on a function returning void");
    return {
      text: `select null::int8 as total_count, 0::int8 as page_count, '' as body from ${from}`,
      params: params.values,
    };
  }
  if (fn.returns.kind === "scalar") {
    if (hasShaping) throw unsupported("select, filters, order or limits on a function returning a scalar");
    if (!fn.returnsSet) {
      from = from.replace(/ pgrst_call$/, " pgrst_call(pgrst_scalar)");
      return {
        text: `select null::int8 as total_count, 1::int8 as page_count, ` +
          `coalesce(pg_catalog.to_json(pgrst_call.pgrst_scalar)::text, 'null') as body from ${from}`,
        params: params.values,
      };
    }
    from = from.replace(/ pgrst_call$/, " pgrst_call(pgrst_scalar)");
    const total = options.count ? `(select pg_catalog.count(*) from ${from})::int8` : "null::int8";
    return {
      text: `select ${total} as total_count, pg_catalog.count(*)::int8 as page_count, ` +
        `${bodyExpression(options.single, "_postgrest_t.pgrst_scalar")} as body ` +
        `from (select pgrst_call.pgrst_scalar from ${from}) _postgrest_t`,
      params: params.values,
    };
  }
  const source: Source = {
    label: fn.name,
    columns: fn.returns.columns ? new Map(fn.returns.columns.map((c) => [c.name, c.type])) : null,
  };
  const select = selectList(ast.select, source, "pgrst_call");
  const where = whereClause(ast.filters, source, "pgrst_call", params);
  const order = orderClause(ast.order, source, "pgrst_call");
  const limit = limitClause(ast, fn.returnsSet ? options.maxRows : undefined, params);
  const total = options.count ? `(select pg_catalog.count(*) from ${from}${where})::int8` : "null::int8";
  const single = options.single || !fn.returnsSet;
  return {
    text: `select ${total} as total_count, pg_catalog.count(*)::int8 as page_count, ` +
      `${
        bodyExpression(single)
      } as body from (select ${select} from ${from}${where}${order}${limit}) _postgrest_t`,
    params: params.values,
  };
}
