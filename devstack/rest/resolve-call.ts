/** Choosing the function a call names: overloads by argument names, or the single json parameter. */
import { ApiError } from "./errors.ts";
import { type DbFunction, findFunctions, type SchemaCache } from "./schema-cache.ts";
import { closest } from "./suggest.ts";

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

const isJson = (type: string) => type === "json" || type === "jsonb";

/**
 * The overload whose named parameters cover the given keys and whose required ones are given; a
 * POST falls back to a function with a single unnamed json/jsonb parameter. With
 * `Prefer: params=single-object` the function must take one json/jsonb parameter (named or not).
 */
export function resolveCall(
  cache: SchemaCache,
  schema: string,
  name: string,
  keys: string[],
  viaPost: boolean,
  singleObject: boolean,
): DbFunction {
  const candidates = findFunctions(cache, schema, name);
  if (singleObject && viaPost) {
    const matches = candidates.filter((fn) => fn.params.length === 1 && isJson(fn.params[0].type));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw ambiguous(matches);
    throw noFunction(cache, schema, name, keys, viaPost);
  }
  let matching = candidates.filter((fn) =>
    !fn.singleJsonParam &&
    keys.every((key) => fn.params.some((param) => param.name === key)) &&
    fn.params.every((param) => param.hasDefault || keys.includes(param.name))
  );
  if (matching.length > 1) {
    const exact = matching.filter((fn) => fn.params.length === keys.length);
    if (exact.length > 0) matching = exact;
  }
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) throw ambiguous(matching);
  const jsonFn = viaPost ? candidates.find((f) => f.singleJsonParam) : undefined;
  if (!jsonFn) throw noFunction(cache, schema, name, keys, viaPost);
  return jsonFn;
}
