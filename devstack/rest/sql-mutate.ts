/** Query building for writes: INSERT, UPDATE and DELETE, with the representation when asked for. */
import type { QueryAst, SelectItem } from "./query-grammar.ts";
import type { Table } from "./schema-cache.ts";
import {
  bodyExpression,
  column,
  Params,
  qualifiedName,
  selectList,
  type Statement,
  tableSource,
  whereClause,
} from "./sql-fragments.ts";

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
