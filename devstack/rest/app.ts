/**
 * The request path, stage by stage as in PostgREST's App module: parse the request, plan it
 * (read, mutate or call), run the query, shape the response. Errors become PostgREST error bodies.
 */
import { type ApiRequest, checkMethod, parseApiRequest, parseTarget, type Target } from "./api-request.ts";
import { pickSchema } from "./media.ts";
import { resolveCall } from "./resolve-call.ts";
import { ApiError, fromPgError, isPgError, singularityError } from "./errors.ts";
import type { KeyResolver } from "../jwt-keys.ts";
import { authenticate } from "./jwt.ts";
import { planCall } from "./plan-call.ts";
import { planMutate } from "./plan-mutate.ts";
import { lookupTable, planRead } from "./plan-read.ts";
import { type QueryResult, runQuery } from "./query.ts";
import { locationOf, readRange, respond } from "./response.ts";
import { type RootContext, serveOpenApi } from "./root.ts";
import { findFunctions, type Table } from "./schema-cache.ts";

export interface RestContext extends RootContext {
  secret: KeyResolver;
}

export async function handleRequest(req: Request, ctx: RestContext): Promise<Response> {
  try {
    return await serve(req, ctx);
  } catch (error) {
    return errorResponse(error);
  }
}

function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return error.toResponse();
  if (isPgError(error)) return fromPgError(error, true).toResponse();
  const code = (error as { code?: string })?.code;
  if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|CONNECT_TIMEOUT|CONNECTION_)/.test(code)) {
    return new ApiError(503, "PGRST000", "Database connection error. Retrying the connection.", String(error))
      .toResponse();
  }
  console.error("devstack rest: unexpected error", error);
  const details = error instanceof Error ? error.message : null;
  return new ApiError(500, "PGRSTX00", "Internal server error", details).toResponse();
}

async function serve(req: Request, ctx: RestContext): Promise<Response> {
  const url = new URL(req.url);
  const target = parseTarget(url);
  checkMethod(target, req.method.toUpperCase());
  if (req.method.toUpperCase() === "OPTIONS") return serveOptions(target, ctx, req);
  const { config } = ctx;
  const auth = await authenticate(
    req.headers.get("authorization"),
    ctx.secret,
    config.dbAnonRole,
    config.jwtAud,
  );
  const request = parseApiRequest(req, url, target, auth, config, ctx.cache().timezones);
  if (target.kind === "root") return await serveOpenApi(request, ctx);
  if (target.kind === "rpc") return await serveCall(request, target.name, ctx);
  const table = lookupTable(ctx.cache(), request.schema, target.name);
  if (request.method === "GET" || request.method === "HEAD") return await serveRead(request, table, ctx);
  return await serveMutation(request, table, ctx);
}

/** OPTIONS: the methods this resource takes, as PostgREST lists them. */
function serveOptions(target: Target, ctx: RestContext, req: Request): Response {
  let allow = ["OPTIONS", "GET", "HEAD"];
  if (target.kind === "relation") {
    const schema = pickSchema(req.headers, "GET", ctx.config.dbSchemas).schema;
    const table = lookupTable(ctx.cache(), schema, target.name);
    if (table.insertable) allow.push("POST");
    if (table.insertable && table.updatable && table.primaryKey.length > 0) allow.push("PUT");
    if (table.updatable) allow.push("PATCH");
    if (table.deletable) allow.push("DELETE");
  } else if (target.kind === "rpc") {
    const schema = pickSchema(req.headers, "POST", ctx.config.dbSchemas).schema;
    const [fn] = findFunctions(ctx.cache(), schema, target.name);
    if (!fn) resolveCall(ctx.cache(), schema, target.name, [], true, false);
    allow = fn.volatility === "v" ? ["OPTIONS", "POST"] : [...allow, "POST"];
  }
  return new Response(null, {
    status: 200,
    headers: { allow: allow.join(","), "access-control-allow-origin": "*" },
  });
}

async function serveRead(request: ApiRequest, table: Table, ctx: RestContext): Promise<Response> {
  const plan = planRead(request, table, ctx.cache(), ctx.config);
  const result = await runQuery(ctx, request, plan);
  const { status, range } = readRange(plan.offset, result.rows, result.total);
  return respond(request, "read", status, result.body, { "content-range": range }, result.overrides);
}

async function serveMutation(request: ApiRequest, table: Table, ctx: RestContext): Promise<Response> {
  const plan = await planMutate(request, table, ctx.cache(), ctx.config);
  request.hasConflictTarget = table.primaryKey.length > 0 || request.url.searchParams.has("on_conflict");
  let result: QueryResult;
  if (plan.noop) {
    if (plan.single) throw singularityError(0);
    result = { rows: 0, total: null, body: "[]", overrides: { headers: [] } };
  } else result = await runQuery(ctx, request, plan);
  const total = request.prefs.count ? String(result.rows) : "*";
  const range = plan.kind === "update" && result.rows > 0 ? `0-${result.rows - 1}/${total}` : `*/${total}`;
  const extra: Record<string, string> = plan.kind === "put" ? {} : { "content-range": range };
  const representation = request.prefs.return === "representation";
  // Inserts answer 201, or 200 for a merge upsert that only updated; PUT the same with a body.
  const created = plan.countsInserted && result.inserted === 0 ? 200 : 201;
  let status = representation ? 200 : 204;
  if (plan.kind === "insert" || (plan.kind === "put" && representation)) status = created;
  if (request.prefs.return === "headers-only" && plan.kind === "insert") {
    const location = locationOf(table, result.body);
    if (location) extra.location = location;
  }
  return respond(
    request,
    plan.kind,
    status,
    representation ? result.body : null,
    extra,
    result.overrides,
  );
}

async function serveCall(request: ApiRequest, name: string, ctx: RestContext): Promise<Response> {
  const plan = await planCall(request, name, ctx.cache(), ctx.config);
  const result = await runQuery(ctx, request, plan);
  const { status, range } = readRange(plan.offset, result.rows, result.total);
  const voidResult = plan.fn.returns.kind === "void";
  return respond(request, "call", voidResult ? 204 : status, voidResult ? null : result.body, {
    "content-range": range,
  }, result.overrides);
}
