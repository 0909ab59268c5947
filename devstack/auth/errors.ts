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

export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof OAuthError) {
    return c.json({ error: err.error, error_description: err.description }, 400);
  }
  const authError = err instanceof AuthError ? err : isDatabaseUnavailable(err)
    ? new AuthError(
      503,
      "unexpected_failure",
      "Service temporarily unavailable: the database cannot be reached",
    )
    : unexpectedFailure("Internal server error");
  if (authError.status === 503) console.error("[auth] database unavailable:", (err as Error).message);
  else if (!(err instanceof AuthError)) console.error("[auth] unexpected error:", err);
  else if (err.status >= 500) console.error("[auth]", err.message, err.cause ?? "");

  const status = authError.status as ContentfulStatusCode;
  if (requestApiVersion(c)) {
    c.header("x-sb-error-code", authError.code);
    return c.json({ code: authError.code, message: authError.message, ...authError.extra }, status);
  }
  return c.json(
    { code: authError.status, error_code: authError.code, msg: authError.message, ...authError.extra },
    status,
  );
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

/** No connection to Postgres (refused, dropped, timed out, shutting down): GoTrue answers 503. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_ERRORS.has(code) || /^(08|57P)/.test(code))) return true;
    if (cause.name === "ConnectionRefused" || cause.name === "ConnectionReset") return true;
  }
  return false;
}
