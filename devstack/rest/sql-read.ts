/** Query building for reads: SELECTs of tables and views, and function calls. */
import { unsupported } from "./errors.ts";
import type { QueryAst } from "./query-grammar.ts";
import type { DbFunction, Table } from "./schema-cache.ts";
import {
  bodyExpression,
  limitClause,
  orderClause,
  Params,
  qualifiedName,
  quoteIdent,
  selectList,
  type Source,
  type Statement,
  tableSource,
  whereClause,
} from "./sql-fragments.ts";

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
