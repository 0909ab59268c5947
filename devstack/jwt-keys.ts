/**
 * JWT verification keys shared by the devstack services, as the Supabase CLI hands them out: a
 * plain HS256 secret, or a JWKS (JSON `{"keys": [...]}`) holding the HS256 secret as an `oct` key
 * plus the public halves of Auth's asymmetric signing keys (what PGRST_JWT_SECRET gets).
 */
import { importJWK, type JWK, type JWTHeaderParameters } from "jose";

export const JWT_ALGORITHMS = ["HS256", "RS256", "ES256"];

export type KeyResolver = (header: JWTHeaderParameters) => Promise<CryptoKey | Uint8Array>;

/** Public JWKs (private parts dropped, key_ops ["verify"]) of asymmetric keys. */
export function publicJwks(keys: readonly Record<string, unknown>[]): JWK[] {
  return keys.filter((key) => key.kty !== "oct").map((key) => {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = key;
    return { ...rest, key_ops: ["verify"] } as JWK;
  });
}

/**
 * The JWKS string a service verifying Auth's tokens is given: the HS256 secret, Auth's oct keys as
 * they are (a symmetric key is its own verification key; GoTrue signs with one marked "sign"), and
 * the public halves of its asymmetric keys.
 */
export function verificationJwks(secret: string, keys: readonly Record<string, unknown>[]): string {
  const oct = { kty: "oct", k: btoa(secret).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "") };
  const symmetric = keys.filter((key) => key.kty === "oct").map((key) => ({ ...key, key_ops: ["verify"] }));
  return JSON.stringify({ keys: [oct, ...symmetric, ...publicJwks(keys)] });
}

/** A jose key resolver for a secret or a JWKS string: HS256 by the secret, others by kid. */
export function keyResolver(secretOrJwks: string): KeyResolver {
  const trimmed = secretOrJwks.trim();
  if (!trimmed.startsWith("{")) {
    const secret = new TextEncoder().encode(secretOrJwks);
    return (header) => header.alg === "HS256" ? Promise.resolve(secret) : Promise.reject(noKey(header));
  }
  const { keys } = JSON.parse(trimmed) as { keys: JWK[] };
  return async (header) => {
    if (header.alg === "HS256") {
      // The key with the token's kid, else one without a kid (the legacy secret).
      const octs = keys.filter((key) => key.kty === "oct");
      const oct = octs.find((key) => header.kid && key.kid === header.kid) ??
        octs.find((key) => !header.kid || !key.kid);
      if (!oct?.k) throw noKey(header);
      return await importJWK({ ...oct, alg: "HS256" }, "HS256") as Uint8Array;
    }
    const match = keys.find((key) =>
      key.kty !== "oct" && (header.kid ? key.kid === header.kid : key.alg === header.alg)
    );
    if (!match) throw noKey(header);
    return await importJWK(match, header.alg) as CryptoKey;
  };
}

function noKey(header: JWTHeaderParameters): Error {
  return new Error(`no verification key for alg ${header.alg}${header.kid ? ` kid ${header.kid}` : ""}`);
}
