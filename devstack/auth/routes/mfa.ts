import { Hono } from "hono";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import { z } from "zod";
import type { Db } from "../db.ts";
import { AuthError, badRequest, validationFailed } from "../errors.ts";
import { findFactor, findFactors } from "../factors.ts";
import { type AuthDeps, type AuthEnv, readJson, requireUser } from "../http.ts";
import { rateLimited } from "../ratelimit.ts";
import { addAmrClaim, reissueSession } from "../sessions.ts";

const enrollBody = z.object({
  factor_type: z.string().nullish(),
  friendly_name: z.string().nullish(),
  issuer: z.string().nullish(),
  phone: z.string().nullish(),
});
const verifyBody = z.object({ challenge_id: z.string().nullish(), code: z.string().nullish() });

/** GoTrue's MFA factor_expiry_duration (default; the CLI does not set it). */
const FACTOR_EXPIRY_SECONDS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const factorNotFound = () => new AuthError(404, "mfa_factor_not_found", "Factor not found");

/** GoTrue's TOTP parameters: SHA1, 6 digits, 30 s, one period of skew either way. */
function totp(secret: string, issuer = "", label = "") {
  return new OTPAuth.TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: 30, secret });
}

/** The address a challenge is bound to (GoTrue compares it when the challenge is verified). */
function challengeIp(env: AuthEnv["Bindings"] | undefined): string {
  return env?.clientIp ?? "0.0.0.0";
}

/** POST /factors, POST /factors/:id/challenge, POST /factors/:id/verify, DELETE /factors/:id (TOTP). */
export function mfaRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const { config, sql } = deps;
  const authenticated = requireUser(deps);

  /** GoTrue's loadFactor: the path's factor, owned by the user. */
  const loadFactor = async (db: Db, userId: string, id: string) => {
    if (!UUID.test(id)) throw new AuthError(404, "validation_failed", "factor_id must be an UUID");
    const factor = await findFactor(db, userId, id);
    if (!factor) throw factorNotFound();
    return factor;
  };

  const sessionAal = async (sessionId: string | null) => {
    if (!sessionId) return "aal1";
    const [row] = await sql<{ aal: string }[]>`select aal from auth.sessions where id = ${sessionId}`;
    return row?.aal ?? "aal1";
  };

  return new Hono<AuthEnv>()
    .use("/factors", authenticated)
    .use("/factors/*", authenticated)
    .use("/factors*", async (c, next) => {
      if (c.get("user").is_anonymous) {
        throw new AuthError(403, "no_authorization", "Anonymous user not allowed to perform these actions");
      }
      await next();
    })
    .post("/factors", async (c) => {
      const body = await readJson(c, enrollBody);
      const type = body.factor_type ?? "";
      if (type === "phone") {
        throw new AuthError(422, "mfa_phone_enroll_not_enabled", "MFA enroll is disabled for Phone");
      }
      if (type === "webauthn") {
        throw new AuthError(422, "mfa_webauthn_enroll_not_enabled", "MFA enroll is disabled for WebAuthn");
      }
      if (type !== "totp") throw validationFailed("factor_type needs to be totp, phone, or webauthn");
      if (!config.mfaTotpEnrollEnabled) {
        throw new AuthError(422, "mfa_totp_enroll_not_enabled", "MFA enroll is disabled for TOTP");
      }
      const user = c.get("user");
      // GoTrue's DeleteExpiredFactors (every user's): enrolments never challenged within 300 s.
      await sql`
        delete from auth.mfa_factors f where f.status <> 'verified'
          and not exists (select 1 from auth.mfa_challenges c where c.factor_id = f.id)
          and f.created_at + make_interval(secs => ${FACTOR_EXPIRY_SECONDS}) < now()`;
      const factors = await findFactors(sql, user.id);
      const friendlyName = body.friendly_name ?? "";
      // GoTrue compares names as they are, so a second unnamed factor is a conflict too.
      if (factors.some((factor) => factor.friendly_name === friendlyName)) {
        throw new AuthError(
          422,
          "mfa_factor_name_conflict",
          `A factor with the friendly name "${friendlyName}" for this user already exists`,
        );
      }
      const verified = factors.filter((factor) => factor.status === "verified");
      if (factors.length >= config.mfaMaxEnrolledFactors) {
        throw new AuthError(
          422,
          "too_many_enrolled_mfa_factors",
          "Maximum number of verified factors reached, unenroll to continue",
        );
      }
      if (verified.length > 0 && (await sessionAal(c.get("sessionId"))) !== "aal2") {
        throw new AuthError(403, "insufficient_aal", "AAL2 required to enroll a new factor");
      }
      const issuer = body.issuer || new URL(config.siteUrl).host;
      const secret = new OTPAuth.Secret({ size: 20 }).base32;
      const uri = totp(secret, issuer, user.email ?? "").toString();
      const id = crypto.randomUUID();
      await sql`
        insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
        values (${id}, ${user.id}, ${friendlyName}, 'totp', 'unverified', now(), now(), ${secret})`;
      const qrCode = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M" });
      return c.json({
        id,
        type: "totp",
        friendly_name: friendlyName,
        totp: { qr_code: qrCode, secret, uri },
      });
    })
    .post("/factors/:id/challenge", rateLimited(deps.limiters.factorChallenge), async (c) => {
      const factor = await loadFactor(sql, c.get("user").id, c.req.param("id"));
      if (!config.mfaTotpVerifyEnabled) {
        throw new AuthError(422, "mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP");
      }
      const id = crypto.randomUUID();
      // WriteChallengeToDatabase (internal/models/factor.go) also stamps the factor's last_challenged_at.
      const [row] = await sql.begin(async (tx) => {
        await tx`update auth.mfa_factors set last_challenged_at = now() where id = ${factor.id}`;
        return await tx<{ created_at: Date }[]>`
          insert into auth.mfa_challenges (id, factor_id, created_at, ip_address)
          values (${id}, ${factor.id}, now(), ${challengeIp(c.env)})
          returning created_at`;
      });
      const expiresAt = Math.floor(row.created_at.getTime() / 1000 + config.mfaChallengeExpiry);
      return c.json({ id, type: "totp", expires_at: expiresAt });
    })
    .post("/factors/:id/verify", rateLimited(deps.limiters.factorVerify), async (c) => {
      const user = c.get("user");
      const sessionId = c.get("sessionId");
      await loadFactor(sql, user.id, c.req.param("id"));
      const body = await readJson(c, verifyBody);
      if (body.challenge_id && !UUID.test(body.challenge_id)) {
        throw badRequest("bad_json", "Could not parse request body as JSON: challenge_id: invalid UUID");
      }
      if (!body.code) throw validationFailed("Code needs to be non-empty");
      if (!config.mfaTotpVerifyEnabled) {
        throw new AuthError(422, "mfa_totp_verify_not_enabled", "MFA verification is disabled for TOTP");
      }
      const outcome = await sql.begin(async (tx) => {
        const factor = await loadFactor(tx, user.id, c.req.param("id"));
        const [challenge] = body.challenge_id
          ? await tx<{ id: string; created_at: Date; verified_at: Date | null; ip_address: string }[]>`
              select id, created_at, verified_at, host(ip_address) as ip_address from auth.mfa_challenges
              where id = ${body.challenge_id} and factor_id = ${factor.id} for update`
          : [];
        if (!challenge) {
          throw new AuthError(
            422,
            "mfa_factor_not_found",
            "MFA factor with the provided challenge ID not found",
          );
        }
        // GoTrue words a used challenge like one from another address, so as not to tell them apart.
        if (challenge.verified_at || challenge.ip_address !== challengeIp(c.env)) {
          throw new AuthError(422, "mfa_ip_address_mismatch", "Challenge and verify IP addresses mismatch.");
        }
        if (Date.now() > challenge.created_at.getTime() + config.mfaChallengeExpiry * 1000) {
          return { expired: challenge.id, session: null };
        }
        const delta = totp(factor.secret ?? "").validate({ token: body.code ?? "", window: 1 });
        if (delta === null) throw new AuthError(422, "mfa_verification_failed", "Invalid TOTP code entered");
        await tx`update auth.mfa_challenges set verified_at = now() where id = ${challenge.id}`;
        await tx`update auth.mfa_factors set status = 'verified', updated_at = now() where id = ${factor.id}`;
        if (!sessionId) throw new AuthError(403, "session_not_found", "Session not found");
        await tx`update auth.sessions set aal = 'aal2', factor_id = ${factor.id}, updated_at = now() where id = ${sessionId}`;
        await addAmrClaim(tx, sessionId, "totp");
        // GoTrue then ends the user's other sessions still below aal2, and drops unverified TOTP factors.
        await tx`delete from auth.sessions where user_id = ${user.id} and aal < 'aal2'`;
        await tx`
          delete from auth.mfa_factors
          where user_id = ${user.id} and factor_type = 'totp' and status = 'unverified'`;
        return { expired: null, session: await reissueSession(config, tx, user.id, sessionId) };
      });
      if (outcome.expired !== null) {
        // GoTrue deletes the expired challenge for good (outside any transaction), then refuses.
        await sql`delete from auth.mfa_challenges where id = ${outcome.expired}`;
        throw new AuthError(
          422,
          "mfa_challenge_expired",
          `MFA challenge ${outcome.expired} has expired, verify against another challenge or create a new challenge.`,
        );
      }
      return c.json(outcome.session);
    })
    .delete("/factors/:id", async (c) => {
      const factor = await sql.begin(async (tx) => {
        const found = await loadFactor(tx, c.get("user").id, c.req.param("id"));
        if (found.status === "verified" && (await sessionAal(c.get("sessionId"))) !== "aal2") {
          throw new AuthError(422, "insufficient_aal", "AAL2 required to unenroll verified factor");
        }
        await tx`delete from auth.mfa_factors where id = ${found.id}`;
        // GoTrue's DowngradeSessionsToAAL1: every session that stepped up with this factor loses
        // the factor's amr entry and drops to aal1.
        await tx`
          delete from auth.mfa_amr_claims where authentication_method = 'totp'
            and session_id in (select id from auth.sessions where factor_id = ${found.id})`;
        await tx`update auth.sessions set aal = 'aal1', factor_id = null where factor_id = ${found.id}`;
        return found;
      });
      return c.json({ id: factor.id });
    });
}
