/**
 * The query stage (PostgREST's Query module): runs a planned statement in the request's
 * transaction and reads back what the response needs — counts, body and the response.* settings.
 * Row-count rules that must roll the transaction back (object media type, max-affected) are
 * enforced here, and the transaction ends as PGRST_DB_TX_END and `Prefer: tx=` say.
 */
import type { RestConfig } from "./config.ts";
import { ApiError, singularityError } from "./errors.ts";
import type { ApiRequest } from "./api-request.ts";
import { rollsBack } from "./preferences.ts";
import type { Overrides } from "./response.ts";
import type { SchemaCache } from "./schema-cache.ts";
import type { ResultRow, Statement } from "./sql-fragments.ts";
import {
  inRequestTransaction,
  type RequestScope,
  responseOverrides,
  type Sql,
  type Tx,
} from "./transaction.ts";

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
  /** Rows an upsert inserted (rather than updated), when the plan counts them. */
  inserted?: number;
  overrides: Overrides;
}

export interface Execution {
  statement: Statement;
  readOnly: boolean;
  /** The statement returns a ResultRow (else only its command count is used). */
  returnsBody: boolean;
  /** Anything but exactly one row is an error (406 PGRST116) and rolls back. */
  single: boolean;
  /** count=planned|estimated: the rows to EXPLAIN. */
  count?: { mode: "planned" | "estimated"; statement: Statement; maxRows?: number };
  /** `Prefer: max-affected` applies (PATCH, DELETE, RPC) under handling=strict. */
  maxAffected?: number;
}

export function scopeOf(request: ApiRequest, config: RestConfig, readOnly: boolean): RequestScope {
  const settings: [string, string][] = request.prefs.timezone ? [["timezone", request.prefs.timezone]] : [];
  return {
    auth: request.auth,
    anonRole: config.dbAnonRole,
    method: request.method,
    path: request.url.pathname,
    headers: request.req.headers,
    schema: request.schema,
    extraSearchPath: config.dbExtraSearchPath,
    readOnly,
    settings,
  };
}

async function plannedRows(tx: Tx, statement: Statement): Promise<number> {
  const [row] = await tx.unsafe<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }[]>(
    `explain (format json) ${statement.text}`,
    statement.params,
  );
  const plan = row["QUERY PLAN"];
  return Number((typeof plan === "string" ? JSON.parse(plan) : plan)[0].Plan["Plan Rows"]);
}

/** Thrown to end the transaction with a rollback while still answering with the result. */
class RollbackWith {
  constructor(readonly result: QueryResult) {}
}

export async function runQuery(
  ctx: QueryContext,
  request: ApiRequest,
  plan: Execution,
): Promise<QueryResult> {
  const scope = scopeOf(request, ctx.config, plan.readOnly);
  const rollback = rollsBack(request.prefs, ctx.config.dbTxEnd);
  try {
    return await inRequestTransaction(ctx.sql, ctx.cache(), scope, async (tx) => {
      const result = await tx.unsafe(plan.statement.text, plan.statement.params);
      let rows: number;
      let total: number | null = null;
      let body: string | null = null;
      let inserted: number | undefined;
      if (plan.returnsBody) {
        const row = result[0] as unknown as ResultRow;
        rows = Number(row.page_count);
        total = row.total_count === null ? null : Number(row.total_count);
        body = row.body;
        if (row.inserted_count !== undefined) inserted = Number(row.inserted_count);
      } else rows = result.count;
      if (plan.single && rows !== 1) throw singularityError(rows);
      if (plan.maxAffected !== undefined && rows > plan.maxAffected) {
        throw new ApiError(
          400,
          "PGRST124",
          "Query result exceeds max-affected preference constraint",
          `The query affects ${rows} rows`,
        );
      }
      if (plan.count?.mode === "planned") total = await plannedRows(tx, plan.count.statement);
      else if (plan.count && total !== null) {
        const { maxRows } = plan.count;
        // Query.hs (readQuery) counts at most max-rows + 1 rows; MainTx.hs compares that count with
        // `configDbMaxRows`, a Maybe: with max-rows unset it compares `Just n > Nothing`, always
        // true, so the total is the larger of the exact and the planned count.
        if (maxRows !== undefined) total = Math.min(total, maxRows + 1);
        if (maxRows === undefined || total > maxRows) {
          total = Math.max(total, await plannedRows(tx, plan.count.statement));
        }
      }
      const answer = { rows, total, body, inserted, overrides: await responseOverrides(tx) };
      if (rollback) throw new RollbackWith(answer);
      return answer;
    });
  } catch (error) {
    if (error instanceof RollbackWith) return error.result;
    throw error;
  }
}
