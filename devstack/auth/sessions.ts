import type { AuthConfig } from "./config.ts";
import type { Db, Sql } from "./db.ts";
import { badRequest } from "./errors.ts";
import { newRefreshToken, signAccessToken } from "./tokens.ts";
import { findFactors } from "./factors.ts";
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
  aal: "aal1" | "aal2" | "aal3" | null;
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
  await addAmrClaim(db, sessionId, method);
  await recordSignIn(db, userId);
  return await sessionResponse(config, db, userId, sessionId, refreshToken);
}

/** Records how the session was authenticated (auth.mfa_amr_claims: the JWT's amr). */
export async function addAmrClaim(db: Db, sessionId: string, method: AuthMethod): Promise<void> {
  await db`
    insert into auth.mfa_amr_claims (session_id, created_at, updated_at, authentication_method, id)
    values (${sessionId}, now(), now(), ${method}, ${crypto.randomUUID()})
    on conflict (session_id, authentication_method) do update set updated_at = now()`;
}

/** A new refresh token in an existing session (after an MFA step-up), with the session's claims. */
export async function reissueSession(
  config: AuthConfig,
  db: Db,
  userId: string,
  sessionId: string,
): Promise<Record<string, unknown>> {
  await db`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = ${sessionId}`;
  const refreshToken = newRefreshToken();
  await db`
    insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
    values ('00000000-0000-0000-0000-000000000000', ${refreshToken}, ${userId}, false, now(), now(), null, ${sessionId})`;
  return await sessionResponse(config, db, userId, sessionId, refreshToken);
}

async function sessionResponse(
  config: AuthConfig,
  db: Db,
  userId: string,
  sessionId: string,
  refreshToken: string,
): Promise<Record<string, unknown>> {
  const user = await findUserById(db, userId) as UserRow;
  const [session] = await db<(SessionRow & { aal: "aal1" | "aal2" })[]>`
    select id, user_id, created_at, not_after, aal from auth.sessions where id = ${sessionId}`;
  // GoTrue lists the session's methods, the most recent first.
  const claims = await db<{ authentication_method: string; updated_at: Date }[]>`
    select authentication_method, updated_at from auth.mfa_amr_claims
    where session_id = ${sessionId} order by updated_at desc`;
  const { token, expiresAt } = await signAccessToken(config, {
    userId: user.id,
    email: user.email ?? "",
    phone: user.phone ?? "",
    appMetadata: user.raw_app_meta_data ?? {},
    userMetadata: user.raw_user_meta_data ?? {},
    isAnonymous: user.is_anonymous,
    sessionId,
    aal: session.aal,
    amr: claims.map((claim) => ({
      method: claim.authentication_method,
      timestamp: Math.floor(claim.updated_at.getTime() / 1000),
    })),
  });
  return {
    access_token: token,
    token_type: "bearer",
    expires_in: config.jwtExp,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user, await findIdentities(db, user.id), await findFactors(db, user.id)),
  };
}

export async function findSession(db: Db, sessionId: string): Promise<SessionRow | null> {
  const [row] = await db<SessionRow[]>`
    select id, user_id, created_at, not_after, aal from auth.sessions where id = ${sessionId}`;
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
    return { response: await sessionResponse(config, tx, user.id, session.id, issued) } as const;
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
