/**
 * Query building for function calls: arguments converted to the parameter types by
 * json_to_record (as PostgREST does), then the result shaped by the function's return type.
 */
import type { ResponseMedia } from "./media.ts";
import type { DbFunction } from "./schema-cache.ts";
import { bodyExpression, type Params, qualifiedName, quoteIdent, type Statement } from "./sql-fragments.ts";

export type CallArguments = { names: string[]; json: string } | { wholeBody: string };

/** The call as a FROM item whose rows are `pgrst_call` (no alias of its own). */
export function callFrom(fn: DbFunction, args: CallArguments, params: Params): string {
  const target = qualifiedName(fn.schema, fn.name);
  if ("wholeBody" in args) {
    return `${target}(${params.add(args.wholeBody)}::text::${fn.params[0].type}) pgrst_call`;
  }
  if (args.names.length === 0) return `${target}() pgrst_call`;
  const byName = new Map(fn.params.map((p) => [p.name, p]));
  const recordColumns = args.names.map((name) => `${quoteIdent(name)} ${byName.get(name)!.sqlType}`);
  // QueryBuilder.hs (fmtParams): a variadic parameter is passed as `VARIADIC name := array`.
  const callArgs = args.names.map((name) =>
    `${byName.get(name)!.variadic ? "variadic " : ""}${quoteIdent(name)} := pgrst_args.${quoteIdent(name)}`
  );
  return `pg_catalog.json_to_record(${params.add(args.json)}::text::json) ` +
    `as pgrst_args(${recordColumns.join(", ")}) cross join lateral ${target}(${
      callArgs.join(", ")
    }) pgrst_call`;
}

/** A function returning void or a scalar (or a set of scalars): no select, filters or order apply. */
export function scalarCall(
  fn: DbFunction,
  from: string,
  params: Params,
  options: { count: boolean; media: ResponseMedia },
): Statement {
  if (fn.returns.kind === "void") {
    return {
      text: `select null::int8 as total_count, 0::int8 as page_count, '' as body from ${from}`,
      params: params.values,
    };
  }
  const scalarFrom = from.replace(/ pgrst_call$/, " pgrst_call(pgrst_scalar)");
  if (!fn.returnsSet) {
    return {
      text: `select ${options.count ? "1" : "null"}::int8 as total_count, 1::int8 as page_count, ` +
        `coalesce(pg_catalog.to_json(pgrst_call.pgrst_scalar)::text, 'null') as body from ${scalarFrom}`,
      params: params.values,
    };
  }
  const total = options.count ? `(select pg_catalog.count(*) from ${scalarFrom})::int8` : "null::int8";
  return {
    text: `select ${total} as total_count, pg_catalog.count(*)::int8 as page_count, ` +
      `${bodyExpression(options.media, "_postgrest_t.pgrst_scalar")} as body ` +
      `from (select pgrst_call.pgrst_scalar from ${scalarFrom}) _postgrest_t`,
    params: params.values,
  };
}
