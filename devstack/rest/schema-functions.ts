/** Functions of the exposed schemas as the schema cache holds them: parameters and return shape. */
import type { Column, DbFunction, ReturnShape } from "./schema-types.ts";

export interface FunctionRow {
  oid: string;
  schema: string;
  name: string;
  description: string | null;
  returns_set: boolean;
  return_type: string;
  return_type_kind: string;
  return_relid: string;
  volatility: string;
  nargs: number;
  ndefaults: number;
  arg_names: string[] | null;
  arg_types: string[];
  arg_sql_types: string[];
  arg_modes: string[] | null;
}

export const functionsQuery = `
select p.oid::int8::text as oid, n.nspname as schema, p.proname as name,
  pg_catalog.obj_description(p.oid, 'pg_proc') as description,
  p.proretset as returns_set,
  pg_catalog.format_type(p.prorettype, null) as return_type,
  rt.typtype::text as return_type_kind,
  rt.typrelid::int8::text as return_relid,
  p.provolatile::text as volatility,
  p.pronargs::int as nargs, p.pronargdefaults::int as ndefaults,
  p.proargnames::text[] as arg_names,
  array(select pg_catalog.format_type(x.t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]))
    with ordinality as x(t, i) order by x.i) as arg_types,
  array(select case when ty.typtype = 'd' then pg_catalog.format_type(ty.typbasetype, ty.typtypmod)
      else pg_catalog.format_type(x.t, null) end
    from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as x(t, i)
    join pg_catalog.pg_type ty on ty.oid = x.t order by x.i) as arg_sql_types,
  p.proargmodes::text[] as arg_modes
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
join pg_catalog.pg_type rt on rt.oid = p.prorettype
where n.nspname = any($1::text[]) and p.prokind = 'f'
order by n.nspname, p.proname, p.oid`;

export function toFunction(row: FunctionRow, columnsByRel: Map<string, Column[]>): DbFunction {
  const modes = row.arg_modes ?? row.arg_types.map(() => "i");
  const names = row.arg_names ?? [];
  const inputs: { name: string; type: string; sqlType: string; variadic: boolean }[] = [];
  const outputs: { name: string; type: string }[] = [];
  row.arg_types.forEach((type, i) => {
    const mode = modes[i];
    const name = names[i] ?? "";
    if (mode === "i" || mode === "b" || mode === "v") {
      inputs.push({ name, type, sqlType: row.arg_sql_types[i], variadic: mode === "v" });
    }
    if (mode === "o" || mode === "b" || mode === "t") outputs.push({ name, type });
  });
  const firstDefault = inputs.length - row.ndefaults;
  const params = inputs.map((input, i) => ({ ...input, hasDefault: i >= firstDefault }));
  const singleJsonParam = params.length === 1 && params[0].name === "" &&
    (params[0].type === "json" || params[0].type === "jsonb");

  let returns: ReturnShape;
  if (row.return_type === "void") returns = { kind: "void" };
  else if (row.return_type_kind === "c") {
    const columns = columnsByRel.get(row.return_relid) ?? [];
    returns = { kind: "composite", columns: columns.map((c) => ({ name: c.name, type: c.type })) };
  } else if (row.return_type === "record") {
    returns = { kind: "composite", columns: outputs.length > 0 ? outputs : null };
  } else returns = { kind: "scalar", type: row.return_type };

  return {
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    description: row.description,
    params,
    singleJsonParam,
    returnsSet: row.returns_set,
    returns,
    volatility: row.volatility,
    returnRelid: row.return_relid === "0" ? undefined : Number(row.return_relid),
  };
}
