/**
 * Relationships between the tables and views of the exposed schemas, detected as PostgREST
 * detects them: many-to-one and one-to-one from foreign keys (one-to-one when the key columns are
 * unique), their inverses, many-to-many through a junction whose primary key holds both foreign
 * keys' columns, the same over views that expose the key columns under their names, and computed
 * relationships (functions taking a row of one table and returning rows of another).
 */
import type postgres from "postgres";
import type { DbFunction, Table } from "./schema-types.ts";

export type Cardinality = "many-to-one" | "one-to-many" | "one-to-one" | "many-to-many";

export interface Junction {
  table: Table;
  constraint1: string;
  constraint2: string;
  /** (junction column, origin column) */
  sourceColumns: [string, string][];
  /** (junction column, target column) */
  targetColumns: [string, string][];
}

export type Relationship =
  | {
    kind: "fk";
    table: Table;
    foreignTable: Table;
    cardinality: Cardinality;
    constraint: string;
    /** (origin column, foreign column) */
    columns: [string, string][];
    junction?: Junction;
    isSelf: boolean;
  }
  | { kind: "computed"; table: Table; foreignTable: Table; fn: DbFunction; toOne: boolean };

export const isToOne = (rel: Relationship) =>
  rel.kind === "computed" ? rel.toOne : rel.cardinality === "many-to-one" || rel.cardinality === "one-to-one";

interface ForeignKeyRow {
  constraint: string;
  rel: string;
  columns: string[];
  foreign_rel: string;
  foreign_columns: string[];
  unique: boolean;
}

interface ViewColumnRow {
  view: string;
  column: string;
  base: string;
}

const foreignKeysQuery = `
select fk.conname as constraint, fk.conrelid::int8::text as rel, fk.confrelid::int8::text as foreign_rel,
  array(select a.attname::text from unnest(fk.conkey) with ordinality k(n, i)
    join pg_catalog.pg_attribute a on a.attrelid = fk.conrelid and a.attnum = k.n order by k.i) as columns,
  array(select a.attname::text from unnest(fk.confkey) with ordinality k(n, i)
    join pg_catalog.pg_attribute a on a.attrelid = fk.confrelid and a.attnum = k.n order by k.i) as foreign_columns,
  exists (select 1 from pg_catalog.pg_constraint u where u.conrelid = fk.conrelid and u.contype in ('p', 'u')
    and u.conkey operator(pg_catalog.<@) fk.conkey and fk.conkey operator(pg_catalog.<@) u.conkey) as unique
from pg_catalog.pg_constraint fk
where fk.contype = 'f' and fk.conparentid = 0 and fk.conrelid = any($1::oid[]) and fk.confrelid = any($1::oid[])
order by fk.conname`;

// A view column that is a base table column under the same name (pg_depend through the view's rule).
const viewColumnsQuery = `
select distinct r.ev_class::int8::text as view, a.attname::text as column, d.refobjid::int8::text as base
from pg_catalog.pg_rewrite r
join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = r.oid
  and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjsubid > 0 and d.refobjid <> r.ev_class
join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
join pg_catalog.pg_attribute va on va.attrelid = r.ev_class and va.attname = a.attname and not va.attisdropped
where r.ev_class = any($1::oid[]) and r.rulename = '_RETURN'`;

export async function loadRelationships(
  tx: postgres.TransactionSql,
  tables: Table[],
  functions: DbFunction[],
): Promise<Relationship[]> {
  const byOid = new Map(tables.map((t) => [String(t.oid), t]));
  const oids = [...byOid.keys()];
  const fkRows = await tx.unsafe<ForeignKeyRow[]>(foreignKeysQuery, [oids]);
  const viewRows = await tx.unsafe<ViewColumnRow[]>(
    viewColumnsQuery,
    [tables.filter((t) => t.kind === "v" || t.kind === "m").map((t) => String(t.oid))],
  );
  const rels: Relationship[] = [];
  for (const row of fkRows) {
    const table = byOid.get(row.rel)!;
    const foreignTable = byOid.get(row.foreign_rel)!;
    const columns = row.columns.map((c, i): [string, string] => [c, row.foreign_columns[i]]);
    for (const origin of [table, ...viewsCovering(table, row.columns, viewRows, byOid)]) {
      for (
        const target of [foreignTable, ...viewsCovering(foreignTable, row.foreign_columns, viewRows, byOid)]
      ) {
        const isSelf = origin === target;
        const cardinality = row.unique ? "one-to-one" : "many-to-one";
        rels.push({
          kind: "fk",
          table: origin,
          foreignTable: target,
          cardinality,
          constraint: row.constraint,
          columns,
          isSelf,
        });
        rels.push({
          kind: "fk",
          table: target,
          foreignTable: origin,
          cardinality: row.unique ? "one-to-one" : "one-to-many",
          constraint: row.constraint,
          columns: columns.map(([a, b]) => [b, a]),
          isSelf,
        });
      }
    }
  }
  rels.push(...manyToMany(rels), ...computed(tables, functions));
  return rels;
}

function viewsCovering(
  table: Table,
  columns: string[],
  viewRows: ViewColumnRow[],
  byOid: Map<string, Table>,
): Table[] {
  const views = new Set(viewRows.filter((r) => r.base === String(table.oid)).map((r) => r.view));
  return [...views].filter((view) =>
    columns.every((c) =>
      viewRows.some((r) => r.view === view && r.base === String(table.oid) && r.column === c)
    )
  ).map((view) => byOid.get(view)!).filter((view) => view !== undefined);
}

function manyToMany(rels: Relationship[]): Relationship[] {
  const result: Relationship[] = [];
  const m2o = rels.filter((r) => r.kind === "fk" && r.cardinality === "many-to-one" && r.table.kind !== "v");
  for (const a of m2o) {
    for (const b of m2o) {
      if (
        a.kind !== "fk" || b.kind !== "fk" || a === b || a.table !== b.table || a.constraint === b.constraint
      ) {
        continue;
      }
      const junction = a.table;
      const keyColumns = [...a.columns.map(([c]) => c), ...b.columns.map(([c]) => c)];
      if (junction.primaryKey.length === 0 || !keyColumns.every((c) => junction.primaryKey.includes(c))) {
        continue;
      }
      result.push({
        kind: "fk",
        table: a.foreignTable,
        foreignTable: b.foreignTable,
        cardinality: "many-to-many",
        constraint: junction.name,
        columns: [],
        isSelf: a.foreignTable === b.foreignTable,
        junction: {
          table: junction,
          constraint1: a.constraint,
          constraint2: b.constraint,
          sourceColumns: a.columns.map(([j, o]) => [j, o]),
          targetColumns: b.columns.map(([j, t]) => [j, t]),
        },
      });
    }
  }
  return result;
}

function computed(tables: Table[], functions: DbFunction[]): Relationship[] {
  const result: Relationship[] = [];
  for (const fn of functions) {
    if (fn.params.length !== 1 || fn.returns.kind !== "composite" || fn.returnRelid === undefined) continue;
    const table = tables.find((t) =>
      t.rowType === fn.params[0].type || `${t.schema}.${t.name}` === fn.params[0].type
    );
    const foreignTable = tables.find((t) => t.oid === fn.returnRelid);
    if (table && foreignTable) {
      result.push({ kind: "computed", table, foreignTable, fn, toOne: !fn.returnsSet });
    }
  }
  return result;
}
