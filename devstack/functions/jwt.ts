import { jwtVerify } from "jose";
import { JWT_ALGORITHMS, type KeyResolver } from "../jwt-keys.ts";

/** Why a request was refused by verify_jwt, in the edge runtime's words; null when it passes. */
export async function jwtRejection(request: Request, secret: KeyResolver): Promise<string | null> {
  const header = request.headers.get("authorization");
  if (!header) return "Missing authorization header";
  const [scheme, token] = header.split(" ");
  if (scheme !== "Bearer" || !token) return "Auth header is not 'Bearer {token}'";
  try {
    await jwtVerify(token, secret, { algorithms: JWT_ALGORITHMS });
    return null;
  } catch {
    return "Invalid JWT";
  }
}
