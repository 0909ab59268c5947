import type { Context, MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { AuthConfig } from "./config.ts";
import type { Sql } from "./db.ts";
import { AuthError, badRequest, validationFailed } from "./errors.ts";
import type { Mailer } from "./mailer.ts";
import type { Limiters } from "./ratelimit.ts";
import { findSession } from "./sessions.ts";
import { type AccessTokenClaims, verifyAccessToken } from "./tokens.ts";
import { findUserById, type UserRow } from "./users.ts";

/** What every route needs: settings, the database pool and the mailer. */
export interface AuthDeps {
  config: AuthConfig;
  sql: Sql;
  mailer: Mailer;
  limiters: Limiters;
}

export interface AuthEnv {
  Bindings: { clientIp: string };
  Variables: {
    user: UserRow;
    sessionId: string | null;
    claims: AccessTokenClaims;
  };
}

/** Parses the JSON body against a schema; anything unparsable is GoTrue's 400 bad_json. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw badRequest("bad_json", `Could not parse request body as JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw badRequest("bad_json", `Could not parse request body as JSON: ${where}${issue.message}`);
  }
  return parsed.data;
}

const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** GoTrue's validateEmail: required, at most 255 characters, plausible format; returns it lower-cased. */
export function validateEmail(email: string | undefined | null): string {
  if (!email) throw validationFailed("An email address is required");
  if (email.length > 255) throw validationFailed("An email address is too long");
  if (!EMAIL_FORMAT.test(email)) throw validationFailed("Unable to validate email address: invalid format");
  return email.toLowerCase();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GoTrue's requireAuthentication: a valid user JWT whose user and session still exist. */
export function requireUser(deps: AuthDeps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer (\S+)$/i.exec(header.trim());
    if (!match) throw new AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token");
    const claims = await verifyAccessToken(deps.config, match[1]);
    if (!claims.sub) throw new AuthError(403, "bad_jwt", "invalid claim: missing sub claim");
    if (!UUID.test(claims.sub)) {
      throw new AuthError(400, "bad_jwt", "invalid claim: sub claim must be a UUID");
    }
    const user = await findUserById(deps.sql, claims.sub);
    if (!user) throw new AuthError(403, "user_not_found", "User from sub claim in JWT does not exist");
    let sessionId: string | null = null;
    if (claims.session_id) {
      if (!UUID.test(claims.session_id) || !(await findSession(deps.sql, claims.session_id))) {
        throw new AuthError(403, "session_not_found", "Session from session_id claim in JWT does not exist");
      }
      sessionId = claims.session_id;
    }
    c.set("user", user);
    c.set("sessionId", sessionId);
    c.set("claims", claims);
    await next();
  };
}

export function userAgent(c: Context): string | null {
  return c.req.header("User-Agent") ?? null;
}
