/**
 * Access tokens checked as Realtime v2.130.0 checks them (lib/realtime_web/channels/auth/
 * channels_authorization.ex, jwt_verification.ex): the signature against the project's secret or
 * JWKS, then `role` and `exp` required, then expiry. Each failure carries Realtime's own wording.
 */
import { compactVerify } from "jose";
import { JWT_ALGORITHMS, type KeyResolver } from "../jwt-keys.ts";

export interface VerifiedToken {
  role: string;
  exp: number;
  claims: Record<string, unknown>;
}

/** `code` is Realtime's log code, the prefix of the reason a join refusal carries. */
export class TokenError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
  get reason(): string {
    return `${this.code}: ${this.message}`;
  }
}

export async function verifyToken(
  token: string,
  keys: KeyResolver,
  now = Date.now(),
): Promise<VerifiedToken> {
  if (token.split(".").length !== 3) {
    throw new TokenError("MalformedJWT", "The token provided is not a valid JWT");
  }
  let claims: Record<string, unknown>;
  try {
    const { payload } = await compactVerify(token, keys, { algorithms: JWT_ALGORITHMS });
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new TokenError("MalformedJWT", "The token provided is not a valid JWT");
    }
    throw new TokenError("JwtSignatureError", "Failed to validate JWT signature");
  }
  const { role, exp } = claims;
  if (typeof role !== "string" || typeof exp !== "number") {
    throw new TokenError("InvalidJWTToken", "Fields `role` and `exp` are required in JWT");
  }
  const nowSeconds = Math.floor(now / 1000);
  if (exp <= nowSeconds) {
    throw new TokenError("InvalidJWTToken", `Token has expired ${nowSeconds - exp} seconds ago`);
  }
  return { role, exp, claims };
}
