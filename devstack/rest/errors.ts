/**
 * PostgREST's error responses: the `{code, details, hint, message}` body, the PGRST codes the
 * devstack emits, and the SQLSTATE → HTTP status mapping PostgREST applies to database errors.
 */

/** An error answered as a PostgREST error response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    const body = JSON.stringify({
      code: this.code,
      details: this.details,
      hint: this.hint,
      message: this.message,
    });
    return new Response(body, {
      status: this.status,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "proxy-status": `PostgREST; error=${this.code}`,
        ...this.headers,
      },
    });
  }
}

/** 400 PGRST100: a query parameter PostgREST could not parse, or one the devstack does not support. */
export function queryParamError(message: string, details: string | null = null): ApiError {
  return new ApiError(400, "PGRST100", message, details);
}

/** 400 PGRST100 for a PostgREST feature outside the devstack's subset. */
export function unsupported(feature: string): ApiError {
  return new ApiError(
    400,
    "PGRST100",
    `Unsupported by the devstack Data API: ${feature}`,
    "The devstack implements the subset of PostgREST that supabase-js emits (see devstack/rest/README.md).",
  );
}

/** 400 PGRST102: the body is not the JSON the request needs. */
export function invalidBody(message = "Empty or invalid json", details: string | null = null): ApiError {
  return new ApiError(400, "PGRST102", message, details);
}

/** 406 PGRST116: the object media type was requested but the result has `rows` rows. */
export function singularityError(rows: number): ApiError {
  return new ApiError(
    406,
    "PGRST116",
    "Cannot coerce the result to a single JSON object",
    `The result contains ${rows} rows`,
  );
}

/** The fields of a Postgres error that PostgREST reports (postgres.js PostgresError carries them). */
export interface PgErrorLike {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function isPgError(error: unknown): error is PgErrorLike {
  return error instanceof Error && error.name === "PostgresError" &&
    typeof (error as unknown as PgErrorLike).code === "string";
}

/**
 * HTTP status for a SQLSTATE, as PostgREST maps it. `authenticated` is false when the request ran
 * as the anonymous role: insufficient privilege is then 401 (log in) rather than 403.
 */
export function statusForSqlState(code: string, message: string, authenticated: boolean): number {
  const two = code.slice(0, 2);
  if (two === "08") return 503;
  if (two === "09") return 500;
  if (two === "0L" || two === "0P") return 403;
  if (code === "23503" || code === "23505") return 409;
  if (code === "25006") return 405;
  if (code === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500;
  if (code === "22023") return message.startsWith("role") && message.endsWith("does not exist") ? 401 : 400;
  if (["25", "2D", "38", "39", "3B", "40", "54", "55", "58", "F0", "HV", "XX"].includes(two)) return 500;
  if (two === "28") return 403;
  if (code === "53400") return 500;
  if (two === "53") return 503;
  if (code === "57P01") return 503;
  if (two === "57") return 500;
  if (code === "P0001") return 400;
  if (two === "P0") return 500;
  if (code === "42883") return 404;
  if (code === "42P01") return 404;
  if (code === "42P17") return 500;
  if (code === "42501") return authenticated ? 403 : 401;
  if (two === "PT") {
    const status = Number(code.slice(2));
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
  }
  return 400;
}

/** The PostgREST error response for a Postgres error raised while serving the request. */
export function fromPgError(error: PgErrorLike, authenticated: boolean): ApiError {
  if (error.code === "PGRST") return fromRaisePgrst(error);
  const status = statusForSqlState(error.code, error.message, authenticated);
  const headers: Record<string, string> = status === 401 ? { "www-authenticate": "Bearer" } : {};
  return new ApiError(status, error.code, error.message, error.detail ?? null, error.hint ?? null, headers);
}

/**
 * `RAISE SQLSTATE 'PGRST' USING message = '{"code":..,"message":..}', detail = '{"status":..,"headers":{..}}'`
 * gives a function full control of the response, as in PostgREST.
 */
function fromRaisePgrst(error: PgErrorLike): ApiError {
  try {
    const message = JSON.parse(error.message);
    const detail = JSON.parse(error.detail ?? "");
    if (
      typeof message?.code !== "string" || typeof message?.message !== "string" ||
      typeof detail?.status !== "number" || typeof detail?.headers !== "object"
    ) throw new Error("bad shape");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(detail.headers ?? {})) {
      headers[name.toLowerCase()] = String(value);
    }
    return new ApiError(
      detail.status,
      message.code,
      message.message,
      typeof message.details === "string" ? message.details : null,
      typeof message.hint === "string" ? message.hint : null,
      headers,
    );
  } catch {
    return new ApiError(
      500,
      "PGRST121",
      "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error",
      `Invalid JSON value for MESSAGE or DETAIL: '${error.message}'`,
      "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
    );
  }
}

/** 400 PGRST108: a filter, order or limit names a resource the select does not embed. */
export function notEmbedded(name: string): ApiError {
  return new ApiError(
    400,
    "PGRST108",
    `'${name}' is not an embedded resource in this request`,
    null,
    `Verify that '${name}' is included in the 'select' query parameter.`,
  );
}
