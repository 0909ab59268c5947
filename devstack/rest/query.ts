/**
 * The query stage (PostgREST's Query module): runs a planned statement in the request's
 * transaction and reads back what the response needs — counts, body and the response.* settings.
 * Row-count rules that must roll the transaction back (object media type) are enforced here.
 */
import type { RestConfig } from "./config.ts";
import { singularityError } from "./errors.ts";
import type { ApiRequest } from "./api-request.ts";
import type { Overrides } from "./response.ts";
import type { SchemaCache } from "./schema-cache.ts";
import type { ResultRow, Statement } from "./sql-fragments.ts";
import { inRequestTransaction, type RequestScope, responseOverrides, type Sql } from "./transaction.ts";

export interface QueryContext {
  sql: Sql;
  config: RestConfig;
  cache(): SchemaCache;
}

export interface QueryResult {
  /** Rows in the page (reads) or rows touched (mutations). */
  rows: number;
  total: number | null;
  body: string | null;
  overrides: Overrides;
}

export interface Execution {
  statement: Statement;
  readOnly: boolean;
  /** The statement returns a ResultRow (else only its command count is used). */
  returnsBody: boolean;
  /** Anything but exactly one row is an error (406 PGRST116) and rolls back. */
  single: boolean;
}

export function scopeOf(request: ApiRequest, config: RestConfig, readOnly: boolean): RequestScope {
  return {
    auth: request.auth,
    anonRole: config.dbAnonRole,
    method: request.method,
    path: request.url.pathname,
    headers: request.req.headers,
    schema: request.schema,
    extraSearchPath: config.dbExtraSearchPath,
    readOnly,
  };
}

export async function runQuery(
  ctx: QueryContext,
  request: ApiRequest,
  plan: Execution,
): Promise<QueryResult> {
  const scope = scopeOf(request, ctx.config, plan.readOnly);
  return await inRequestTransaction(ctx.sql, ctx.cache(), scope, async (tx) => {
    const result = await tx.unsafe(plan.statement.text, plan.statement.params);
    let rows: number;
    let total: number | null = null;
    let body: string | null = null;
    if (plan.returnsBody) {
      const row = result[0] as unknown as ResultRow;
      rows = Number(row.page_count);
      total = row.total_count === null ? null : Number(row.total_count);
      body = row.body;
    } else rows = result.count;
    if (plan.single && rows !== 1) throw singularityError(rows);
    return { rows, total, body, overrides: await responseOverrides(tx) };
  });
}
