import type { Db } from "./db.ts";
import { factorJson, type FactorRow } from "./factors.ts";

/** A row of auth.users, the columns this server reads. */
export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change: string | null;
  email_change_token_new: string | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  email_change_sent_at: Date | null;
  reauthentication_token: string | null;
  reauthentication_sent_at: Date | null;
  deleted_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Record<string, unknown>;
  provider: string;
  email: string | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const USER_COLUMNS = [
  "id",
  "aud",
  "role",
  "email",
  "encrypted_password",
  "email_confirmed_at",
  "invited_at",
  "confirmation_token",
  "confirmation_sent_at",
  "recovery_token",
  "recovery_sent_at",
  "email_change",
  "email_change_token_new",
  "email_change_token_current",
  "email_change_confirm_status",
  "email_change_sent_at",
  "reauthentication_token",
  "reauthentication_sent_at",
  "deleted_at",
  "last_sign_in_at",
  "raw_app_meta_data",
  "raw_user_meta_data",
  "created_at",
  "updated_at",
  "phone",
  "phone_confirmed_at",
  "confirmed_at",
  "banned_until",
  "is_anonymous",
];

export async function findUserById(db: Db, id: string): Promise<UserRow | null> {
  const [row] = await db<UserRow[]>`select ${db(USER_COLUMNS)} from auth.users where id = ${id}`;
  return row ?? null;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [row] = await db<UserRow[]>`
    select ${db(USER_COLUMNS)} from auth.users
    where lower(email) = ${email.toLowerCase()} and is_sso_user = false
    limit 1`;
  return row ?? null;
}

export type TokenColumn =
  | "confirmation_token"
  | "recovery_token"
  | "email_change_token_new"
  | "email_change_token_current"
  | "reauthentication_token";

/** When each token was mailed: its expiry and the mail frequency count from there. */
export const SENT_AT: Record<TokenColumn, keyof UserRow> = {
  confirmation_token: "confirmation_sent_at",
  recovery_token: "recovery_sent_at",
  email_change_token_new: "email_change_sent_at",
  email_change_token_current: "email_change_sent_at",
  reauthentication_token: "reauthentication_sent_at",
};

/** The user holding `hash` (as stored, PKCE prefix included) in one of the token columns. */
export async function findUserByToken(db: Db, columns: TokenColumn[], hash: string): Promise<UserRow | null> {
  if (!hash) return null;
  const [row] = await db<UserRow[]>`
    select ${db(USER_COLUMNS)} from auth.users
    where is_sso_user = false and (${db(columns[0])} = ${hash} or ${db(columns[1] ?? columns[0])} = ${hash})
    limit 1 for update`;
  return row ?? null;
}

export async function findUsersByEmailOrNewEmail(db: Db, email: string): Promise<UserRow[]> {
  return await db<UserRow[]>`
    select ${db(USER_COLUMNS)} from auth.users
    where is_sso_user = false and (lower(email) = ${email} or lower(email_change) = ${email})
    for update`;
}

export async function setToken(db: Db, userId: string, column: TokenColumn, hash: string): Promise<void> {
  await db`
    update auth.users set ${db(column)} = ${hash}, ${
    db(SENT_AT[column] as string)
  } = now(), updated_at = now()
    where id = ${userId}`;
}

export async function clearToken(db: Db, userId: string, column: TokenColumn): Promise<void> {
  await db`update auth.users set ${db(column)} = '', updated_at = now() where id = ${userId}`;
}

/** Locks the user row for the rest of the transaction. */
export async function lockUser(db: Db, id: string): Promise<UserRow | null> {
  const [row] = await db<UserRow[]>`select ${db(USER_COLUMNS)} from auth.users where id = ${id} for update`;
  return row ?? null;
}

export interface NewUser {
  id: string;
  email: string;
  encryptedPassword: string;
  userMetadata: Record<string, unknown>;
  /**
   * Whether the identity's claims (sub, email, email_verified, phone_verified) are merged into
   * user_metadata, as GoTrue's sign-up does. Its admin paths (createUser, invite, generateLink)
   * keep user_metadata exactly as sent (internal/api/admin.go, createNewIdentity).
   */
  claimsInMetadata?: boolean;
}

/** Inserts the user and its e-mail identity the way GoTrue does, so auth.users triggers see the same row. */
export async function insertUserWithIdentity(db: Db, user: NewUser): Promise<void> {
  const appMetadata = { provider: "email", providers: ["email"] };
  const identityData = { sub: user.id, email: user.email, email_verified: false, phone_verified: false };
  const claimsInMetadata = user.claimsInMetadata ?? true;
  const userMetadata = claimsInMetadata ? { ...user.userMetadata, ...identityData } : user.userMetadata;
  await db`
    insert into auth.users (
      instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
      raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_anonymous
    ) values (
      '00000000-0000-0000-0000-000000000000', ${user.id}, 'authenticated', 'authenticated', ${user.email},
      ${user.encryptedPassword}, null, ${JSON.stringify(appMetadata)}::text::jsonb,
      ${JSON.stringify(userMetadata)}::text::jsonb, false, now(), now(), false
    )`;
  // GoTrue copies sign-up data into identity_data too, without overriding the standard claims.
  const fullIdentityData = claimsInMetadata ? { ...user.userMetadata, ...identityData } : identityData;
  await db`
    insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
    values (${user.id}, ${user.id}, ${
    JSON.stringify(fullIdentityData)
  }::text::jsonb, 'email', now(), now(), now())`;
}

/** GoTrue's anonymous user: no e-mail, no identity, is_anonymous set. */
export async function insertAnonymousUser(db: Db, id: string, userMetadata: Record<string, unknown>) {
  await db`
    insert into auth.users (
      instance_id, id, aud, role, raw_app_meta_data, raw_user_meta_data, is_super_admin,
      created_at, updated_at, is_anonymous
    ) values (
      '00000000-0000-0000-0000-000000000000', ${id}, 'authenticated', 'authenticated',
      '{}'::jsonb, ${JSON.stringify(userMetadata)}::text::jsonb, false, now(), now(), true
    )`;
}

/** Marks the e-mail as confirmed and flips email_verified in the user and identity metadata. */
export async function confirmUser(db: Db, userId: string): Promise<void> {
  await db`
    update auth.users set
      email_confirmed_at = coalesce(email_confirmed_at, now()),
      confirmation_token = '',
      raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb,
      updated_at = now()
    where id = ${userId}`;
  await db`
    update auth.identities set
      identity_data = identity_data || '{"email_verified": true}'::jsonb,
      updated_at = now()
    where user_id = ${userId} and provider = 'email'`;
}

/** Makes the pending new address the user's e-mail (GoTrue's ConfirmEmailChange). */
export async function applyEmailChange(db: Db, userId: string): Promise<void> {
  const [user] = await db<{ email_change: string }[]>`
    update auth.users set
      email = email_change,
      email_change = '',
      email_change_token_new = '',
      email_change_token_current = '',
      email_change_confirm_status = 0,
      email_confirmed_at = coalesce(email_confirmed_at, now()),
      raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || jsonb_build_object('email', email_change),
      updated_at = now()
    where id = ${userId}
    returning email as email_change`;
  await db`
    update auth.identities set
      identity_data = identity_data || jsonb_build_object('email', ${user.email_change}::text),
      updated_at = now()
    where user_id = ${userId} and provider = 'email'`;
}

export async function recordSignIn(db: Db, userId: string): Promise<void> {
  await db`update auth.users set last_sign_in_at = now(), updated_at = now() where id = ${userId}`;
  await db`update auth.identities set last_sign_in_at = now() where user_id = ${userId}`;
}

export async function findIdentities(db: Db, userId: string): Promise<IdentityRow[]> {
  return await db<IdentityRow[]>`
    select id, provider_id, user_id, identity_data, provider, email, last_sign_in_at, created_at, updated_at
    from auth.identities where user_id = ${userId} order by created_at`;
}

export function isBanned(user: UserRow): boolean {
  return user.banned_until !== null && user.banned_until.getTime() > Date.now();
}

export function isConfirmed(user: UserRow): boolean {
  return user.email_confirmed_at !== null;
}

/** GoTrue's User JSON: keys whose value is null are left out, as Go's omitempty does. */
export function userJson(
  user: UserRow,
  identities: IdentityRow[],
  factors: FactorRow[] = [],
): Record<string, unknown> {
  const optional = (value: Date | string | null) => (value === null || value === "" ? undefined : value);
  return {
    id: user.id,
    aud: user.aud ?? "",
    role: user.role ?? "",
    email: user.email ?? "",
    email_confirmed_at: optional(user.email_confirmed_at),
    invited_at: optional(user.invited_at),
    phone: user.phone ?? "",
    phone_confirmed_at: optional(user.phone_confirmed_at),
    confirmation_sent_at: optional(user.confirmation_sent_at),
    confirmed_at: optional(user.confirmed_at),
    recovery_sent_at: optional(user.recovery_sent_at),
    new_email: optional(user.email_change),
    email_change_sent_at: optional(user.email_change_sent_at),
    last_sign_in_at: optional(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: identities.map(identityJson),
    factors: factors.length ? factors.map(factorJson) : undefined,
    created_at: user.created_at,
    updated_at: user.updated_at,
    is_anonymous: user.is_anonymous,
  };
}

function identityJson(identity: IdentityRow): Record<string, unknown> {
  return {
    identity_id: identity.id,
    id: identity.provider_id,
    user_id: identity.user_id,
    identity_data: identity.identity_data,
    provider: identity.provider,
    last_sign_in_at: identity.last_sign_in_at,
    created_at: identity.created_at,
    updated_at: identity.updated_at,
    email: identity.email ?? undefined,
  };
}

/**
 * What sign-up answers for an e-mail that is already confirmed: a plausible user with a random id
 * and no identities, so the response does not reveal that the account exists.
 */
export function fakeUserJson(email: string, userMetadata: Record<string, unknown>): Record<string, unknown> {
  const now = new Date();
  return {
    id: crypto.randomUUID(),
    aud: "authenticated",
    role: "",
    email,
    phone: "",
    confirmation_sent_at: now,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: userMetadata,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}
