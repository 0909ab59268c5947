/** The read plan: GET and HEAD on a table or view. */
import type { ApiRequest } from "./api-request.ts";
import type { RestConfig } from "./config.ts";
import { ApiError } from "./errors.ts";
import type { Execution } from "./query.ts";
import { parseQuery, type QueryAst } from "./query-grammar.ts";
import { findTable, type SchemaCache, type Table } from "./schema-cache.ts";
import { buildRead } from "./sql-read.ts";
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

export function planRead(request: ApiRequest, table: Table, config: RestConfig): ReadPlan {
  const { ast } = parseQuery(request.url.searchParams);
  return readExecution(request, table, ast, config);
}

function readExecution(request: ApiRequest, table: Table, ast: QueryAst, config: RestConfig): ReadPlan {
  const single = request.media === "object";
  const statement = buildRead(table, ast, { count: request.prefs.count, single, maxRows: config.dbMaxRows });
  return { statement, readOnly: true, returnsBody: true, single, offset: ast.offset ?? 0 };
}
