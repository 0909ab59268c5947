import type { Db } from "./db.ts";

/** A row of auth.mfa_factors, the columns this server uses. */
export interface FactorRow {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: "totp" | "webauthn" | "phone";
  status: "unverified" | "verified";
  secret: string | null;
  created_at: Date;
  updated_at: Date;
  phone: string | null;
  last_challenged_at: Date | null;
}

export async function findFactors(db: Db, userId: string): Promise<FactorRow[]> {
  return await db<FactorRow[]>`
    select id, user_id, friendly_name, factor_type, status, secret, created_at, updated_at, phone,
      last_challenged_at
    from auth.mfa_factors where user_id = ${userId} order by created_at`;
}

export async function findFactor(db: Db, userId: string, id: string): Promise<FactorRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await db<FactorRow[]>`
    select id, user_id, friendly_name, factor_type, status, secret, created_at, updated_at, phone,
      last_challenged_at
    from auth.mfa_factors where id = ${id} and user_id = ${userId} for update`;
  return row ?? null;
}

/**
 * GoTrue's Factor JSON (internal/models/factor.go): `friendly_name,omitempty`, `phone` as a
 * storage.NullString ("" when unset), `last_challenged_at`; the secret never leaves after enrolment.
 */
export function factorJson(factor: FactorRow): Record<string, unknown> {
  return {
    id: factor.id,
    created_at: factor.created_at,
    updated_at: factor.updated_at,
    status: factor.status,
    ...(factor.friendly_name ? { friendly_name: factor.friendly_name } : {}),
    factor_type: factor.factor_type,
    phone: factor.phone ?? "",
    last_challenged_at: factor.last_challenged_at,
  };
}
