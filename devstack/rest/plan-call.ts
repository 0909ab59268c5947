/** The call plan: POST, GET and HEAD on /rpc/fn — arguments read, the overload chosen, the call built. */
import type { ApiRequest } from "./api-request.ts";
import type { RestConfig } from "./config.ts";
import { ApiError, invalidBody } from "./errors.ts";
import { notImplemented } from "./plan-mutate.ts";
import { readExecution, type ReadPlan, restrictRoot, treeContext } from "./plan-read.ts";
import { attachModifiers, fill, newNode, tableColumns } from "./plan-tree.ts";
import { parseQueryParams } from "./query-params.ts";
import type { QueryParams } from "./query-types.ts";
import { checkContentType, isPlainObject, parseJsonBody, readBodyText } from "./request-body.ts";
import { resolveCall } from "./resolve-call.ts";
import type { DbFunction, SchemaCache } from "./schema-cache.ts";
import { type CallArguments, callFrom, scalarCall } from "./sql-call.ts";
import { Params } from "./sql-fragments.ts";

export interface CallPlan extends ReadPlan {
  fn: DbFunction;
}

interface Arguments {
  query: QueryParams;
  keys: string[];
  json: string;
}

async function readArguments(request: ApiRequest, maxBodyBytes: number): Promise<Arguments> {
  if (request.method !== "POST") {
    const query = parseQueryParams(request.url.searchParams, true);
    return { query, keys: Object.keys(query.args), json: JSON.stringify(query.args) };
  }
  checkContentType(request.req.headers);
  const text = await readBodyText(request.req, maxBodyBytes);
  const parsed = text.trim() === "" ? {} : parseJsonBody(text);
  if (Array.isArray(parsed)) throw notImplemented("Calling a function with a JSON array body (bulk calls)");
  if (!isPlainObject(parsed)) {
    throw invalidBody("Empty or invalid json", "Expected a JSON object of arguments.");
  }
  const query = parseQueryParams(request.url.searchParams);
  return { query, keys: Object.keys(parsed), json: text.trim() === "" ? "{}" : text };
}

export async function planCall(
  request: ApiRequest,
  name: string,
  cache: SchemaCache,
  config: RestConfig,
): Promise<CallPlan> {
  const { query, keys, json } = await readArguments(request, config.maxBodyBytes);
  const singleObject = request.prefs.params === "single-object";
  const fn = resolveCall(cache, request.schema, name, keys, request.method === "POST", singleObject);
  const args: CallArguments = fn.params.length === 1 && (fn.singleJsonParam || singleObject)
    ? { wholeBody: json }
    : { names: keys, json };
  const params = new Params();
  const from = callFrom(fn, args, params);
  const readOnly = request.method !== "POST" || fn.volatility !== "v";
  const strict = request.prefs.handling === "strict" && request.prefs.maxAffected !== undefined;
  if (strict && !fn.returnsSet) {
    throw new ApiError(
      400,
      "PGRST128",
      "Function must return SETOF or TABLE when max-affected preference is used with handling=strict",
    );
  }
  const maxAffected = strict ? request.prefs.maxAffected : undefined;
  if (fn.returns.kind !== "composite") {
    const shaped = query.filters.length > 0 || query.logic.length > 0 || query.order.length > 0 ||
      query.limits.length > 0 || query.offsets.length > 0 ||
      query.select.some((item) => item.kind !== "field" || item.field.name !== "*");
    if (shaped) {
      throw notImplemented(
        `select, filters, order or limits on a function returning ${
          fn.returns.kind === "void" ? "void" : "a scalar"
        }`,
      );
    }
    // Query.hs (invokeQuery) counts a call exactly for count=exact|estimated and never EXPLAINs it.
    const count = request.prefs.count === "exact" || request.prefs.count === "estimated";
    const statement = scalarCall(fn, from, params, { count, media: request.media });
    return { fn, statement, readOnly, returnsBody: true, single: false, offset: 0, maxAffected };
  }
  const ctx = treeContext(request, cache, config);
  const table = [...cache.tables.values()].find((t) => t.oid === fn.returnRelid);
  const columns = fn.returns.columns ? new Map(fn.returns.columns.map((c) => [c.name, c.type])) : null;
  const root = newNode(ctx, {
    label: fn.name,
    columns: table ? tableColumns(table) : columns,
    table,
    from: `(select pgrst_call.* from ${from})`,
  });
  fill(ctx, root, query.select);
  attachModifiers(root, query);
  if (fn.returnsSet) restrictRoot(root, request, config.dbMaxRows);
  const media = fn.returnsSet || request.media !== "json" ? request.media : "object";
  const plan = readExecution({ ...request, media }, root, config, { params });
  // Query.hs (invokeQuery): no EXPLAIN for calls, so count=planned gives no total (`*`) and
  // count=estimated the exact one.
  delete plan.count;
  return { ...plan, fn, readOnly, single: plan.single && fn.returnsSet, maxAffected };
}
