/**
 * Response shaping: the status, Content-Range, Content-Type, Content-Profile and
 * Preference-Applied headers of a successful request, as PostgREST's Response module writes them.
 */
import { ApiError } from "./errors.ts";
import type { ApiRequest } from "./api-request.ts";
import type { ResponseMedia } from "./media.ts";
import { type Action, appliedPreferences } from "./preferences.ts";
import type { Table } from "./schema-cache.ts";

export interface Overrides {
  headers: [string, string][];
  status?: number;
}

const contentTypes: Record<ResponseMedia, string> = {
  json: "application/json; charset=utf-8",
  object: "application/vnd.pgrst.object+json; charset=utf-8",
  array: "application/vnd.pgrst.array+json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  openapi: "application/openapi+json; charset=utf-8",
};

export function respond(
  request: ApiRequest,
  action: Action,
  status: number,
  body: string | null,
  extra: Record<string, string> = {},
  overrides: Overrides = { headers: [] },
): Response {
  const type = contentTypes[request.media];
  const headers = new Headers({
    "content-type": request.stripNulls ? type.replace(";", ";nulls=stripped;") : type,
    ...extra,
  });
  if (request.negotiatedByProfile) headers.set("content-profile", request.schema);
  const applied = appliedPreferences(request.prefs, action, request.hasConflictTarget ?? false);
  if (applied.length > 0) headers.set("preference-applied", applied.join(", "));
  // Headers set through response.headers replace PostgREST's own of the same name.
  for (const name of new Set(overrides.headers.map(([name]) => name.toLowerCase()))) headers.delete(name);
  for (const [name, value] of overrides.headers) headers.append(name, value);
  const finalStatus = overrides.status ?? status;
  const sendBody = request.method !== "HEAD" && finalStatus !== 204 && finalStatus !== 304 && body !== null;
  return new Response(sendBody ? body : null, { status: finalStatus, headers });
}

/** Content-Range and status of a read of `rows` rows starting at `offset`, as PostgREST computes them. */
export function readRange(
  offset: number,
  rows: number,
  total: number | null,
): { status: number; range: string } {
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

/** `return=headers-only`: the Location of the first inserted row, by its primary key. */
export function locationOf(table: Table, body: string | null): string | undefined {
  if (table.primaryKey.length === 0 || body === null) return undefined;
  const rows = JSON.parse(body) as Record<string, unknown>[];
  if (rows.length === 0) return undefined;
  const filters = table.primaryKey.map((c) =>
    `${encodeURIComponent(c)}=eq.${encodeURIComponent(String(rows[0][c]))}`
  );
  return `/${encodeURIComponent(table.name)}?${filters.join("&")}`;
}
