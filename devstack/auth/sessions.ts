import type { AuthConfig } from "./config.ts";
import type { Db, Sql } from "./db.ts";
import { badRequest } from "./errors.ts";
import { newRefreshToken, signAccessToken } from "./tokens.ts";
import { findIdentities, findUserById, isBanned, recordSignIn, userJson, type UserRow } from "./users.ts";

/** How a session was started; it becomes the `amr` claim. */
export type AuthMethod =
  | "password"
  | "otp"
  | "email/signup"
  | "anonymous"
  | "magiclink"
  | "recovery"
  | "invite"
  | "email_change"
  | "totp";

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  not_after: Date | null;
}

interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  updated_at: Date;
}

/** Starts a session for the user and returns GoTrue's AccessTokenResponse. Call inside a transaction. */
export async function startSession(
  config: AuthConfig,
  db: Db,
  userId: string,
  method: AuthMethod,
  userAgent: string | null,
): Promise<Record<string, unknown>> {
  const sessionId = crypto.randomUUID();
  await db`
    insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent)
    values (${sessionId}, ${userId}, now(), now(), 'aal1', ${userAgent})`;
  const refreshToken = newRefreshToken();
  await db`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values ('00000000-0000-0000-0000-000000000000', ${refreshToken}, ${userId}, false, now(), now(), null, ${sessionId})`;
  await recordSignIn(db, userId);
  return await sessionResponse(config, db, userId, sessionId, refreshToken, method);
}

async function sessionResponse(
  config: AuthConfig,
  db: Db,
  userId: string,
  sessionId: string,
  refreshToken: string,
  method: AuthMethod,
): Promise<Record<string, unknown>> {
  const user = await findUserById(db, userId) as UserRow;
  const [session] = await db<
    SessionRow[]
  >`select id, user_id, created_at, not_after from auth.sessions where id = ${sessionId}`;
  const { token, expiresAt } = await signAccessToken(config, {
    userId: user.id,
    email: user.email ?? "",
    phone: user.phone ?? "",
    appMetadata: user.raw_app_meta_data ?? {},
    userMetadata: user.raw_user_meta_data ?? {},
    isAnonymous: user.is_anonymous,
    sessionId,
    aal: "aal1",
    amr: [{ method, timestamp: Math.floor(session.created_at.getTime() / 1000) }],
  });
  return {
    access_token: token,
    token_type: "bearer",
    expires_in: config.jwtExp,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user, await findIdentities(db, user.id)),
  };
}

export async function findSession(db: Db, sessionId: string): Promise<SessionRow | null> {
  const [row] = await db<SessionRow[]>`
    select id, user_id, created_at, not_after from auth.sessions where id = ${sessionId}`;
  return row ?? null;
}

const alreadyUsed = () => badRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");

/**
 * The refresh_token grant with GoTrue's rotation and reuse detection: the presented token is revoked
 * and a child issued. A revoked token is still accepted when it is the parent of the session's active
 * token (the client lost the last answer: it gets the active token back) or within the reuse
 * interval; any other reuse ends the whole session.
 */
export async function refreshSession(
  config: AuthConfig,
  sql: Sql,
  presented: string,
  userAgent: string | null,
): Promise<Record<string, unknown>> {
  const outcome = await sql.begin(async (tx) => {
    const [token] = await tx<RefreshTokenRow[]>`
      select id, token, user_id, revoked, parent, session_id, updated_at
      from auth.refresh_tokens where token = ${presented} for update`;
    if (!token) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    const user = await findUserById(tx, token.user_id);
    if (!user) throw badRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    if (isBanned(user)) throw badRequest("user_banned", "Invalid Refresh Token: User Banned");

    const [session] = token.session_id
      ? await tx<SessionRow[]>`
          select id, user_id, created_at, not_after from auth.sessions where id = ${token.session_id} for update`
      : [];
    if (!session) throw badRequest("session_not_found", "Invalid Refresh Token: No Valid Session Found");
    if (session.not_after && session.not_after.getTime() < Date.now()) {
      throw badRequest("session_expired", "Invalid Refresh Token: Session Expired");
    }

    let issued: string | null = null;
    if (token.revoked) {
      const [active] = await tx<RefreshTokenRow[]>`
        select id, token, user_id, revoked, parent, session_id, updated_at from auth.refresh_tokens
        where session_id = ${session.id} and revoked = false order by id desc limit 1`;
      if (active && active.parent === token.token) {
        issued = active.token;
      } else if (Date.now() > token.updated_at.getTime() + config.refreshTokenReuseInterval * 1000) {
        await tx`delete from auth.sessions where id = ${session.id}`;
        return { reused: true } as const;
      }
    }
    if (issued === null) {
      issued = newRefreshToken();
      await tx`update auth.refresh_tokens set revoked = true, updated_at = now() where id = ${token.id}`;
      await tx`
        insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
        values ('00000000-0000-0000-0000-000000000000', ${issued}, ${token.user_id}, false, now(), now(),
                ${token.token}, ${session.id})`;
    }
    await tx`
      update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now(), user_agent = ${userAgent}
      where id = ${session.id}`;
    // GoTrue keeps the original method in auth.mfa_amr_claims; this schema has no such table.
    return { response: await sessionResponse(config, tx, user.id, session.id, issued, "password") } as const;
  });
  // The session's deletion must be committed before the error goes out, as GoTrue does.
  if ("reused" in outcome) throw alreadyUsed();
  return outcome.response;
}

export type LogoutScope = "global" | "local" | "others";

export async function logout(db: Db, scope: LogoutScope, userId: string, sessionId: string | null) {
  if (sessionId === null) {
    await db`delete from auth.refresh_tokens where user_id = ${userId}`;
    return;
  }
  if (scope === "local") await db`delete from auth.sessions where id = ${sessionId}`;
  else if (scope === "others") {
    await db`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  } else {
    await db`delete from auth.sessions where user_id = ${userId}`;
    await db`delete from auth.refresh_tokens where user_id = ${userId}`;
  }
}
