import type { Database } from "./db.ts";

/** The signed-in person a request comes from: the claims of its access token. */
export interface Caller {
  sub: string;
  role: "authenticated";
  claims: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
 * and written. Anything thrown rolls the whole transaction back.
 */
export function asCaller<T>(db: Database, caller: Caller, work: (tx: Database) => Promise<T>): Promise<T> {
  return db.begin(async (tx) => {
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
