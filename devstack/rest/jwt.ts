/**
 * The bearer token of a request, verified as PostgREST verifies it: with the secret or JWKS,
 * exp/nbf/iat checked with 30 s of clock skew, aud only when configured. No token means the
 * anonymous role.
 */
import { errors, jwtVerify } from "jose";
import { JWT_ALGORITHMS, type KeyResolver } from "../jwt-keys.ts";
import { ApiError } from "./errors.ts";

export interface Authentication {
  /** The database role the request runs as. */
  role: string;
  /** The claims, with `role` set, as request.jwt.claims sees them. */
  claims: Record<string, unknown>;
  /** False when the request runs as the anonymous role without a JWT. */
  hasToken: boolean;
}

const allowedSkewSeconds = 30;

function jwtError(code: "PGRST301" | "PGRST303", message: string): ApiError {
  return new ApiError(401, code, message, null, null, {
    "www-authenticate": `Bearer error="invalid_token", error_description=${JSON.stringify(message)}`,
  });
}

export async function authenticate(
  authorization: string | null,
  secret: KeyResolver,
  anonRole: string,
  audience?: string,
): Promise<Authentication> {
  const match = authorization?.match(/^\s*bearer\s*(.*)$/i);
  if (!match) return { role: anonRole, claims: { role: anonRole }, hasToken: false };
  const token = match[1].trim();
  if (token === "") throw jwtError("PGRST301", "Empty JWT is sent in Authorization header");
  const parts = token.split(".").length;
  if (parts !== 3) throw jwtError("PGRST301", `Expected 3 parts in JWT; got ${parts}`);

  let claims: Record<string, unknown>;
  try {
    const verified = await jwtVerify(token, secret, {
      algorithms: JWT_ALGORITHMS,
      clockTolerance: allowedSkewSeconds,
      audience,
    });
    claims = { ...verified.payload };
  } catch (error) {
    throw mapJoseError(error);
  }
  if (typeof claims.iat === "number" && claims.iat > Date.now() / 1000 + allowedSkewSeconds) {
    throw jwtError("PGRST303", "JWT issued at future");
  }
  const claimed = claims.role;
  const role = claimed === undefined || claimed === null
    ? anonRole
    : typeof claimed === "string"
    ? claimed
    : JSON.stringify(claimed);
  return { role, claims: { ...claims, role }, hasToken: true };
}

function mapJoseError(error: unknown): ApiError {
  if (error instanceof errors.JWTExpired) return jwtError("PGRST303", "JWT expired");
  if (error instanceof errors.JWTClaimValidationFailed) {
    const messages: Record<string, string> = {
      nbf: "JWT not yet valid",
      iat: "JWT issued at future",
      aud: "JWT not in audience",
      exp: "The JWT 'exp' claim must be a number",
    };
    return jwtError("PGRST303", messages[error.claim] ?? "Parsing claims failed");
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return jwtError("PGRST301", "Wrong or unsupported encoding algorithm");
  }
  if (error instanceof errors.JWTInvalid) return jwtError("PGRST303", "Parsing claims failed");
  return jwtError("PGRST301", "JWT cryptographic operation failed");
}
