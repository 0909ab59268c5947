import type { Database } from "./db.ts";

/** The signed-in person a request comes from: the claims of its access token. */
export interface Caller {
  sub: string;
  role: "authenticated";
  claims: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * The caller of a function deployed with verify_jwt = true: the edge runtime (or the devstack's
 * functions host) has already checked the token's signature and expiry, so its claims are read
 * here as they are. Only a signed-in user's token is accepted (role authenticated, a user id);
 * the anon and service-role keys are refused.
 */
export function callerOf(request: Request): Caller | null {
  const token = /^Bearer ([A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*)$/.exec(
    request.headers.get("Authorization") ?? "",
  );
  if (!token) return null;
  try {
    const json = atob(token[2].replaceAll("-", "+").replaceAll("_", "/"));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    if (claims?.role !== "authenticated" || typeof claims.sub !== "string" || !UUID.test(claims.sub)) {
      return null;
    }
    return { sub: claims.sub, role: "authenticated", claims };
  } catch {
    return null;
  }
}

/**
 * Runs `work` in one transaction as the caller, the way the Data API does: role authenticated
 * with the token's claims, so row level security and the column privileges decide what is seen
 * and written, and with the settings `authenticated` has in the database (ALTER ROLE … SET, its
 * statement_timeout above all), which a role switched to with SET ROLE does not pick up by itself;
 * PostgREST applies them the same way per request. Anything thrown rolls the whole transaction back.
 */
export function asCaller<T>(db: Database, caller: Caller, work: (tx: Database) => Promise<T>): Promise<T> {
  return db.begin(async (tx) => {
    // As PostgREST reads them (queryRoleSettings): the role's ALTER ROLE … SET settings a user may set.
    await tx`
      select pg_catalog.set_config(split_part(cfg, '=', 1), substr(cfg, strpos(cfg, '=') + 1), true)
      from pg_catalog.pg_roles r
      cross join lateral unnest(r.rolconfig) as cfg
      join pg_catalog.pg_settings ps on ps.name = split_part(cfg, '=', 1) and ps.context = 'user'
      where r.rolname = 'authenticated' and ps.name <> 'default_transaction_isolation'`;
    await tx`select set_config('role', 'authenticated', true),
      set_config('request.jwt.claims', ${JSON.stringify(caller.claims)}, true)`;
    return await work(tx as unknown as Database);
  }) as Promise<T>;
}

export const unauthorized = () =>
  Response.json(
    { error: "unauthorized", message: "Sign in first: this needs your own access token." },
    { status: 401 },
  );

const refusal = (status: number, error: string, message: string) =>
  Response.json({ error, message }, { status });

/**
 * The one authentication step of every function a signed-in person calls (export, import,
 * delete-account, and whatever comes next). The token's signature and expiry are checked before
 * the function runs (verify_jwt); this step then asks what Auth asks on GET /user (GoTrue's
 * maybeLoadUserOrSession, internal/api/auth.go: the user of `sub` exists, and so does the session
 * of `session_id` when the token names one), reading Auth's own tables, and applies the database's
 * two-factor rule: a person with a verified factor (private.two_factor_accounts, which the
 * restrictive policies read too) needs an aal2 token.
 *
 * Returns the caller, or the answer to give: 401 for no token, the anon or service key, a deleted
 * user or an ended session; 403 `mfa_required` for a password-only session of a two-factor account.
 */
export async function authenticate(db: Database, request: Request): Promise<Caller | Response> {
  const caller = callerOf(request);
  if (!caller) return unauthorized();
  const rawSession = caller.claims.session_id;
  if (rawSession !== undefined && (typeof rawSession !== "string" || !UUID.test(rawSession))) {
    return unauthorized();
  }
  const sessionId = rawSession === undefined || rawSession === NIL_UUID ? null : rawSession;
  const [standing] = await db<{ session_alive: boolean; two_factor: boolean }[]>`
    select (${sessionId}::uuid is null
        or exists (select from auth.sessions s where s.id = ${sessionId}::uuid and s.user_id = u.id)) as session_alive,
      exists (select from private.two_factor_accounts a where a.user_id = u.id) as two_factor
    from auth.users u where u.id = ${caller.sub}::uuid`;
  if (!standing || !standing.session_alive) {
    return refusal(
      401,
      "unauthorized",
      "This session has ended or its account no longer exists: sign in again.",
    );
  }
  if (standing.two_factor && caller.claims.aal !== "aal2") {
    return refusal(
      403,
      "mfa_required",
      "Your account uses two-factor sign-in: enter the code from your authenticator app to continue.",
    );
  }
  return caller;
}
