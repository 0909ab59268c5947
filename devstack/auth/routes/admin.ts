import { type Context, Hono, type MiddlewareHandler } from "hono";
import { createHash } from "node:crypto";
import { z } from "zod";
import { mailToken } from "../confirmation.ts";
import type { Db } from "../db.ts";
import { AuthError, validationFailed } from "../errors.ts";
import { factorJson, findFactor, findFactors } from "../factors.ts";
import { type AuthDeps, type AuthEnv, readJson, validateEmail } from "../http.ts";
import { checkPasswordStrength, hashPassword } from "../passwords.ts";
import { chooseRedirect } from "../redirects.ts";
import { newOtp, tokenHash, verifyAccessToken } from "../tokens.ts";
import {
  findIdentities,
  findUserByEmail,
  findUserById,
  insertUserWithIdentity,
  lockUser,
  setToken,
  type TokenColumn,
  userJson,
  type UserRow,
} from "../users.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** GoTrue's loadUser and loadFactor answer a malformed id in the path with a 404. */
const notAUuid = (param: string) => new AuthError(404, "validation_failed", `${param} must be an UUID`);
const ADMIN_ROLES = new Set(["service_role"]);
const emailExists = () =>
  new AuthError(422, "email_exists", "A user with this email address has already been registered");
const userNotFound = () => new AuthError(404, "user_not_found", "User not found");

const metadata = z.record(z.string(), z.unknown()).nullish();
const adminUserBody = z.object({
  email: z.string().nullish(),
  password: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  user_metadata: metadata,
  app_metadata: metadata,
  ban_duration: z.string().nullish(),
  phone: z.string().nullish(),
  role: z.string().nullish(),
});
const deleteBody = z.object({ should_soft_delete: z.boolean().nullish() });
const inviteBody = z.object({ email: z.string().nullish(), data: metadata });
const linkBody = z.object({
  type: z.string().nullish(),
  email: z.string().nullish(),
  new_email: z.string().nullish(),
  password: z.string().nullish(),
  data: metadata,
  redirect_to: z.string().nullish(),
});

/** GoTrue's requireAdminCredentials: a valid JWT whose role is an admin role (service_role). */
function requireAdmin(deps: AuthDeps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const match = /^Bearer (\S+)$/i.exec((c.req.header("Authorization") ?? "").trim());
    if (!match) throw new AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token");
    const claims = await verifyAccessToken(deps.config, match[1]);
    if (!ADMIN_ROLES.has(String(claims.role))) throw new AuthError(403, "not_admin", "User not allowed");
    await next();
  };
}

/** Go durations as ban_duration takes them ("24h", "1h30m"), or "none" to lift a ban. */
function banUntil(duration: string): Date | null {
  if (duration === "none") return null;
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((part) => part[0]).join("") !== duration) {
    throw new AuthError(400, "validation_failed", "invalid format for ban duration");
  }
  const ms = parts.reduce(
    (sum, [, value, unit]) =>
      sum + Number(value) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as "ms" | "s" | "m" | "h"],
    0,
  );
  return new Date(Date.now() + ms);
}

/** The admin API (service_role only): users, invites, generated links and factors. */
export function adminRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;
  const admin = requireAdmin(deps);

  const respond = async (c: Context<AuthEnv>, db: Db, id: string) => {
    const user = await findUserById(db, id);
    if (!user) throw userNotFound();
    return c.json(userJson(user, await findIdentities(db, id), await findFactors(db, id)));
  };
  const loadUser = async (db: Db, id: string): Promise<UserRow> => {
    if (!UUID.test(id)) throw notAUuid("user_id");
    const user = await lockUser(db, id);
    if (!user) throw userNotFound();
    return user;
  };

  /** Creates an e-mail user as GoTrue's admin and invite paths do. */
  const createUser = async (
    tx: Db,
    email: string,
    password: string | null,
    data: Record<string, unknown>,
  ) => {
    const id = crypto.randomUUID();
    await insertUserWithIdentity(tx, {
      id,
      email,
      encryptedPassword: password ? await hashPassword(password) : "",
      userMetadata: data,
      claimsInMetadata: false,
    });
    return await findUserById(tx, id) as UserRow;
  };

  const applyUpdate = async (tx: Db, user: UserRow, body: z.infer<typeof adminUserBody>) => {
    if (body.email) {
      const email = validateEmail(body.email);
      const taken = await findUserByEmail(tx, email);
      if (taken && taken.id !== user.id) throw emailExists();
      await tx`update auth.users set email = ${email} where id = ${user.id}`;
      await tx`
        update auth.identities set identity_data = identity_data || jsonb_build_object('email', ${email}::text)
        where user_id = ${user.id} and provider = 'email'`;
    }
    if (body.password) {
      checkPasswordStrength(config, body.password);
      await tx`update auth.users set encrypted_password = ${await hashPassword(
        body.password,
      )} where id = ${user.id}`;
    }
    if (body.email_confirm) {
      // GoTrue's User.Confirm (internal/models/user.go) also sets user_metadata.email_verified.
      await tx`
        update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()),
          raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb
        where id = ${user.id}`;
    }
    if (body.user_metadata) {
      // GoTrue's UpdateUserMetaData: sent keys replace, a key sent as null is removed.
      const removed = Object.entries(body.user_metadata).filter(([, value]) => value === null).map(([key]) =>
        key
      );
      await tx`
        update auth.users set raw_user_meta_data = (coalesce(raw_user_meta_data, '{}'::jsonb) || ${
        JSON.stringify(body.user_metadata)
      }::text::jsonb) - ${removed}::text[] where id = ${user.id}`;
    }
    if (body.app_metadata) {
      await tx`
        update auth.users set raw_app_meta_data = coalesce(raw_app_meta_data, '{}'::jsonb) || ${
        JSON.stringify(body.app_metadata)
      }::text::jsonb where id = ${user.id}`;
    }
    if (body.ban_duration) {
      await tx`update auth.users set banned_until = ${banUntil(body.ban_duration)} where id = ${user.id}`;
    }
    if (body.role) await tx`update auth.users set role = ${body.role} where id = ${user.id}`;
    await tx`update auth.users set updated_at = now() where id = ${user.id}`;
  };

  return new Hono<AuthEnv>()
    .use("/admin/*", admin)
    .get("/admin/users", async (c) => {
      const page = Math.max(1, Number(c.req.query("page") ?? 1) || 1);
      const perPage = Math.min(1000, Math.max(1, Number(c.req.query("per_page") ?? 50) || 50));
      const [{ count }] = await sql<{ count: number }[]>`select count(*)::int as count from auth.users`;
      const rows = await sql<{ id: string }[]>`
        select id from auth.users order by created_at desc, id limit ${perPage} offset ${
        (page - 1) * perPage
      }`;
      const users = [];
      for (const { id } of rows) {
        const user = await findUserById(sql, id) as UserRow;
        users.push(userJson(user, await findIdentities(sql, id)));
      }
      const last = Math.max(1, Math.ceil(count / perPage));
      const link = (n: number, rel: string) => `</admin/users?page=${n}&per_page=${perPage}>; rel="${rel}"`;
      const links = [...(page < last ? [link(page + 1, "next")] : []), link(last, "last")];
      c.header("X-Total-Count", String(count));
      c.header("Link", links.join(", "));
      return c.json({ users, aud: "authenticated" });
    })
    .post("/admin/users", async (c) => {
      const body = await readJson(c, adminUserBody);
      if (body.phone) throw validationFailed("Phone users are not supported by the devstack Auth server");
      const email = validateEmail(body.email);
      if (body.password) checkPasswordStrength(config, body.password);
      const id = await sql.begin(async (tx) => {
        if (await findUserByEmail(tx, email)) throw emailExists();
        const user = await createUser(tx, email, body.password ?? null, body.user_metadata ?? {});
        await applyUpdate(tx, user, { ...body, email: null, password: null });
        return user.id;
      });
      return await respond(c, sql, id);
    })
    .get("/admin/users/:id", async (c) => {
      if (!UUID.test(c.req.param("id"))) throw notAUuid("user_id");
      return await respond(c, sql, c.req.param("id"));
    })
    .put("/admin/users/:id", async (c) => {
      const body = await readJson(c, adminUserBody);
      if (body.phone) throw validationFailed("Phone users are not supported by the devstack Auth server");
      await sql.begin(async (tx) => applyUpdate(tx, await loadUser(tx, c.req.param("id")), body));
      return await respond(c, sql, c.req.param("id"));
    })
    .delete("/admin/users/:id", async (c) => {
      // supabase-js sends {should_soft_delete}; an empty body means a hard delete.
      const body = (c.req.header("Content-Length") ?? "0") === "0" && !c.req.header("Transfer-Encoding")
        ? {}
        : await readJson(c, deleteBody);
      await sql.begin(async (tx) => {
        const user = await loadUser(tx, c.req.param("id"));
        // Rows that name the user without a foreign key go too (pending PKCE flows, loose tokens).
        await tx`delete from auth.flow_state where user_id = ${user.id}`;
        await tx`delete from auth.refresh_tokens where user_id = ${user.id}`;
        if (!body.should_soft_delete) {
          await tx`delete from auth.users where id = ${user.id}`;
          return;
        }
        if (user.deleted_at) return; // soft-deleted already: GoTrue changes nothing
        await softDeleteUser(tx, user);
      });
      return c.json({});
    })
    .get("/admin/users/:id/factors", async (c) => {
      const user = await loadUser(sql, c.req.param("id"));
      return c.json((await findFactors(sql, user.id)).map(factorJson));
    })
    .delete("/admin/users/:id/factors/:factorId", async (c) => {
      const factor = await sql.begin(async (tx) => {
        const user = await loadUser(tx, c.req.param("id"));
        if (!UUID.test(c.req.param("factorId"))) throw notAUuid("factor_id");
        const found = await findFactor(tx, user.id, c.req.param("factorId"));
        if (!found) throw new AuthError(404, "mfa_factor_not_found", "Factor not found");
        await tx`delete from auth.mfa_factors where id = ${found.id}`;
        return found;
      });
      return c.json(factorJson(factor));
    })
    .post("/invite", admin, async (c) => {
      const body = await readJson(c, inviteBody);
      const email = validateEmail(body.email);
      const redirectTo = chooseRedirect(config, c.req.query("redirect_to"), c.req.header("Referer"));
      const id = await sql.begin(async (tx) => {
        let user = await findUserByEmail(tx, email);
        if (user?.email_confirmed_at) throw emailExists();
        user ??= await createUser(tx, email, null, body.data ?? {});
        await tx`update auth.users set invited_at = now() where id = ${user.id}`;
        await mailToken(deps, tx, user, {
          kind: "invite",
          column: "confirmation_token",
          to: email,
          verifyType: "invite",
          pkce: false,
          redirectTo,
        });
        return user.id;
      });
      return await respond(c, sql, id);
    })
    .post("/admin/generate_link", async (c) => {
      const body = await readJson(c, linkBody);
      const email = validateEmail(body.email);
      const redirectTo = chooseRedirect(config, body.redirect_to ?? undefined, c.req.header("Referer"));
      const type = body.type ?? "";
      const result = await sql.begin(async (tx) => {
        let user = await findUserByEmail(tx, email);
        let column: TokenColumn;
        let to = email;
        switch (type) {
          case "signup":
          case "invite":
            if (user?.email_confirmed_at) throw emailExists();
            if (type === "signup") {
              if (!body.password) throw validationFailed("Signup requires a valid password");
              checkPasswordStrength(config, body.password);
            }
            user ??= await createUser(tx, email, body.password ?? null, body.data ?? {});
            if (type === "invite") await tx`update auth.users set invited_at = now() where id = ${user.id}`;
            column = "confirmation_token";
            break;
          case "magiclink":
          case "recovery":
            if (!user) throw new AuthError(404, "user_not_found", "User with this email not found");
            column = "recovery_token";
            break;
          case "email_change_current":
          case "email_change_new": {
            if (!user) throw new AuthError(404, "user_not_found", "User with this email not found");
            const newEmail = validateEmail(body.new_email);
            const taken = await findUserByEmail(tx, newEmail);
            if (taken && taken.id !== user.id) throw emailExists();
            await tx`update auth.users set email_change = ${newEmail}, email_change_confirm_status = 0 where id = ${user.id}`;
            column = type === "email_change_new" ? "email_change_token_new" : "email_change_token_current";
            if (type === "email_change_new") to = newEmail;
            break;
          }
          default:
            throw validationFailed("Invalid email action link type requested");
        }
        const otp = newOtp(config.mailerOtpLength);
        const hash = tokenHash(to, otp);
        await setToken(tx, user.id, column, hash);
        const verificationType = type.startsWith("email_change") ? "email_change" : type;
        const query = new URLSearchParams({ token: hash, type: verificationType, redirect_to: redirectTo });
        const saved = await findUserById(tx, user.id) as UserRow;
        return {
          ...userJson(saved, await findIdentities(tx, user.id)),
          action_link: `${config.apiExternalUrl}/auth/v1/verify?${query}`,
          email_otp: otp,
          hashed_token: hash,
          verification_type: verificationType,
          redirect_to: redirectTo,
        };
      });
      return c.json(result);
    });
}

/** GoTrue's obfuscateValue: base64url (unpadded) of SHA-256 over the user id and the value. */
function obfuscate(userId: string, value: string): string {
  return createHash("sha256").update(userId + value).digest("base64url");
}

/**
 * GoTrue's soft delete (SoftDeleteUser, SoftDeleteUserIdentities, then the factors and sessions go):
 * the row stays with its addresses replaced by hashes, no password or pending tokens, empty metadata.
 */
async function softDeleteUser(tx: Db, user: UserRow): Promise<void> {
  const [{ phone_change }] = await tx<{ phone_change: string | null }[]>`
    select phone_change from auth.users where id = ${user.id}`;
  await tx`
    update auth.users set
      email = ${obfuscate(user.id, user.email ?? "")},
      phone = ${obfuscate(user.id, user.phone ?? "").slice(0, 15)},
      email_change = ${obfuscate(user.id, user.email_change ?? "")},
      phone_change = ${obfuscate(user.id, phone_change ?? "").slice(0, 15)},
      encrypted_password = null, confirmation_token = '', recovery_token = '',
      email_change_token_current = '', email_change_token_new = '', phone_change_token = '',
      raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb,
      deleted_at = now(), updated_at = now()
    where id = ${user.id}`;
  const identities = await tx<{ id: string; provider: string; provider_id: string }[]>`
    select id, provider, provider_id from auth.identities where user_id = ${user.id}`;
  for (const identity of identities) {
    await tx`
      update auth.identities set identity_data = '{}'::jsonb, updated_at = now(),
        provider_id = ${obfuscate(user.id, `${identity.provider}:${identity.provider_id}`)}
      where id = ${identity.id}`;
  }
  await tx`delete from auth.mfa_factors where user_id = ${user.id}`;
  await tx`delete from auth.sessions where user_id = ${user.id}`;
}
