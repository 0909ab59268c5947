/**
 * The HTTP surface: routes a request to the OpenAPI root, a table or view, or a function, and
 * answers with PostgREST's statuses, headers and bodies.
 */
import type { RestConfig } from "./config.ts";
import type { KeyResolver } from "../jwt-keys.ts";
import { ApiError, fromPgError, invalidBody, isPgError, singularityError, unsupported } from "./errors.ts";
import { authenticate, type Authentication } from "./jwt.ts";
import { buildOpenApi, type OpenApiTarget } from "./openapi.ts";
import {
  negotiateMedia,
  parsePrefer,
  pickSchema,
  type Preferences,
  type ResponseMedia,
} from "./preferences.ts";
import { parseQuery, type QueryAst } from "./query-grammar.ts";
import { checkContentType, isPlainObject, parseJsonBody, readBodyText } from "./request-body.ts";
import { type DbFunction, findFunctions, findTable, type SchemaCache, type Table } from "./schema-cache.ts";
import { buildDelete, buildInsert, buildRead, buildRpc, buildUpdate, type ResultRow } from "./sql-builder.ts";
import { closest } from "./suggest.ts";
import { inRequestTransaction, type RequestScope, responseOverrides, type Sql } from "./transaction.ts";

export interface RestContext {
  sql: Sql;
  config: RestConfig;
  secret: KeyResolver;
  cache(): SchemaCache;
  openApiTarget(): OpenApiTarget;
}

/** Everything a handler needs about the request once it is routed and authenticated. */
interface Incoming {
  req: Request;
  url: URL;
  method: string;
  auth: Authentication;
  schema: string;
  prefs: Preferences;
  ctx: RestContext;
}

const allowed = {
  root: ["OPTIONS", "GET", "HEAD"],
  table: ["OPTIONS", "GET", "HEAD", "POST", "PATCH", "DELETE"],
  rpc: ["OPTIONS", "GET", "HEAD", "POST"],
};

export async function handleRequest(req: Request, ctx: RestContext): Promise<Response> {
  try {
    return await route(req, ctx);
  } catch (error) {
    if (error instanceof ApiError) return error.toResponse();
    if (isPgError(error)) return fromPgError(error, true).toResponse();
    const code = (error as { code?: string })?.code;
    if (typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|CONNECT_TIMEOUT|CONNECTION_)/.test(code)) {
      return new ApiError(
        503,
        "PGRST000",
        "Database connection error. Retrying the connection.",
        String(error),
      )
        .toResponse();
    }
    console.error("devstack rest: unexpected error", error);
    return new ApiError(
      500,
      "PGRSTX00",
      "Internal server error",
      error instanceof Error ? error.message : null,
    )
      .toResponse();
  }
}

async function route(req: Request, ctx: RestContext): Promise<Response> {
  const url = new URL(req.url);
  const method = req.method.toUpperCase();
  let segments: string[];
  try {
    segments = url.pathname.split("/").filter((segment) => segment !== "").map(decodeURIComponent);
  } catch {
    throw invalidPath();
  }
  const kind = segments.length === 0
    ? "root"
    : segments.length === 2 && segments[0] === "rpc"
    ? "rpc"
    : segments.length === 1
    ? "table"
    : undefined;
  if (!kind) throw invalidPath();

  if (method === "OPTIONS") {
    return new Response(null, { status: 200, headers: { allow: allowed[kind].join(",") } });
  }
  if (!allowed[kind].includes(method)) {
    if (kind === "rpc") {
      throw new ApiError(405, "PGRST101", `Cannot use the ${method} method on RPC`);
    }
    throw new ApiError(
      405,
      "PGRST117",
      `Unsupported HTTP method: ${method}`,
      method === "PUT" ? "PUT (upsert) is not supported by the devstack Data API." : null,
      null,
      { allow: allowed[kind].join(",") },
    );
  }
  if (req.headers.has("range")) {
    throw unsupported("the Range header; use the limit and offset query parameters");
  }

  const { config } = ctx;
  const auth = await authenticate(
    req.headers.get("authorization"),
    ctx.secret,
    config.dbAnonRole,
    config.jwtAud,
  );
  const schema = pickSchema(req.headers, method, config.dbSchemas);
  const prefs = parsePrefer(req.headers.get("prefer"));
  const incoming: Incoming = { req, url, method, auth, schema, prefs, ctx };

  if (kind === "root") return await serveOpenApi(incoming);
  if (kind === "rpc") return await serveRpc(incoming, segments[1]);
  return await serveTable(incoming, segments[0]);
}

function invalidPath(): ApiError {
  return new ApiError(404, "PGRST125", "Invalid path specified in request URL");
}

function scopeOf(incoming: Incoming, readOnly: boolean): RequestScope {
  return {
    auth: incoming.auth,
    anonRole: incoming.ctx.config.dbAnonRole,
    method: incoming.method,
    path: incoming.url.pathname,
    headers: incoming.req.headers,
    schema: incoming.schema,
    extraSearchPath: incoming.ctx.config.dbExtraSearchPath,
    readOnly,
  };
}

const contentTypes: Record<ResponseMedia, string> = {
  json: "application/json; charset=utf-8",
  object: "application/vnd.pgrst.object+json; charset=utf-8",
  openapi: "application/openapi+json; charset=utf-8",
};

function respond(
  incoming: Incoming,
  status: number,
  body: string | null,
  media: ResponseMedia,
  extra: Record<string, string> = {},
  overrides: { headers: [string, string][]; status?: number } = { headers: [] },
): Response {
  const headers = new Headers({
    "content-type": contentTypes[media],
    "content-profile": incoming.schema,
    ...extra,
  });
  if (incoming.prefs.applied.length > 0) headers.set("preference-applied", incoming.prefs.applied.join(", "));
  for (const [name, value] of overrides.headers) headers.append(name, value);
  const finalStatus = overrides.status ?? status;
  const sendBody = incoming.method !== "HEAD" && finalStatus !== 204 && finalStatus !== 304 && body !== null;
  return new Response(sendBody ? body : null, { status: finalStatus, headers });
}

// ---------------------------------------------------------------------------------------------
// Tables and views

function lookupTable(incoming: Incoming, name: string): Table {
  const cache = incoming.ctx.cache();
  const table = findTable(cache, incoming.schema, name);
  if (table) return table;
  const names = [...cache.tables.values()].filter((t) => t.schema === incoming.schema).map((t) => t.name);
  const suggestion = closest(name, names);
  throw new ApiError(
    404,
    "PGRST205",
    `Could not find the table '${incoming.schema}.${name}' in the schema cache`,
    null,
    suggestion ? `Perhaps you meant the table '${incoming.schema}.${suggestion}'` : null,
  );
}

function columnNotFound(table: Table, column: string): ApiError {
  return new ApiError(
    400,
    "PGRST204",
    `Could not find the '${column}' column of '${table.name}' in the schema cache`,
  );
}

async function serveTable(incoming: Incoming, name: string): Promise<Response> {
  const media = negotiateMedia(incoming.req.headers.get("accept"));
  const table = lookupTable(incoming, name);
  const { ast } = parseQuery(incoming.url.searchParams);
  switch (incoming.method) {
    case "GET":
    case "HEAD":
      return await readTable(incoming, table, ast, media);
    case "POST":
      return await insertRows(incoming, table, ast, media);
    case "PATCH":
      return await updateRows(incoming, table, ast, media);
    default:
      return await deleteRows(incoming, table, ast, media);
  }
}

/** Content-Range and status of a read of `rows` rows starting at `offset`, as PostgREST computes them. */
function readRange(offset: number, rows: number, total: number | null): { status: number; range: string } {
  const totalText = total === null ? "*" : String(total);
  const range = rows > 0 ? `${offset}-${offset + rows - 1}/${totalText}` : `*/${totalText}`;
  if (total === null) return { status: 200, range };
  if (offset > total) {
    throw new ApiError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      `An offset of ${offset} was requested, but there are only ${total} rows.`,
      null,
      { "content-range": `*/${total}` },
    );
  }
  return { status: rows < total ? 206 : 200, range };
}

async function readTable(
  incoming: Incoming,
  table: Table,
  ast: QueryAst,
  media: ResponseMedia,
): Promise<Response> {
  const { ctx, prefs } = incoming;
  const single = media === "object";
  const statement = buildRead(table, ast, { count: prefs.count, single, maxRows: ctx.config.dbMaxRows });
  const row = await inRequestTransaction(ctx.sql, ctx.cache(), scopeOf(incoming, true), async (tx) => {
    const [result] = await tx.unsafe<ResultRow[]>(statement.text, statement.params);
    return result;
  });
  const rows = Number(row.page_count);
  if (single && rows !== 1) throw singularityError(rows);
  const total = row.total_count === null ? null : Number(row.total_count);
  const { status, range } = readRange(ast.offset ?? 0, rows, total);
  return respond(incoming, status, row.body, media, { "content-range": range });
}

function mutationShape(incoming: Incoming, ast: QueryAst, media: ResponseMedia) {
  if (ast.limit !== undefined || ast.offset !== undefined || ast.order.length > 0) {
    if (incoming.method !== "POST") throw unsupported(`limit, offset or order on ${incoming.method}`);
  }
  return {
    representation: incoming.prefs.return === "representation",
    single: media === "object",
    select: ast.select,
  };
}

/** Runs a mutation; with the object media type, anything but exactly one row rolls it back (406). */
async function runMutation(
  incoming: Incoming,
  statement: { text: string; params: string[] },
  shape: { representation: boolean; single: boolean },
) {
  const { ctx } = incoming;
  return await inRequestTransaction(ctx.sql, ctx.cache(), scopeOf(incoming, false), async (tx) => {
    const result = await tx.unsafe(statement.text, statement.params);
    let rows: number;
    let body: string | null = null;
    if (shape.representation) {
      const row = result[0] as unknown as ResultRow;
      rows = Number(row.page_count);
      body = row.body;
    } else rows = result.count;
    if (shape.single && rows !== 1) throw singularityError(rows);
    return { rows, body, overrides: await responseOverrides(tx) };
  });
}

async function insertRows(
  incoming: Incoming,
  table: Table,
  ast: QueryAst,
  media: ResponseMedia,
): Promise<Response> {
  const shape = mutationShape(incoming, ast, media);
  checkContentType(incoming.req.headers);
  const text = await readBodyText(incoming.req, incoming.ctx.config.maxBodyBytes);
  const parsed = parseJsonBody(text);
  const isArray = Array.isArray(parsed);
  const rows = isArray ? parsed : [parsed];
  if (!rows.every(isPlainObject)) {
    throw invalidBody("Empty or invalid json", "Expected a JSON object or an array of JSON objects.");
  }
  let columns: string[];
  if (ast.columns) columns = ast.columns;
  else {
    columns = rows.length > 0 ? Object.keys(rows[0]) : [];
    const signature = [...columns].sort().join("\u0000");
    if (rows.some((row) => Object.keys(row).sort().join("\u0000") !== signature)) {
      throw invalidBody("All object keys must match");
    }
  }
  for (const column of columns) if (!table.columnsByName.has(column)) throw columnNotFound(table, column);
  const payload = isArray ? text : `[${text}]`;
  const statement = buildInsert(table, columns, payload, rows, incoming.prefs.missingDefault, shape);
  const { rows: count, body, overrides } = await runMutation(incoming, statement, shape);
  const range = `*/${incoming.prefs.count ? count : "*"}`;
  return respond(
    incoming,
    201,
    shape.representation ? body : null,
    media,
    { "content-range": range },
    overrides,
  );
}

async function updateRows(
  incoming: Incoming,
  table: Table,
  ast: QueryAst,
  media: ResponseMedia,
): Promise<Response> {
  const shape = mutationShape(incoming, ast, media);
  checkContentType(incoming.req.headers);
  const text = await readBodyText(incoming.req, incoming.ctx.config.maxBodyBytes);
  const parsed = parseJsonBody(text);
  if (!isPlainObject(parsed)) {
    throw invalidBody("Empty or invalid json", "PATCH expects a single JSON object.");
  }
  const names = Object.keys(parsed);
  for (const column of names) if (!table.columnsByName.has(column)) throw columnNotFound(table, column);
  let count = 0;
  let body: string | null = shape.single ? "null" : "[]";
  let overrides: { headers: [string, string][]; status?: number } = { headers: [] };
  if (names.length > 0) {
    const statement = buildUpdate(table, names, text, ast, shape);
    ({ rows: count, body, overrides } = await runMutation(incoming, statement, shape));
  } else if (shape.single) throw singularityError(0);
  const total = incoming.prefs.count ? String(count) : "*";
  const range = count > 0 ? `0-${count - 1}/${total}` : `*/${total}`;
  return respond(
    incoming,
    shape.representation ? 200 : 204,
    shape.representation ? body : null,
    media,
    { "content-range": range },
    overrides,
  );
}

async function deleteRows(
  incoming: Incoming,
  table: Table,
  ast: QueryAst,
  media: ResponseMedia,
): Promise<Response> {
  const shape = mutationShape(incoming, ast, media);
  const statement = buildDelete(table, ast, shape);
  const { rows: count, body, overrides } = await runMutation(incoming, statement, shape);
  const range = `*/${incoming.prefs.count ? count : "*"}`;
  return respond(
    incoming,
    shape.representation ? 200 : 204,
    shape.representation ? body : null,
    media,
    { "content-range": range },
    overrides,
  );
}

// ---------------------------------------------------------------------------------------------
// Functions

function noFunction(incoming: Incoming, name: string, keys: string[], viaPost: boolean): ApiError {
  const cache = incoming.ctx.cache();
  const func = `${incoming.schema}.${name}`;
  const sorted = [...keys].sort();
  const described = sorted.length === 0
    ? " without parameters"
    : ` with parameter${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`;
  const names = [...cache.functions.values()].flat().filter((f) => f.schema === incoming.schema).map((f) =>
    f.name
  );
  const suggestion = findFunctions(cache, incoming.schema, name).length > 0
    ? undefined
    : closest(name, names);
  return new ApiError(
    404,
    "PGRST202",
    `Could not find the function ${func}${
      sorted.length === 0 ? " without parameters" : `(${sorted.join(", ")})`
    } ` +
      "in the schema cache",
    `Searched for the function ${func}${described}${
      viaPost ? " or with a single unnamed json/jsonb parameter" : ""
    }, but no matches were found in the schema cache.`,
    suggestion ? `Perhaps you meant to call the function ${incoming.schema}.${suggestion}` : null,
  );
}

/** Picks the overload whose named parameters cover the given keys and whose required ones are given. */
function resolveFunction(candidates: DbFunction[], keys: string[]): DbFunction[] {
  const matching = candidates.filter((fn) =>
    !fn.singleJsonParam &&
    keys.every((key) => fn.params.some((param) => param.name === key)) &&
    fn.params.every((param) => param.hasDefault || keys.includes(param.name))
  );
  if (matching.length <= 1) return matching;
  const exact = matching.filter((fn) => fn.params.length === keys.length);
  return exact.length > 0 ? exact : matching;
}

async function serveRpc(incoming: Incoming, name: string): Promise<Response> {
  const { ctx, prefs } = incoming;
  const media = negotiateMedia(incoming.req.headers.get("accept"));
  const candidates = findFunctions(ctx.cache(), incoming.schema, name);
  const viaPost = incoming.method === "POST";

  let ast: QueryAst;
  let keys: string[];
  let argsJson: string;
  if (viaPost) {
    checkContentType(incoming.req.headers);
    const text = await readBodyText(incoming.req, ctx.config.maxBodyBytes);
    const parsed = text.trim() === "" ? {} : parseJsonBody(text);
    if (Array.isArray(parsed)) throw unsupported("calling a function with a JSON array body");
    if (!isPlainObject(parsed)) {
      throw invalidBody("Empty or invalid json", "Expected a JSON object of arguments.");
    }
    keys = Object.keys(parsed);
    argsJson = text.trim() === "" ? "{}" : text;
    ({ ast } = parseQuery(incoming.url.searchParams));
  } else {
    const argumentNames = new Set(candidates.flatMap((fn) => fn.params.map((param) => param.name)));
    const parsed = parseQuery(incoming.url.searchParams, argumentNames);
    ast = parsed.ast;
    keys = Object.keys(parsed.args);
    argsJson = JSON.stringify(parsed.args);
  }

  const matches = resolveFunction(candidates, keys);
  let fn: DbFunction;
  let args: { names: string[]; json: string } | { wholeBody: string };
  if (matches.length === 1) {
    fn = matches[0];
    args = { names: keys, json: argsJson };
  } else if (matches.length > 1) {
    throw new ApiError(
      300,
      "PGRST203",
      `Could not choose the best candidate function between: ${
        matches.map((f) =>
          `${f.schema}.${f.name}(${f.params.map((p) => `${p.name} => ${p.type}`).join(", ")})`
        )
          .join(", ")
      }`,
      null,
      "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    );
  } else {
    const jsonFn = viaPost ? candidates.find((f) => f.singleJsonParam) : undefined;
    if (!jsonFn) throw noFunction(incoming, name, keys, viaPost);
    fn = jsonFn;
    args = { wholeBody: argsJson };
  }

  const single = media === "object";
  const statement = buildRpc(fn, args, ast, { count: prefs.count, single, maxRows: ctx.config.dbMaxRows });
  const readOnly = !viaPost || fn.volatility !== "v";
  const { row, overrides } = await inRequestTransaction(
    ctx.sql,
    ctx.cache(),
    scopeOf(incoming, readOnly),
    async (tx) => {
      const [row] = await tx.unsafe<ResultRow[]>(statement.text, statement.params);
      if (single && fn.returnsSet && Number(row.page_count) !== 1) {
        throw singularityError(
          Number(row.page_count),
        );
      }
      return { row, overrides: await responseOverrides(tx) };
    },
  );

  if (fn.returns.kind === "void") return respond(incoming, 204, null, media, {}, overrides);
  if (!fn.returnsSet) return respond(incoming, 200, row.body, media, {}, overrides);
  const rows = Number(row.page_count);
  const total = row.total_count === null ? null : Number(row.total_count);
  const { status, range } = readRange(ast.offset ?? 0, rows, total);
  return respond(incoming, status, row.body, media, { "content-range": range }, overrides);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI

async function serveOpenApi(incoming: Incoming): Promise<Response> {
  const { ctx, schema } = incoming;
  const media = negotiateMedia(incoming.req.headers.get("accept"), true);
  const cache = ctx.cache();
  const tables = [...cache.tables.values()].filter((t) => t.schema === schema);
  const functions = [...cache.functions.values()].flat().filter((f) => f.schema === schema);
  const visible = await inRequestTransaction(ctx.sql, cache, scopeOf(incoming, true), async (tx) => {
    const tableRows = await tx.unsafe<{ oid: string }[]>(
      `select c.oid::int8::text as oid from pg_catalog.pg_class c
       where c.oid = any($1::oid[]) and pg_catalog.has_schema_privilege(c.relnamespace, 'USAGE')
         and (pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')
           or pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE'))`,
      [tables.map((t) => String(t.oid))],
    );
    const functionRows = await tx.unsafe<{ oid: string }[]>(
      `select p.oid::int8::text as oid from pg_catalog.pg_proc p
       where p.oid = any($1::oid[]) and pg_catalog.has_schema_privilege(p.pronamespace, 'USAGE')
         and pg_catalog.has_function_privilege(p.oid, 'EXECUTE')`,
      [functions.map((f) => String(f.oid))],
    );
    const [description] = await tx.unsafe<{ description: string | null }[]>(
      `select pg_catalog.obj_description(n.oid, 'pg_namespace') as description
       from pg_catalog.pg_namespace n where n.nspname = $1`,
      [schema],
    );
    return {
      tables: new Set(tableRows.map((r) => Number(r.oid))),
      functions: new Set(functionRows.map((r) => Number(r.oid))),
      description: description?.description ?? null,
    };
  });
  const doc = buildOpenApi(
    tables.filter((t) => visible.tables.has(t.oid)),
    functions.filter((f) => visible.functions.has(f.oid)),
    ctx.openApiTarget(),
    visible.description,
  );
  return respond(incoming, 200, JSON.stringify(doc), media);
}
