/** The read plan: GET and HEAD on a table or view. */
import type { ApiRequest } from "./api-request.ts";
import type { RestConfig } from "./config.ts";
import { ApiError } from "./errors.ts";
import { aliasCounter, attachModifiers, fill, newNode, tableColumns, type TreeContext } from "./plan-tree.ts";
import type { Execution } from "./query.ts";
import { parseQueryParams } from "./query-params.ts";
import type { ReadNode } from "./read-tree.ts";
import { findTable, type SchemaCache, type Table } from "./schema-cache.ts";
import { Params, qualifiedName } from "./sql-fragments.ts";
import { buildCountSource, buildRead } from "./sql-read.ts";
import { closest } from "./suggest.ts";

export function lookupTable(cache: SchemaCache, schema: string, name: string): Table {
  const table = findTable(cache, schema, name);
  if (table) return table;
  const names = [...cache.tables.values()].filter((t) => t.schema === schema).map((t) => t.name);
  const suggestion = closest(name, names);
  throw new ApiError(
    404,
    "PGRST205",
    `Could not find the table '${schema}.${name}' in the schema cache`,
    null,
    suggestion ? `Perhaps you meant the table '${schema}.${suggestion}'` : null,
  );
}

export interface ReadPlan extends Execution {
  offset: number;
}

export function treeContext(request: ApiRequest, cache: SchemaCache, config: RestConfig): TreeContext {
  return {
    cache,
    schema: request.schema,
    aggregatesEnabled: config.dbAggregatesEnabled,
    nextAlias: aliasCounter(),
  };
}

export function tableNode(
  ctx: TreeContext,
  table: Table,
  from = qualifiedName(table.schema, table.name),
): ReadNode {
  return newNode(ctx, { label: table.name, columns: tableColumns(table), table, from });
}

/** The root's page: `limit`/`offset`, narrowed by a Range header (GET) and PGRST_DB_MAX_ROWS. */
export function restrictRoot(root: ReadNode, request: ApiRequest, maxRows: number | undefined): void {
  const range = request.range;
  if (range) {
    const paramUpper = root.limit === undefined ? Infinity : root.offset + root.limit - 1;
    const upper = Math.min(paramUpper, range.upper ?? Infinity);
    root.offset = Math.max(root.offset, range.lower);
    root.limit = upper === Infinity ? undefined : Math.max(0, upper - root.offset + 1);
  }
  if (maxRows !== undefined) root.limit = Math.min(root.limit ?? maxRows, maxRows);
}

/** Execution of a read of `root`, with the count the request prefers. */
export function readExecution(
  request: ApiRequest,
  root: ReadNode,
  config: RestConfig,
  source: { params: Params; withSource?: string; insertedCount?: boolean } = { params: new Params() },
): ReadPlan {
  const count = request.prefs.count;
  const media = request.media;
  const countParams = source.params.clone();
  const statement = buildRead(root, source.params, {
    media,
    stripNulls: request.stripNulls,
    count: count === "exact" || count === "estimated",
    withSource: source.withSource,
    insertedCount: source.insertedCount,
  });
  const plan: ReadPlan = {
    statement,
    readOnly: true,
    returnsBody: true,
    single: media === "object",
    offset: root.offset,
  };
  if (count === "planned" || count === "estimated") {
    plan.count = { mode: count, statement: buildCountSource(root, countParams), maxRows: config.dbMaxRows };
  }
  return plan;
}

export function planRead(
  request: ApiRequest,
  table: Table,
  cache: SchemaCache,
  config: RestConfig,
): ReadPlan {
  const query = parseQueryParams(request.url.searchParams);
  const ctx = treeContext(request, cache, config);
  const root = tableNode(ctx, table);
  fill(ctx, root, query.select);
  attachModifiers(root, query);
  restrictRoot(root, request, config.dbMaxRows);
  return readExecution(request, root, config);
}
