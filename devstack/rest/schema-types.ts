/**
 * The shapes the schema cache holds (tables, columns, functions), apart from the loading code so
 * the modules that load parts of the cache (relationships, functions) depend on the shapes only.
 */

export interface Column {
  name: string;
  /** Type without modifier, as format_type prints it ("text", "timestamp with time zone", "text[]"). */
  type: string;
  /** Type with modifier, usable in SQL ("character varying(80)"). */
  sqlType: string;
  nullable: boolean;
  default: string | null;
  description: string | null;
  enum: string[] | null;
  maxLength: number | null;
}

export interface ForeignKey {
  column: string;
  foreignTable: string;
  foreignColumn: string;
}

export interface Table {
  oid: number;
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned, v view, m materialized view, f foreign table. */
  kind: string;
  description: string | null;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  columns: Column[];
  columnsByName: Map<string, Column>;
  primaryKey: string[];
  /** Single-column foreign keys of a table (for the OpenAPI notes). */
  foreignKeys: ForeignKey[];
  /** The row type as format_type prints it (how function parameters of this type read). */
  rowType: string;
  /** Computed fields: functions whose only required argument is a row of this table, by name. */
  computedFields: Map<string, DbFunction>;
}

export interface FunctionParam {
  name: string;
  type: string;
  sqlType: string;
  hasDefault: boolean;
  /** A VARIADIC parameter: named in a call as `VARIADIC name := array`. */
  variadic: boolean;
}

export type ReturnShape =
  | { kind: "void" }
  | { kind: "scalar"; type: string }
  /** A row type: columns known (table row type, OUT/TABLE parameters) or null (bare `record`). */
  | { kind: "composite"; columns: { name: string; type: string }[] | null };

export interface DbFunction {
  oid: number;
  schema: string;
  name: string;
  description: string | null;
  params: FunctionParam[];
  /** A single unnamed parameter of type json or jsonb: the whole body is passed to it. */
  singleJsonParam: boolean;
  returnsSet: boolean;
  returns: ReturnShape;
  /** pg_proc.provolatile: i immutable, s stable, v volatile. */
  volatility: string;
  /** The table whose row type the function returns, if any. */
  returnRelid?: number;
}
