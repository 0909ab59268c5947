/**
 * Building the read plan tree from the parsed query (PostgREST's readPlan): embeds resolved to
 * relationships, filters, logic trees, order and ranges attached to the node their path names,
 * aggregates checked against PGRST_DB_AGGREGATES_ENABLED.
 */
import { ApiError, notEmbedded } from "./errors.ts";
import { findRelationship } from "./plan-embed.ts";
import type { AtPath, QueryParams, SelectItem } from "./query-types.ts";
import type { EmbedNode, FieldItem, ReadNode } from "./read-tree.ts";
import { isToOne, type Relationship } from "./relationships.ts";
import type { SchemaCache, Table } from "./schema-cache.ts";
import { qualifiedName } from "./sql-fragments.ts";

export interface TreeContext {
  cache: SchemaCache;
  schema: string;
  aggregatesEnabled: boolean;
  nextAlias(): string;
}

export function aliasCounter(): () => string {
  let n = 0;
  return () => `pgrst_${n++}`;
}

export const tableColumns = (table: Table) => new Map(table.columns.map((c) => [c.name, c.type]));

/** A node reading `from` (SQL) as a fresh alias, with nothing selected or filtered yet. */
export function newNode(
  ctx: TreeContext,
  source: { label: string; columns: ReadNode["columns"]; table?: Table; from: string },
): ReadNode {
  return {
    ...source,
    qualifier: source.label,
    depth: 0,
    alias: ctx.nextAlias(),
    fields: [],
    embeds: [],
    filters: [],
    logic: [],
    order: [],
    offset: 0,
  };
}

function embedNode(
  ctx: TreeContext,
  parent: ReadNode,
  item: Extract<SelectItem, { kind: "embed" }>,
): EmbedNode {
  if (!parent.table) {
    throw new ApiError(
      400,
      "PGRST127",
      "Feature not implemented",
      `Embedding on '${parent.label}', which is not a table or view`,
    );
  }
  const rel: Relationship = findRelationship(
    ctx.cache.relationships,
    ctx.schema,
    parent.table,
    item.name,
    item.hint,
  );
  const table = rel.foreignTable;
  const base = newNode(ctx, {
    label: table.name,
    columns: tableColumns(table),
    table,
    from: qualifiedName(table.schema, table.name),
  });
  const depth = parent.depth + 1;
  const manyToMany = rel.kind === "fk" && rel.junction !== undefined;
  const node: EmbedNode = {
    ...base,
    depth,
    qualifier: manyToMany ? table.name : `${table.name}_${depth}`,
    name: item.name,
    outputName: item.alias ?? item.name,
    rel,
    toOne: isToOne(rel),
    join: item.join ?? "left",
    spread: item.spread,
    empty: item.children.length === 0,
    joinAlias: `${base.alias}_j`,
  };
  fill(ctx, node, item.children, true);
  return node;
}

/**
 * PostgREST names the lateral subquery of an embed `<parent>_<alias or name>_<depth>` (Plan.hs,
 * addRels: relAggAlias), so the same relation embedded twice without aliases makes Postgres refuse
 * the statement with 42712; the devstack refuses it the same way instead of answering a duplicate key.
 */
function rejectDuplicateEmbed(parent: ReadNode, embed: EmbedNode): void {
  const aggAlias = (e: EmbedNode) => `${parent.table?.name ?? parent.label}_${e.outputName}_${e.depth}`;
  const name = aggAlias(embed);
  if (parent.embeds.some((other) => aggAlias(other) === name)) {
    throw new ApiError(400, "42712", `table name "${name}" specified more than once`);
  }
}

/** Adds the select items to a node; `inEmbed` allows PostgREST's bare `count` (`rel(count)`). */
export function fill(ctx: TreeContext, node: ReadNode, items: SelectItem[], inEmbed = false): void {
  for (const item of items) {
    if (item.kind === "embed") {
      const embed = embedNode(ctx, node, item);
      rejectDuplicateEmbed(node, embed);
      node.embeds.push(embed);
      continue;
    }
    const bareCount = inEmbed && item.field.name === "count" && item.field.path.length === 0 && !item.cast &&
      !item.aggregate && !node.columns?.has("count");
    if (bareCount) {
      node.fields.push({
        kind: "field",
        field: { name: "*", path: [] },
        aggregate: "count",
        alias: item.alias,
      });
      continue;
    }
    if (item.aggregate && !ctx.aggregatesEnabled) {
      throw new ApiError(400, "PGRST123", "Use of aggregate functions is not allowed");
    }
    node.fields.push(item as FieldItem);
  }
}

function nodeAt(root: ReadNode, path: string[]): ReadNode {
  let node = root;
  for (const name of path) {
    const next = node.embeds.find((e) => e.outputName === name || e.name === name);
    if (!next) throw notEmbedded(name);
    node = next;
  }
  return node;
}

function attach<T>(root: ReadNode, entries: AtPath<T>[], put: (node: ReadNode, value: T) => void): void {
  for (const entry of entries) put(nodeAt(root, entry.path), entry.value);
}

/** Attaches filters, logic, order, limits and offsets to their nodes. */
export function attachModifiers(root: ReadNode, query: QueryParams): void {
  attach(root, query.filters, (node, filter) => node.filters.push(filter));
  attach(root, query.logic, (node, tree) => node.logic.push(tree));
  attach(root, query.order, (node, terms) => node.order.push(...terms));
  attach(root, query.limits, (node, limit) => node.limit = limit);
  attach(root, query.offsets, (node, offset) => node.offset = offset);
}
