/**
 * The mutate plan: POST (insert, upsert), PATCH (update) and DELETE on a table or view, with the
 * representation read back through the read plan tree (so it may embed) when asked for.
 */
import type { ApiRequest } from "./api-request.ts";
import type { RestConfig } from "./config.ts";
import { ApiError, invalidBody } from "./errors.ts";
import { readExecution, tableNode, treeContext } from "./plan-read.ts";
import { attachModifiers, fill } from "./plan-tree.ts";
import type { Execution } from "./query.ts";
import { putSpec } from "./plan-put.ts";
import { parseQueryParams } from "./query-params.ts";
import { checkContentType, isPlainObject, parseJsonBody, readBodyText } from "./request-body.ts";
import type { SchemaCache, Table } from "./schema-cache.ts";
import { Params, quoteIdent } from "./sql-fragments.ts";
import { deleteSql, type InsertSpec, insertSql, updateSql } from "./sql-mutate.ts";

export interface MutatePlan extends Execution {
  kind: "insert" | "update" | "delete" | "put";
  /** A merge-duplicates upsert: 201 only when it inserted a row, else 200 (as PostgREST). */
  countsInserted: boolean;
  /** An update with an empty body: nothing is run. */
  noop: boolean;
}

function columnNotFound(table: Table, column: string): ApiError {
  return new ApiError(
    400,
    "PGRST204",
    `Could not find the '${column}' column of '${table.name}' in the schema cache`,
  );
}

export const notImplemented = (details: string) =>
  new ApiError(400, "PGRST127", "Feature not implemented", details);

async function insertSpec(
  request: ApiRequest,
  table: Table,
  columnsParam: string[] | undefined,
  onConflict: string[] | undefined,
  maxBytes: number,
): Promise<InsertSpec> {
  const text = await readBodyText(request.req, maxBytes);
  const parsed = parseJsonBody(text);
  const isArray = Array.isArray(parsed);
  const rows = isArray ? parsed : [parsed];
  if (!rows.every(isPlainObject)) {
    throw invalidBody("Empty or invalid json", "Expected a JSON object or an array of JSON objects.");
  }
  let columns: string[];
  if (columnsParam) columns = columnsParam;
  else {
    columns = rows.length > 0 ? Object.keys(rows[0]) : [];
    const signature = [...columns].sort().join("\u0000");
    if (rows.some((row) => Object.keys(row).sort().join("\u0000") !== signature)) {
      throw invalidBody("All object keys must match");
    }
  }
  for (const column of columns) if (!table.columnsByName.has(column)) throw columnNotFound(table, column);
  const resolution = request.prefs.resolution;
  let conflict: InsertSpec["onConflict"];
  if (resolution) {
    const target = onConflict ?? table.primaryKey;
    if (target.length === 0) {
      throw notImplemented(
        `Prefer: resolution=${resolution} on '${table.name}', which has no primary key; name the unique columns with on_conflict`,
      );
    }
    conflict = { columns: target, resolution };
  }
  return {
    columns,
    payload: isArray ? text : `[${text}]`,
    missingDefault: request.prefs.missing === "default",
    onConflict: conflict,
  };
}

export async function planMutate(
  request: ApiRequest,
  table: Table,
  cache: SchemaCache,
  config: RestConfig,
): Promise<MutatePlan> {
  const query = parseQueryParams(request.url.searchParams);
  const ctx = treeContext(request, cache, config);
  const target = tableNode(ctx, table);
  // A merge upsert reads the source through the table's columns: the source also flags inserts.
  // (ON CONFLICT DO UPDATE needs the SELECT policy already, so reading the rows back costs none.)
  const countsInserted = request.method === "PUT" ||
    (request.method === "POST" && request.prefs.resolution === "merge-duplicates");
  const columns = table.columns.map((c) => quoteIdent(c.name)).join(", ");
  const read = tableNode(
    ctx,
    table,
    countsInserted ? `(select ${columns} from pgrst_source)` : "pgrst_source",
  );
  const representation = request.prefs.return === "representation";
  const headersOnly = request.prefs.return === "headers-only" && request.method === "POST";
  if (representation) fill(ctx, read, query.select);
  else if (headersOnly) {
    for (const name of table.primaryKey) read.fields.push({ kind: "field", field: { name, path: [] } });
  }
  attachModifiers(read, query);
  target.filters = read.filters;
  target.logic = read.logic;
  read.filters = [];
  read.logic = [];
  if (request.method === "PUT") {
    const spec = await putSpec(
      request,
      table,
      { ...target, limit: read.limit, offset: read.offset },
      config.maxBodyBytes,
    );
    for (const column of spec.columns) {
      if (!table.columnsByName.has(column)) throw columnNotFound(table, column);
    }
    const params = new Params();
    const mutation = insertSql(table, spec, params, true, true);
    const base = readExecution({ ...request, prefs: { ...request.prefs, count: undefined } }, read, config, {
      params,
      withSource: mutation,
      insertedCount: true,
    });
    return { ...base, kind: "put", countsInserted, noop: false, readOnly: false };
  }
  if (request.method !== "POST" && (read.limit !== undefined || read.offset > 0 || read.order.length > 0)) {
    // PostgREST's limited update/delete: the rows are picked by ctid, which only tables have.
    if (table.kind !== "r") throw notImplemented(`limit, offset or order on ${request.method} of a view`);
    target.limit = read.limit;
    target.offset = read.offset;
    target.order = read.order;
    read.limit = undefined;
    read.offset = 0;
    read.order = [];
  }
  const params = new Params();
  const returning = representation || headersOnly || request.media === "object" || countsInserted;
  const kind = request.method === "POST" ? "insert" : request.method === "PATCH" ? "update" : "delete";
  let mutation: string;
  if (kind === "delete") mutation = deleteSql(table, target, params, returning);
  else {
    checkContentType(request.req.headers);
    if (kind === "insert") {
      mutation = insertSql(
        table,
        await insertSpec(request, table, query.columns, query.onConflict, config.maxBodyBytes),
        params,
        returning,
        countsInserted,
      );
    } else {
      const text = await readBodyText(request.req, config.maxBodyBytes);
      const parsed = parseJsonBody(text);
      if (!isPlainObject(parsed)) {
        throw invalidBody("Empty or invalid json", "PATCH expects a single JSON object.");
      }
      // As for inserts, `columns=` names the columns to set (Plan.hs: the payload's keys otherwise).
      const names = query.columns ?? Object.keys(parsed);
      for (const column of names) if (!table.columnsByName.has(column)) throw columnNotFound(table, column);
      if (names.length === 0) {
        return {
          kind,
          countsInserted,
          noop: true,
          statement: { text: "", params: [] },
          readOnly: false,
          returnsBody: false,
          single: request.media === "object",
        };
      }
      const missingDefault = request.prefs.missing === "default";
      mutation = updateSql(table, target, { names, payload: text, missingDefault }, params, returning);
    }
  }
  const maxAffected = kind !== "insert" && request.prefs.handling === "strict"
    ? request.prefs.maxAffected
    : undefined;
  if (!returning) {
    return {
      kind,
      countsInserted,
      noop: false,
      statement: { text: mutation, params: params.values },
      readOnly: false,
      returnsBody: false,
      single: false,
      maxAffected,
    };
  }
  const base = readExecution({ ...request, prefs: { ...request.prefs, count: undefined } }, read, config, {
    params,
    withSource: mutation,
    insertedCount: countsInserted,
  });
  return { ...base, kind, countsInserted, noop: false, readOnly: false, maxAffected };
}
