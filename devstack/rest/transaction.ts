/**
 * One transaction per request, set up as PostgREST sets it up: connected as the authenticator,
 * switched to the request's role, with the JWT claims and the request's method, path, headers and
 * cookies in transaction-local settings that policies and functions can read.
 */
import type postgres from "postgres";
import { ApiError, fromPgError, isPgError } from "./errors.ts";
import type { Authentication } from "./jwt.ts";
import { quoteIdent } from "./sql-fragments.ts";
import type { SchemaCache } from "./schema-cache.ts";

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export interface RequestScope {
  auth: Authentication;
  anonRole: string;
  method: string;
  path: string;
  headers: Headers;
  schema: string;
  extraSearchPath: string[];
  readOnly: boolean;
  /** Further transaction-local settings (`Prefer: timezone=`). */
  settings: [string, string][];
}

function cookies(header: string | null): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      result[name] = decodeURIComponent(value);
    } catch {
      result[name] = value;
    }
  }
  return result;
}

/** Runs `work` in the request's transaction; Postgres errors come out as PostgREST error responses. */
export async function inRequestTransaction<T>(
  sql: Sql,
  cache: SchemaCache,
  scope: RequestScope,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const headers: Record<string, string> = {};
  scope.headers.forEach((value, name) => headers[name.toLowerCase()] = value);
  const searchPath = [scope.schema, ...scope.extraSearchPath.filter((s) => s !== scope.schema)]
    .map(quoteIdent).join(", ");
  try {
    const isolation = cache.roleIsolation.get(scope.auth.role);
    const mode = `${isolation ? `isolation level ${isolation} ` : ""}${
      scope.readOnly ? "read only" : "read write"
    }`;
    return await sql.begin(mode, async (tx) => {
      await tx.unsafe(
        `select pg_catalog.set_config('role', $1, true), pg_catalog.set_config('request.jwt.claims', $2, true),
          pg_catalog.set_config('request.method', $3, true), pg_catalog.set_config('request.path', $4, true),
          pg_catalog.set_config('request.headers', $5, true), pg_catalog.set_config('request.cookies', $6, true),
          pg_catalog.set_config('search_path', $7, true)`,
        [
          scope.auth.role,
          JSON.stringify(scope.auth.claims),
          scope.method,
          scope.path,
          JSON.stringify(headers),
          JSON.stringify(cookies(scope.headers.get("cookie"))),
          searchPath,
        ],
      );
      const settings = [...(cache.roleSettings.get(scope.auth.role) ?? []), ...scope.settings];
      if (settings.length > 0) {
        const calls = settings.map((_, i) => `pg_catalog.set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
        await tx.unsafe(`select ${calls.join(", ")}`, settings.flat());
      }
      return await work(tx as Tx);
    }) as T;
  } catch (error) {
    if (isPgError(error)) throw fromPgError(error, scope.auth.role !== scope.anonRole);
    if (error instanceof ApiError) throw error;
    throw error;
  }
}

/** Headers and status a function set through the response.headers / response.status settings. */
export async function responseOverrides(tx: Tx): Promise<{ headers: [string, string][]; status?: number }> {
  const [row] = await tx.unsafe<{ headers: string | null; status: string | null }[]>(
    `select pg_catalog.current_setting('response.headers', true) as headers,
      pg_catalog.current_setting('response.status', true) as status`,
  );
  const headers: [string, string][] = [];
  if (row?.headers) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.headers);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      throw new ApiError(
        500,
        "PGRST111",
        "response.headers guc must be a JSON array composed of objects with a single key and a string value",
      );
    }
    for (const item of parsed) {
      const entries = typeof item === "object" && item !== null ? Object.entries(item) : [];
      if (entries.length !== 1 || typeof entries[0][1] !== "string") {
        throw new ApiError(
          500,
          "PGRST111",
          "response.headers guc must be a JSON array composed of objects with a single key and a string value",
        );
      }
      headers.push([entries[0][0], entries[0][1] as string]);
    }
  }
  let status: number | undefined;
  if (row?.status) {
    status = Number(row.status);
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new ApiError(500, "PGRST112", "response.status guc must be a valid status code");
    }
  }
  return { headers, status };
}
