/** The mutate plan: POST (insert), PATCH (update) and DELETE on a table or view. */
import type { ApiRequest } from "./api-request.ts";
import { ApiError, invalidBody, unsupported } from "./errors.ts";
import type { Execution } from "./query.ts";
import { parseQuery, type QueryAst } from "./query-grammar.ts";
import { checkContentType, isPlainObject, parseJsonBody, readBodyText } from "./request-body.ts";
import type { Table } from "./schema-cache.ts";
import { buildDelete, buildInsert, buildUpdate, type MutationOptions } from "./sql-mutate.ts";

export interface MutatePlan extends Execution {
  kind: "insert" | "update" | "delete";
  representation: boolean;
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

function shapeOf(request: ApiRequest, ast: QueryAst): MutationOptions {
  if (ast.limit !== undefined || ast.offset !== undefined || ast.order.length > 0) {
    if (request.method !== "POST") throw unsupported(`limit, offset or order on ${request.method}`);
  }
  return {
    representation: request.prefs.return === "representation",
    single: request.media === "object",
    select: ast.select,
  };
}

export async function planMutate(
  request: ApiRequest,
  table: Table,
  maxBodyBytes: number,
): Promise<MutatePlan> {
  const { ast } = parseQuery(request.url.searchParams);
  const shape = shapeOf(request, ast);
  const base = { readOnly: false, returnsBody: shape.representation, single: shape.single, noop: false };
  const representation = shape.representation;
  if (request.method === "DELETE") {
    return { ...base, kind: "delete", representation, statement: buildDelete(table, ast, shape) };
  }
  checkContentType(request.req.headers);
  const text = await readBodyText(request.req, maxBodyBytes);
  const parsed = parseJsonBody(text);
  if (request.method === "PATCH") {
    if (!isPlainObject(parsed)) {
      throw invalidBody("Empty or invalid json", "PATCH expects a single JSON object.");
    }
    const names = Object.keys(parsed);
    for (const column of names) if (!table.columnsByName.has(column)) throw columnNotFound(table, column);
    if (names.length === 0) {
      return { ...base, kind: "update", representation, noop: true, statement: { text: "", params: [] } };
    }
    return {
      ...base,
      kind: "update",
      representation,
      statement: buildUpdate(table, names, text, ast, shape),
    };
  }
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
  const statement = buildInsert(table, columns, payload, rows, request.prefs.missingDefault, shape);
  return { ...base, kind: "insert", representation, statement };
}
