/**
 * Query building for reads: one SELECT per node of the read plan tree, embedded resources as
 * LATERAL subqueries (json_agg for to-many, row_to_json for to-one, columns for spreads), and
 * the outer statement that counts and serialises the rows.
 */
import { ApiError } from "./errors.ts";
import type { ResponseMedia } from "./media.ts";
import type { LogicTree } from "./query-types.ts";
import type { EmbedNode, FieldItem, ReadNode } from "./read-tree.ts";
import { condition, logicCondition, orderClause } from "./sql-filter.ts";
import {
  bodyExpression,
  columnRef,
  fieldExpr,
  type Params,
  quoteIdent,
  type Statement,
} from "./sql-fragments.ts";
import { castTypeSql } from "./sql-cast.ts";
import { embedFrom, joinCondition } from "./sql-related.ts";

/** The key a selected field has in the result. */
export function outputName(item: FieldItem): string {
  if (item.alias !== undefined) return item.alias;
  if (item.aggregate) return item.aggregate;
  const keys = item.field.path.filter((step) => !step.index);
  if (item.field.path.length > 0) return keys.length > 0 ? keys[keys.length - 1].key : item.field.name;
  return item.field.name;
}

/** Output column names of a node (for spreads). */
export function outputNames(node: ReadNode): string[] {
  const names: string[] = [];
  for (const item of node.fields) {
    if (item.field.name === "*" && !item.aggregate) names.push(...(node.columns?.keys() ?? []));
    else names.push(outputName(item));
  }
  for (const embed of node.embeds) {
    if (embed.empty) continue;
    if (embed.spread) names.push(...outputNames(embed));
    else names.push(embed.outputName);
  }
  return names;
}

function fieldSql(node: ReadNode, item: FieldItem, params: Params): { sql: string; grouped: boolean } {
  if (item.field.name === "*" && item.field.path.length === 0) {
    if (item.aggregate === "count") {
      const count = "pg_catalog.count(*)";
      const sql = item.aggregateCast ? `cast(${count} as ${castTypeSql(item.aggregateCast)})` : count;
      return { sql: `${sql} as ${quoteIdent(outputName(item))}`, grouped: false };
    }
    return { sql: `${quoteIdent(node.alias)}.*`, grouped: true };
  }
  let sql = fieldExpr(node, item.field, params);
  if (item.cast) sql = `cast(${sql} as ${castTypeSql(item.cast)})`;
  if (item.aggregate) {
    sql = `pg_catalog.${item.aggregate}(${sql})`;
    if (item.aggregateCast) sql = `cast(${sql} as ${castTypeSql(item.aggregateCast)})`;
  }
  return { sql: `${sql} as ${quoteIdent(outputName(item))}`, grouped: !item.aggregate };
}

function namesIn(trees: LogicTree[]): string[] {
  return trees.flatMap((t) => t.kind === "filter" ? [t.filter.field.name] : namesIn(t.children));
}

function lateral(node: ReadNode, embed: EmbedNode, params: Params, countOnly: boolean): string {
  const r = quoteIdent(`${embed.alias}_r`);
  const child = nodeSelect(embed, params, { correlate: node, countOnly: countOnly || embed.empty });
  const present = `case when pg_catalog.count(*) > 0 then true end as pgrst_present`;
  let select: string;
  if (countOnly || embed.empty) select = `select ${present}`;
  else if (embed.spread && embed.toOne) select = `select ${r}.*, true as pgrst_present`;
  else if (embed.spread) {
    const cols = outputNames(embed).map((n) =>
      `pg_catalog.json_agg(${r}.${quoteIdent(n)}) as ${quoteIdent(n)}`
    );
    select = `select ${[...cols, present].join(", ")}`;
  } else if (embed.toOne) select = `select pg_catalog.row_to_json(${r}) as body, true as pgrst_present`;
  else select = `select pg_catalog.json_agg(${r}) as body, ${present}`;
  return ` left join lateral (${select} from (${child}) ${r}) ${quoteIdent(embed.joinAlias)} on true`;
}

export interface NodeOptions {
  /** The parent whose row this node's rows join to. */
  correlate?: ReadNode;
  /** Only the rows matter (counting, existence): select nothing but what filters need. */
  countOnly?: boolean;
}

export function nodeSelect(node: ReadNode, params: Params, options: NodeOptions = {}): string {
  const countOnly = options.countOnly ?? false;
  const filterNames = new Set([...node.filters.map((f) => f.field.name), ...namesIn(node.logic)]);
  const embeds = node.embeds.filter((e) =>
    !countOnly || e.join === "inner" || filterNames.has(e.outputName) || filterNames.has(e.name)
  );
  const columns: string[] = [];
  const groupBy: string[] = [];
  let aggregated = false;
  if (!countOnly) {
    for (const item of node.fields) {
      const { sql, grouped } = fieldSql(node, item, params);
      columns.push(sql);
      if (grouped) groupBy.push(sql.replace(/ as "(?:[^"]|"")*"$/, ""));
      else aggregated = true;
    }
    if (aggregated && node.embeds.some((e) => !e.empty)) {
      throw new ApiError(
        400,
        "PGRST127",
        "Feature not implemented",
        "Aggregates next to embedded resources on the same level",
      );
    }
    for (const embed of node.embeds) {
      const j = quoteIdent(embed.joinAlias);
      if (embed.empty) continue;
      if (embed.spread) columns.push(...outputNames(embed).map((n) => `${j}.${quoteIdent(n)}`));
      else if (embed.toOne) columns.push(`${j}.body as ${quoteIdent(embed.outputName)}`);
      else columns.push(`coalesce(${j}.body, '[]') as ${quoteIdent(embed.outputName)}`);
    }
  }
  if (columns.length === 0) columns.push("1 as pgrst_one");
  const from = options.correlate ? embedFrom(options.correlate, node as EmbedNode) : node.from;
  let sql = `select ${columns.join(", ")} from ${from} ${quoteIdent(node.alias)}`;
  for (const embed of embeds) sql += lateral(node, embed, params, countOnly && embed.join !== "inner");
  const where = options.correlate ? joinCondition(options.correlate, node as EmbedNode) : [];
  where.push(...node.filters.map((f) => condition(node, f, params)));
  where.push(...node.logic.map((t) => logicCondition(node, t, params)));
  where.push(
    ...embeds.filter((e) => e.join === "inner").map((e) => `${quoteIdent(e.joinAlias)}.pgrst_present`),
  );
  if (where.length > 0) sql += ` where ${where.join(" and ")}`;
  if (aggregated && groupBy.length > 0) sql += ` group by ${groupBy.join(", ")}`;
  if (!countOnly) {
    sql += orderClause(node, node.order, params);
    if (node.limit !== undefined) sql += ` limit ${params.add(String(node.limit))}`;
    if (node.offset > 0) sql += ` offset ${params.add(String(node.offset))}`;
  }
  return sql;
}

export interface ReadOptions {
  media: ResponseMedia;
  stripNulls?: boolean;
  /** Compute the total (exact) row count of the filtered source. */
  count: boolean;
  /** A data-modifying CTE (`pgrst_source`) the root node reads from. */
  withSource?: string;
  /** Also count the source rows flagged `pgrst_inserted` (upserts: inserted, not updated). */
  insertedCount?: boolean;
}

/** The statement that reads the root node: total_count, page_count and the serialised body. */
export function buildRead(root: ReadNode, params: Params, options: ReadOptions): Statement {
  const total = options.count
    ? `(select pg_catalog.count(*) from (${nodeSelect(root, params, { countOnly: true })}) pgrst_c)::int8`
    : "null::int8";
  const select = nodeSelect(root, params);
  const inserted = options.insertedCount
    ? ", (select pg_catalog.count(*) from pgrst_source where pgrst_source.pgrst_inserted)::int8 as inserted_count"
    : "";
  const text = `with ${options.withSource ? `pgrst_source as (${options.withSource}), ` : ""}` +
    `pgrst_page as (${select}) select ${total} as total_count, pg_catalog.count(*)::int8 as page_count, ` +
    `${
      bodyExpression(options.media, "_postgrest_t", options.stripNulls)
    } as body${inserted} from pgrst_page _postgrest_t`;
  return { text, params: params.values };
}

/** The rows a read counts, for EXPLAIN (count=planned|estimated). */
export function buildCountSource(root: ReadNode, params: Params): Statement {
  return {
    text: `select 1 from (${nodeSelect(root, params, { countOnly: true })}) pgrst_c`,
    params: params.values,
  };
}

/** Checks that a node's column names exist (used before building, so errors name the node). */
export function checkColumns(node: ReadNode): void {
  for (const item of node.fields) if (item.field.name !== "*") columnRef(node, item.field.name);
}
