/** The read plan tree (PostgREST's ReadPlanTree): what the read plan produces and the query builder reads. */
import type { Field, Filter, LogicTree, OrderTerm, SelectItem } from "./query-types.ts";
import type { Relationship } from "./relationships.ts";
import type { Table } from "./schema-cache.ts";

export type FieldItem = Extract<SelectItem, { kind: "field" }>;

export interface ReadNode {
  /** Name used in error messages (table, view or function name). */
  label: string;
  /**
   * How Postgres names this node's relation in an error about its columns: PostgREST (Plan.hs,
   * addRels) aliases an embedded table `<table>_<depth>` (many-to-many ones keep their name).
   */
  qualifier: string;
  /** 0 for the root, 1 for what it embeds, and so on. */
  depth: number;
  /** Column name → type as format_type prints it; null when unknown (untyped record). */
  columns: ReadonlyMap<string, string> | null;
  table?: Table;
  /** SQL of the FROM item, without alias. */
  from: string;
  /** SQL alias of this node's FROM item. */
  alias: string;
  fields: FieldItem[];
  embeds: EmbedNode[];
  filters: Filter[];
  logic: LogicTree[];
  order: OrderTerm[];
  limit?: number;
  offset: number;
}

export interface EmbedNode extends ReadNode {
  /** The name in the request (table, view, constraint, column or function). */
  name: string;
  /** The key of the embedded value in the result (alias, else name). */
  outputName: string;
  rel: Relationship;
  toOne: boolean;
  join: "inner" | "left";
  spread: boolean;
  /** `rel()`: used for filtering only, not in the output. */
  empty: boolean;
  /** `rel=is.null` / `rel=not.is.null` on the parent. */
  nullFilter?: "null" | "not_null";
  /** Alias of the lateral subquery that carries this embed's value. */
  joinAlias: string;
}

export const fieldKey = (field: Field) => field.name;
