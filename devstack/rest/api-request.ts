/**
 * Request parsing (PostgREST's ApiRequest stage): the path names the target (root, relation or
 * function), the method is checked against it, and the headers give the schema, preferences and
 * response media type. Nothing here touches the database.
 */
import type { RestConfig } from "./config.ts";
import { ApiError } from "./errors.ts";
import type { Authentication } from "./jwt.ts";
import { negotiateMedia, pickSchema, type ResponseMedia } from "./media.ts";
import { parsePrefer, type Preferences } from "./preferences.ts";

export type Target = { kind: "root" } | { kind: "relation"; name: string } | { kind: "rpc"; name: string };

export interface ApiRequest {
  req: Request;
  url: URL;
  method: string;
  target: Target;
  auth: Authentication;
  schema: string;
  /** The response carries Content-Profile (a profile header was sent, or several schemas are exposed). */
  negotiatedByProfile: boolean;
  /** An insert names a conflict target (on_conflict or a primary key): resolution= is applied. */
  hasConflictTarget?: boolean;
  prefs: Preferences;
  media: ResponseMedia;
  stripNulls: boolean;
  /** The Range header of a GET (`items=0-9` or `0-9`), inclusive bounds. */
  range?: { lower: number; upper?: number };
}

const allowed = {
  root: ["OPTIONS", "GET", "HEAD"],
  relation: ["OPTIONS", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
  rpc: ["OPTIONS", "GET", "HEAD", "POST"],
};

function invalidPath(): ApiError {
  return new ApiError(404, "PGRST125", "Invalid path specified in request URL");
}

/** The target of the path, or 404 PGRST125. */
export function parseTarget(url: URL): Target {
  let segments: string[];
  try {
    segments = url.pathname.split("/").filter((segment) => segment !== "").map(decodeURIComponent);
  } catch {
    throw invalidPath();
  }
  if (segments.length === 0) return { kind: "root" };
  if (segments.length === 2 && segments[0] === "rpc") return { kind: "rpc", name: segments[1] };
  if (segments.length === 1) return { kind: "relation", name: segments[0] };
  throw invalidPath();
}

/** A method the target never takes is 405 (OPTIONS is answered per resource by the app). */
export function checkMethod(target: Target, method: string): void {
  const methods = allowed[target.kind];
  if (methods.includes(method)) return;
  if (target.kind === "rpc") throw new ApiError(405, "PGRST101", `Cannot use the ${method} method on RPC`);
  throw new ApiError(
    405,
    "PGRST117",
    `Unsupported HTTP method: ${method}`,
    null,
    null,
    { allow: methods.join(",") },
  );
}

/** `Range: 0-9` (GET only, as in PostgREST); a lower bound above the upper one is 416 PGRST103. */
function parseRange(header: string | null, method: string): ApiRequest["range"] {
  if (header === null || (method !== "GET" && method !== "HEAD")) return undefined;
  const match = header.trim().match(/^(?:items=)?(\d+)-(\d*)$/);
  if (!match) return undefined;
  const lower = Number(match[1]);
  const upper = match[2] === "" ? undefined : Number(match[2]);
  if (upper !== undefined && lower > upper) {
    throw new ApiError(
      416,
      "PGRST103",
      "Requested range not satisfiable",
      "The lower boundary must be lower than or equal to the upper boundary in the Range header.",
    );
  }
  return { lower, upper };
}

export function parseApiRequest(
  req: Request,
  url: URL,
  target: Target,
  auth: Authentication,
  config: RestConfig,
  timezones: ReadonlySet<string>,
): ApiRequest {
  const method = req.method.toUpperCase();
  const { media, stripNulls } = negotiateMedia(req.headers.get("accept"), target.kind === "root");
  const { schema, negotiated } = pickSchema(req.headers, method, config.dbSchemas);
  return {
    req,
    url,
    method,
    target,
    auth,
    schema,
    negotiatedByProfile: negotiated,
    prefs: parsePrefer(req.headers, config.dbTxEnd, timezones),
    media,
    stripNulls,
    range: parseRange(req.headers.get("range"), method),
  };
}
