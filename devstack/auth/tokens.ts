import { createHash } from "node:crypto";
import { base64url, errors as joseErrors, importJWK, jwtVerify, SignJWT } from "jose";
import { JWT_ALGORITHMS, keyResolver, verificationJwks } from "../jwt-keys.ts";
import type { AuthConfig, Jwk } from "./config.ts";
import { AuthError } from "./errors.ts";

/** What an access token says about its user; GoTrue's claim set. */
export interface AccessTokenSubject {
  userId: string;
  email: string;
  phone: string;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  isAnonymous: boolean;
  sessionId: string;
  aal: "aal1" | "aal2";
  amr: { method: string; timestamp: number }[];
}

export interface AccessTokenClaims {
  sub?: string;
  session_id?: string;
  role?: string;
  [claim: string]: unknown;
}

const encoder = new TextEncoder();

export async function signAccessToken(
  config: AuthConfig,
  subject: AccessTokenSubject,
): Promise<{ token: string; expiresAt: number }> {
  const signer = await signingKey(config);
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + config.jwtExp;
  const token = await new SignJWT({
    email: subject.email,
    phone: subject.phone,
    app_metadata: subject.appMetadata,
    user_metadata: subject.userMetadata,
    role: "authenticated",
    aal: subject.aal,
    amr: subject.amr,
    session_id: subject.sessionId,
    is_anonymous: subject.isAnonymous,
  })
    .setProtectedHeader(signer.header as { alg: string })
    .setIssuer(config.jwtIssuer)
    .setSubject(subject.userId)
    .setAudience("authenticated")
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(signer.key);
  return { token, expiresAt };
}

/**
 * GoTrue's GetSigningJwk (internal/conf/jwk.go): the first key of GOTRUE_JWT_KEYS whose key_ops
 * include "sign", whatever its type (an oct key signs HS256 with its own secret and kid); with no
 * keys, the HS256 secret without a kid.
 */
export function signingJwk(config: AuthConfig): Jwk | null {
  return config.jwtKeys.find((key) => key.key_ops?.includes("sign")) ?? null;
}

const signers = new WeakMap<
  AuthConfig,
  Promise<{ key: CryptoKey | Uint8Array; header: Record<string, string> }>
>();

/** GoTrue's GetSigningAlg: the key's alg when it is one GoTrue signs with, else HS256. */
const SIGNING_ALGORITHMS = new Set(["RS256", "RS512", "ES256", "ES512", "EdDSA"]);

function signingKey(config: AuthConfig) {
  let signer = signers.get(config);
  if (!signer) {
    const jwk = signingJwk(config);
    signer = jwk ? importSigner(jwk) : Promise.resolve({
      key: encoder.encode(config.jwtSecret),
      header: { alg: "HS256", typ: "JWT" },
    });
    signers.set(config, signer);
  }
  return signer;
}

async function importSigner(jwk: Jwk) {
  const alg = SIGNING_ALGORITHMS.has(String(jwk.alg)) ? String(jwk.alg) : "HS256";
  const header: Record<string, string> = { alg, typ: "JWT" };
  if (jwk.kid) header.kid = jwk.kid;
  if (jwk.kty === "oct") {
    return { key: base64url.decode(String(jwk.k ?? "")), header };
  }
  return { key: await importJWK({ ...jwk, key_ops: undefined }, alg) as CryptoKey, header };
}

const resolvers = new WeakMap<AuthConfig, ReturnType<typeof keyResolver>>();

/** Verifies signature and expiry; errors read like GoTrue's (403 bad_jwt). */
export async function verifyAccessToken(config: AuthConfig, token: string): Promise<AccessTokenClaims> {
  let resolver = resolvers.get(config);
  if (!resolver) {
    resolver = keyResolver(verificationJwks(config.jwtSecret, config.jwtKeys));
    resolvers.set(config, resolver);
  }
  try {
    const { payload } = await jwtVerify(token, resolver, { algorithms: JWT_ALGORITHMS });
    return payload as AccessTokenClaims;
  } catch (err) {
    let reason = "token is malformed";
    if (err instanceof Error && err.message.startsWith("no verification key")) {
      reason = "token is unverifiable: error while executing keyfunc";
    }
    if (err instanceof joseErrors.JWTExpired) reason = "token has invalid claims: token is expired";
    else if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
      reason = "token signature is invalid: signature is invalid";
    } else if (err instanceof joseErrors.JOSEAlgNotAllowed) {
      reason = "token is unverifiable: signing method is invalid";
    } else if (err instanceof joseErrors.JWTClaimValidationFailed) {
      reason = `token has invalid claims: ${err.message}`;
    }
    throw new AuthError(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${reason}`);
  }
}

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";

/** GoTrue's legacy refresh token: 12 random lower-case alphanumerics. */
export function newRefreshToken(): string {
  return randomString(ALPHANUMERIC, 12);
}

/** A numeric one-time password of the given length, e.g. the 6 digits in the confirmation mail. */
export function newOtp(length = 6): string {
  return randomString("0123456789", length);
}

function randomString(alphabet: string, length: number): string {
  // Rejection sampling keeps every symbol equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** GoTrue's token hash: hex(SHA-224(email + otp)), as stored in auth.users.confirmation_token. */
// Web Crypto has no SHA-224, hence node:crypto.
export function tokenHash(email: string, otp: string): string {
  return createHash("sha224").update(email + otp).digest("hex");
}

export const PKCE_PREFIX = "pkce_";

export type CodeChallengeMethod = "s256" | "plain";

/** Checks a PKCE verifier against the challenge saved with the flow state. */
export async function pkceMatches(
  method: CodeChallengeMethod,
  challenge: string,
  verifier: string,
): Promise<boolean> {
  if (method === "plain") return timingSafeEqual(challenge, verifier);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(verifier)));
  return timingSafeEqual(challenge, base64Url(digest));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
