/** The call plan: POST, GET and HEAD on /rpc/fn — arguments read, the overload chosen, the call built. */
import type { ApiRequest } from "./api-request.ts";
import type { RestConfig } from "./config.ts";
import { ApiError, invalidBody, unsupported } from "./errors.ts";
import type { Execution } from "./query.ts";
import { parseQuery, type QueryAst } from "./query-grammar.ts";
import { checkContentType, isPlainObject, parseJsonBody, readBodyText } from "./request-body.ts";
import { type DbFunction, findFunctions, type SchemaCache } from "./schema-cache.ts";
import { buildRpc } from "./sql-read.ts";
import { closest } from "./suggest.ts";

export interface CallPlan extends Execution {
  fn: DbFunction;
  offset: number;
}

function noFunction(
  cache: SchemaCache,
  schema: string,
  name: string,
  keys: string[],
  viaPost: boolean,
): ApiError {
  const func = `${schema}.${name}`;
  const sorted = [...keys].sort();
  const described = sorted.length === 0
    ? " without parameters"
    : ` with parameter${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`;
  const names = [...cache.functions.values()].flat().filter((f) => f.schema === schema).map((f) => f.name);
  const suggestion = findFunctions(cache, schema, name).length > 0 ? undefined : closest(name, names);
  return new ApiError(
    404,
    "PGRST202",
    `Could not find the function ${func}${
      sorted.length === 0 ? " without parameters" : `(${sorted.join(", ")})`
    } in the schema cache`,
    `Searched for the function ${func}${described}${
      viaPost ? " or with a single unnamed json/jsonb parameter" : ""
    }, but no matches were found in the schema cache.`,
    suggestion ? `Perhaps you meant to call the function ${schema}.${suggestion}` : null,
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

function ambiguous(matches: DbFunction[]): ApiError {
  const described = matches.map((f) =>
    `${f.schema}.${f.name}(${f.params.map((p) => `${p.name} => ${p.type}`).join(", ")})`
  );
  return new ApiError(
    300,
    "PGRST203",
    `Could not choose the best candidate function between: ${described.join(", ")}`,
    null,
    "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
  );
}

interface Arguments {
  ast: QueryAst;
  keys: string[];
  json: string;
}

async function readArguments(
  request: ApiRequest,
  candidates: DbFunction[],
  maxBodyBytes: number,
): Promise<Arguments> {
  if (request.method !== "POST") {
    const argumentNames = new Set(candidates.flatMap((fn) => fn.params.map((param) => param.name)));
    const parsed = parseQuery(request.url.searchParams, argumentNames);
    return { ast: parsed.ast, keys: Object.keys(parsed.args), json: JSON.stringify(parsed.args) };
  }
  checkContentType(request.req.headers);
  const text = await readBodyText(request.req, maxBodyBytes);
  const parsed = text.trim() === "" ? {} : parseJsonBody(text);
  if (Array.isArray(parsed)) throw unsupported("calling a function with a JSON array body");
  if (!isPlainObject(parsed)) {
    throw invalidBody("Empty or invalid json", "Expected a JSON object of arguments.");
  }
  const { ast } = parseQuery(request.url.searchParams);
  return { ast, keys: Object.keys(parsed), json: text.trim() === "" ? "{}" : text };
}

export async function planCall(
  request: ApiRequest,
  name: string,
  cache: SchemaCache,
  config: RestConfig,
): Promise<CallPlan> {
  const candidates = findFunctions(cache, request.schema, name);
  const viaPost = request.method === "POST";
  const { ast, keys, json } = await readArguments(request, candidates, config.maxBodyBytes);
  const matches = resolveFunction(candidates, keys);
  let fn: DbFunction;
  let args: { names: string[]; json: string } | { wholeBody: string };
  if (matches.length === 1) {
    fn = matches[0];
    args = { names: keys, json };
  } else if (matches.length > 1) throw ambiguous(matches);
  else {
    const jsonFn = viaPost ? candidates.find((f) => f.singleJsonParam) : undefined;
    if (!jsonFn) throw noFunction(cache, request.schema, name, keys, viaPost);
    fn = jsonFn;
    args = { wholeBody: json };
  }
  const single = request.media === "object";
  const statement = buildRpc(fn, args, ast, {
    count: request.prefs.count,
    single,
    maxRows: config.dbMaxRows,
  });
  return {
    fn,
    statement,
    readOnly: !viaPost || fn.volatility !== "v",
    returnsBody: true,
    single: single && fn.returnsSet,
    offset: ast.offset ?? 0,
  };
}
