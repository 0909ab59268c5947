/**
 * What the Data API knows about the database, loaded from pg_catalog: the tables, views and
 * functions of the exposed schemas, their columns, keys and arguments, and the per-role settings
 * applied on impersonation. Every identifier the API puts into SQL is looked up here first.
 */
import type { Sql } from "postgres";
import { loadRelationships, type Relationship } from "./relationships.ts";
import { type FunctionRow, functionsQuery, toFunction } from "./schema-functions.ts";
import type { Column, DbFunction, Table } from "./schema-types.ts";

export type { Column, DbFunction, ForeignKey, FunctionParam, ReturnShape, Table } from "./schema-types.ts";

export interface SchemaCache {
  tables: Map<string, Table>;
  functions: Map<string, DbFunction[]>;
  /** Settings applied with set_config when switching to a role (ALTER ROLE ... SET). */
  roleSettings: Map<string, [string, string][]>;
  /** A role's default_transaction_isolation: its requests' transactions begin at that level. */
  roleIsolation: Map<string, string>;
  relationships: Relationship[];
  /** Names accepted by `Prefer: timezone=` (pg_timezone_names). */
  timezones: Set<string>;
  loadedAt: Date;
}

export const cacheKey = (schema: string, name: string) => `${schema}\u0000${name}`;

export function findTable(cache: SchemaCache, schema: string, name: string): Table | undefined {
  return cache.tables.get(cacheKey(schema, name));
}

export function findFunctions(cache: SchemaCache, schema: string, name: string): DbFunction[] {
  return cache.functions.get(cacheKey(schema, name)) ?? [];
}

interface TableRow {
  oid: string;
  schema: string;
  name: string;
  kind: string;
  description: string | null;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  primary_key: string[];
  row_type: string;
}

interface ColumnRow {
  rel: string;
  name: string;
  type: string;
  sql_type: string;
  nullable: boolean;
  default: string | null;
  description: string | null;
  enum: string[] | null;
  max_length: number | null;
}

const tablesQuery = `
select c.oid::int8::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind,
  pg_catalog.obj_description(c.oid, 'pg_class') as description,
  (c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 8) = 8) as insertable,
  (c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 4) = 4) as updatable,
  (c.relkind in ('r', 'p') or (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 16) = 16) as deletable,
  coalesce((
    select pg_catalog.array_agg(a.attname::text order by k.ord)
    from pg_catalog.pg_constraint pk
    cross join lateral unnest(pk.conkey) with ordinality as k(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = pk.conrelid and a.attnum = k.attnum
    where pk.conrelid = c.oid and pk.contype = 'p'
  ), '{}') as primary_key,
  pg_catalog.format_type(c.reltype, null) as row_type
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')
order by n.nspname, c.relname`;

const columnsQuery = `
select a.attrelid::int8::text as rel, a.attname as name,
  pg_catalog.format_type(a.atttypid, null) as type,
  pg_catalog.format_type(a.atttypid, a.atttypmod) as sql_type,
  not a.attnotnull as nullable,
  -- PostgREST's column default (SchemaCache.hs): a domain's own, an identity's sequence, none for
  -- generated columns; Prefer: missing=default evaluates it.
  case
    when t.typbasetype <> 0 and d.adbin is null then pg_catalog.pg_get_expr(t.typdefaultbin, 0)
    when a.attidentity = 'd' then pg_catalog.format('nextval(%L)', (
      select s.objid::regclass from pg_catalog.pg_depend s
      where s.classid = 'pg_catalog.pg_class'::regclass and s.refobjid = a.attrelid
        and s.refobjsubid = a.attnum and s.deptype = 'i' limit 1))
    when a.attgenerated = 's' then null
    else pg_catalog.pg_get_expr(d.adbin, d.adrelid)
  end as default,
  pg_catalog.col_description(a.attrelid, a.attnum) as description,
  case when t.typtype = 'e' then array(
    select e.enumlabel::text from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder
  ) end as enum,
  case when a.atttypid in (1042, 1043) and a.atttypmod > 4 then a.atttypmod - 4 end as max_length
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_type t on t.oid = a.atttypid
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where (n.nspname = any($1::text[]) or c.oid = any($2::oid[])) and a.attnum > 0 and not a.attisdropped
order by a.attrelid, a.attnum`;

// As PostgREST's queryRoleSettings (src/PostgREST/Config/Database.hs): the database-independent
// settings (pg_roles.rolconfig) of each role the authenticator may switch to, values lower-cased,
// limited to what that role may SET; default_transaction_isolation is not applied as a setting but
// becomes the isolation level the role's transactions begin with.
const roleSettingsQuery = `
with role_setting as (
  select r.rolname, unnest(r.rolconfig) as setting
  from pg_catalog.pg_auth_members m
  join pg_catalog.pg_roles r on r.oid = m.roleid
  where m.member = current_user::regrole::oid
),
kv_settings as (
  select rolname, substr(setting, 1, strpos(setting, '=') - 1) as key,
    lower(substr(setting, strpos(setting, '=') + 1)) as value
  from role_setting
)
select kv.rolname as role, kv.key as name, kv.value as value
from kv_settings kv
join pg_catalog.pg_settings ps on ps.name = kv.key
  and (ps.context = 'user' or has_parameter_privilege(current_user::regrole::oid, ps.name, 'set'))
order by kv.rolname, kv.key`;

export async function loadSchemaCache(sql: Sql, schemas: string[]): Promise<SchemaCache> {
  return await sql.begin("read only", async (tx) => {
    const tableRows = await tx.unsafe<TableRow[]>(tablesQuery, [schemas]);
    const functionRows = await tx.unsafe<FunctionRow[]>(functionsQuery, [schemas]);
    const returnRelids = [...new Set(functionRows.map((f) => f.return_relid).filter((oid) => oid !== "0"))];
    const columnRows = await tx.unsafe<ColumnRow[]>(columnsQuery, [schemas, returnRelids]);
    const settingRows = await tx.unsafe<{ role: string; name: string; value: string }[]>(roleSettingsQuery);

    const columnsByRel = new Map<string, Column[]>();
    for (const row of columnRows) {
      const list = columnsByRel.get(row.rel) ?? [];
      list.push({
        name: row.name,
        type: row.type,
        sqlType: row.sql_type,
        nullable: row.nullable,
        default: row.default,
        description: row.description,
        enum: row.enum,
        maxLength: row.max_length,
      });
      columnsByRel.set(row.rel, list);
    }

    const tables = new Map<string, Table>();
    for (const row of tableRows) {
      const columns = columnsByRel.get(row.oid) ?? [];
      tables.set(cacheKey(row.schema, row.name), {
        oid: Number(row.oid),
        schema: row.schema,
        name: row.name,
        kind: row.kind,
        description: row.description,
        insertable: row.insertable,
        updatable: row.updatable,
        deletable: row.deletable,
        columns,
        columnsByName: new Map(columns.map((column) => [column.name, column])),
        primaryKey: row.primary_key,
        foreignKeys: [],
        rowType: row.row_type,
        computedFields: new Map(),
      });
    }

    const functions = new Map<string, DbFunction[]>();
    for (const row of functionRows) {
      const fn = toFunction(row, columnsByRel);
      const key = cacheKey(fn.schema, fn.name);
      functions.set(key, [...(functions.get(key) ?? []), fn]);
    }

    addComputedFields([...tables.values()], [...functions.values()].flat());

    const roleSettings = new Map<string, [string, string][]>();
    const roleIsolation = new Map<string, string>();
    for (const row of settingRows) {
      if (row.name === "default_transaction_isolation") {
        // PostgREST's toIsolationLevel: anything else is read committed.
        if (row.value === "repeatable read" || row.value === "serializable") {
          roleIsolation.set(row.role, row.value);
        }
        continue;
      }
      roleSettings.set(row.role, [...(roleSettings.get(row.role) ?? []), [row.name, row.value]]);
    }

    const relationships = await loadRelationships(tx, [...tables.values()], [...functions.values()].flat());
    for (const rel of relationships) {
      if (rel.kind !== "fk" || rel.columns.length !== 1 || rel.table.kind === "v") continue;
      if (rel.cardinality !== "many-to-one" && rel.cardinality !== "one-to-one") continue;
      if (rel.table.foreignKeys.some((fk) => fk.column === rel.columns[0][0])) continue;
      const [column, foreignColumn] = rel.columns[0];
      rel.table.foreignKeys.push({ column, foreignTable: rel.foreignTable.name, foreignColumn });
    }
    const zones = await tx.unsafe<{ name: string }[]>("select name from pg_catalog.pg_timezone_names");
    const timezones = new Set(zones.map((z) => z.name));
    return { tables, functions, roleSettings, roleIsolation, relationships, timezones, loadedAt: new Date() };
  });
}

/**
 * A function taking a table's row as its only required argument reads as a column of that table
 * (PostgreSQL's functional notation `t.fn`, which PostgREST relies on for computed fields).
 */
function addComputedFields(tables: Table[], functions: DbFunction[]): void {
  for (const fn of functions) {
    const [first, ...rest] = fn.params;
    if (!first || fn.returns.kind === "void" || rest.some((p) => !p.hasDefault)) continue;
    for (const table of tables) {
      const takesRow = first.type === table.rowType || first.type === `${table.schema}.${table.name}`;
      if (takesRow && !table.columnsByName.has(fn.name)) table.computedFields.set(fn.name, fn);
    }
  }
}
