import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The API version from which GoTrue answers errors as `{code, message}` instead of `{code, error_code, msg}`. */
export const API_VERSION_2024 = "2024-01-01";
const API_VERSION_HEADER = "X-Supabase-Api-Version";

/** An error GoTrue would answer with: HTTP status, stable error code, human message. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level body fields, e.g. `weak_password: {reasons}`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** OAuth-style error (`{error, error_description}`), used by GoTrue for a few /token checks. */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(description);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const validationFailed = (message: string) => badRequest("validation_failed", message);
export const unexpectedFailure = (message: string) => new AuthError(500, "unexpected_failure", message);

/** The request's API version if it is one GoTrue knows (only 2024-01-01 exists). */
export function requestApiVersion(c: Context): string | null {
  const value = c.req.header(API_VERSION_HEADER);
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return value >= API_VERSION_2024 ? API_VERSION_2024 : null;
}

/** GoTrue's message for a failure it has no better words for (a raw error reaching its handler). */
const UNEXPECTED = "Unexpected failure, please check server logs for more information";

export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof OAuthError) {
    return c.json({ error: err.error, error_description: err.description }, 400);
  }
  // GoTrue has no 503: a database it cannot reach is an error like any other, 500 unexpected_failure.
  const authError = err instanceof AuthError ? err : unexpectedFailure(UNEXPECTED);
  if (isDatabaseUnavailable(err)) console.error("[auth] database unavailable:", (err as Error).message);
  else if (!(err instanceof AuthError)) console.error("[auth] unexpected error:", err);
  else if (err.status >= 500) console.error("[auth]", err.message, err.cause ?? "");

  const status = authError.status as ContentfulStatusCode;
  const versioned = requestApiVersion(c) !== null;
  // GoTrue names the code in a header too, except for raw failures and a versioned weak_password.
  const raw = !(err instanceof AuthError);
  if (!raw && !(versioned && authError.code === "weak_password")) c.header("x-sb-error-code", authError.code);
  if (versioned) {
    return c.json({ code: authError.code, message: authError.message, ...authError.extra }, status);
  }
  // The unversioned format shows a Postgres error raised by a trigger or constraint as it is.
  const postgres = publicPostgresError(authError.cause);
  if (postgres) return c.json(postgres.body, postgres.status);
  return c.json(
    {
      code: authError.status,
      error_code: authError.code,
      msg: authError.message,
      ...(authError.status >= 500 && !raw ? { error_id: crypto.randomUUID() } : {}),
      ...authError.extra,
    },
    status,
  );
}

/** The Postgres error codes GoTrue passes on to unversioned clients (500), and `PTnnn` as status nnn. */
const PUBLIC_POSTGRES_CODES = new Set([
  "P0001",
  "23000",
  "23001",
  "23502",
  "23503",
  "23505",
  "23514",
  "23P01",
]);

function publicPostgresError(
  cause: unknown,
): { status: ContentfulStatusCode; body: Record<string, string> } | null {
  for (let at = cause; at instanceof Error; at = at.cause) {
    const { code, detail, hint } = at as { code?: unknown; detail?: string; hint?: string };
    if (typeof code !== "string" || code.length !== 5) continue;
    const custom = /^PT(\d{3})$/.exec(code);
    const status = PUBLIC_POSTGRES_CODES.has(code) ? 500 : custom ? Number(custom[1]) : 0;
    if (!status) return null;
    return {
      status: status as ContentfulStatusCode,
      body: { code, message: at.message, ...(hint ? { hint } : {}), ...(detail ? { detail } : {}) },
    };
  }
  return null;
}

/** Middleware: echoes the API version header like GoTrue does for versioned requests. */
export async function apiVersionHeader(c: Context, next: () => Promise<void>) {
  await next();
  if (requestApiVersion(c)) c.res.headers.set(API_VERSION_HEADER, API_VERSION_2024);
}

const CONNECTION_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/** No connection to Postgres (refused, dropped, timed out, shutting down). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_ERRORS.has(code) || /^(08|57P)/.test(code))) return true;
    if (cause.name === "ConnectionRefused" || cause.name === "ConnectionReset") return true;
  }
  return false;
}
