/**
 * The Swagger 2.0 document PostgREST serves at its root, built from the schema cache and limited
 * to what the requesting role may use (PostgREST's default follow-privileges mode).
 */
import { arrayItems, type Json, swaggerType, tableDefinition } from "./openapi-definitions.ts";
import type { DbFunction, Table } from "./schema-cache.ts";

export interface OpenApiTarget {
  scheme: string;
  /** host[:port] */
  host: string;
  basePath: string;
}

/** Host and base path from PGRST_OPENAPI_SERVER_PROXY_URI, else the server's own address. */
export function openApiTarget(
  proxyUri: string | undefined,
  serverHost: string,
  serverPort: number,
): OpenApiTarget {
  if (proxyUri) {
    const url = new URL(proxyUri);
    const scheme = url.protocol.replace(/:$/, "");
    const port = url.port || (scheme === "https" ? "443" : "80");
    return { scheme, host: `${url.hostname}:${port}`, basePath: url.pathname || "/" };
  }
  const host = serverHost === "0.0.0.0" || serverHost === "::" ? "0.0.0.0" : serverHost;
  return { scheme: "http", host: `${host}:${serverPort}`, basePath: "/" };
}

const mediaTypes = [
  "application/json",
  "application/vnd.pgrst.object+json;nulls=stripped",
  "application/vnd.pgrst.object+json",
  "text/csv",
];

function splitDescription(text: string | null): { summary?: string; description?: string } {
  if (!text) return {};
  const newline = text.indexOf("\n");
  if (newline < 0) return { summary: text };
  const rest = text.slice(newline).replace(/^\n+/, "");
  return { summary: text.slice(0, newline), description: rest === "" ? undefined : rest };
}

function tablePath(table: Table): Json {
  const ref = (name: string) => ({ $ref: `#/parameters/${name}` });
  const rowFilters = table.columns.map((column) => ref(`rowFilter.${table.name}.${column.name}`));
  const common = { tags: [table.name], ...splitDescription(table.description) };
  const path: Record<string, Json> = {
    get: {
      ...common,
      parameters: [
        ...rowFilters,
        ...["select", "order", "range", "rangeUnit", "offset", "limit", "preferCount"].map(ref),
      ],
      responses: {
        "200": {
          description: "OK",
          schema: { type: "array", items: { $ref: `#/definitions/${table.name}` } },
        },
        "206": { description: "Partial Content" },
      },
    },
  };
  if (table.insertable || table.updatable || table.deletable) {
    path.post = {
      ...common,
      parameters: [ref(`body.${table.name}`), ref("select"), ref("preferPost")],
      responses: { "201": { description: "Created" } },
    };
    path.patch = {
      ...common,
      parameters: [...rowFilters, ref(`body.${table.name}`), ref("preferReturn")],
      responses: { "204": { description: "No Content" } },
    };
    path.delete = {
      ...common,
      parameters: [...rowFilters, ref("preferReturn")],
      responses: { "204": { description: "No Content" } },
    };
  }
  return path;
}

function functionPath(fn: DbFunction): Json {
  const common = {
    ...splitDescription(fn.description),
    tags: [`(rpc) ${fn.name}`],
    produces: [
      "application/json",
      "application/vnd.pgrst.object+json;nulls=stripped",
      "application/vnd.pgrst.object+json",
    ],
    responses: { "200": { description: "OK" } },
  };
  const properties: Record<string, Json> = {};
  for (const param of fn.params) {
    properties[param.name] = {
      format: param.type,
      type: swaggerType(param.type),
      items: arrayItems(param.type),
    };
  }
  const required = fn.params.filter((param) => !param.hasDefault).map((param) => param.name);
  const post = {
    ...common,
    parameters: [
      {
        in: "body",
        name: "args",
        required: true,
        schema: { type: "object", required: required.length > 0 ? required : undefined, properties },
      },
      { $ref: "#/parameters/preferParams" },
    ],
  };
  if (fn.volatility === "v") return { post };
  const get = {
    ...common,
    parameters: fn.params.map((param) => ({
      in: "query",
      name: param.name,
      required: !param.hasDefault,
      type: swaggerType(param.type) === "array" || swaggerType(param.type) === undefined
        ? "string"
        : swaggerType(param.type),
      format: param.type,
    })),
  };
  return { get, post };
}

function preferParam(values: string[]): Json {
  return {
    name: "Prefer",
    description: "Preference",
    required: false,
    in: "header",
    type: "string",
    enum: values,
  };
}

function queryParam(name: string, description: string): Json {
  return { name, description, required: false, in: "query", type: "string" };
}

function sharedParameters(tables: Table[]): Record<string, Json> {
  const parameters: Record<string, Json> = {
    preferParams: preferParam(["params=single-object"]),
    preferReturn: preferParam(["return=representation", "return=minimal", "return=none"]),
    preferCount: preferParam(["count=none"]),
    preferPost: preferParam([
      "return=representation",
      "return=minimal",
      "return=none",
      "resolution=ignore-duplicates",
      "resolution=merge-duplicates",
    ]),
    select: queryParam("select", "Filtering Columns"),
    on_conflict: queryParam("on_conflict", "On Conflict"),
    order: queryParam("order", "Ordering"),
    range: {
      name: "Range",
      description: "Limiting and Pagination",
      required: false,
      in: "header",
      type: "string",
    },
    rangeUnit: {
      name: "Range-Unit",
      description: "Limiting and Pagination",
      required: false,
      in: "header",
      type: "string",
      default: "items",
    },
    offset: queryParam("offset", "Limiting and Pagination"),
    limit: queryParam("limit", "Limiting and Pagination"),
  };
  for (const table of tables) {
    parameters[`body.${table.name}`] = {
      name: table.name,
      description: table.name,
      required: false,
      in: "body",
      schema: { $ref: `#/definitions/${table.name}` },
    };
    for (const column of table.columns) {
      parameters[`rowFilter.${table.name}.${column.name}`] = {
        name: column.name,
        description: column.description ?? undefined,
        required: false,
        in: "query",
        type: "string",
      };
    }
  }
  return parameters;
}

export function buildOpenApi(
  tables: Table[],
  functions: DbFunction[],
  target: OpenApiTarget,
  schemaDescription: string | null,
): Json {
  const paths: Record<string, Json> = {
    "/": {
      get: {
        tags: ["Introspection"],
        summary: "OpenAPI description (this document)",
        produces: ["application/openapi+json", "application/json"],
        responses: { "200": { description: "OK" } },
      },
    },
  };
  for (const table of tables) paths[`/${table.name}`] = tablePath(table);
  for (const fn of functions) paths[`/rpc/${fn.name}`] = functionPath(fn);
  const definitions: Record<string, Json> = {};
  for (const table of tables) definitions[table.name] = tableDefinition(table);
  // As PostgREST: the schema comment's first line is the title, the rest the description.
  const newline = schemaDescription?.indexOf("\n") ?? -1;
  const title = schemaDescription === null
    ? undefined
    : newline < 0
    ? schemaDescription
    : schemaDescription.slice(0, newline);
  const description = schemaDescription === null
    ? undefined
    : newline < 0
    ? ""
    : schemaDescription.slice(newline).replace(/^\n+/, "");
  return {
    swagger: "2.0",
    info: {
      description: description ?? "This is a dynamic API generated by PostgREST",
      title: title ?? "PostgREST API",
      version: "12.2.0 (devstack)",
    },
    externalDocs: {
      description: "PostgREST Documentation",
      url: "https://postgrest.org/en/v12/references/api.html",
    },
    host: target.host,
    basePath: target.basePath,
    schemes: [target.scheme],
    consumes: mediaTypes,
    produces: mediaTypes,
    paths,
    definitions,
    parameters: sharedParameters(tables),
  };
}
