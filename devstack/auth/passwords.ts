import bcrypt from "bcryptjs";
import type { AuthConfig } from "./config.ts";
import { AuthError, validationFailed } from "./errors.ts";

/** bcrypt's input limit; GoTrue rejects longer passwords instead of silently truncating them. */
const MAX_PASSWORD_BYTES = 72;

/** GoTrue's strength check (length, required character sets): 422 weak_password with reasons. */
export function checkPasswordStrength(config: AuthConfig, password: string): void {
  if (new TextEncoder().encode(password).length > MAX_PASSWORD_BYTES) {
    throw validationFailed(`Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
  if ([...password].length < config.passwordMinLength) {
    throw new AuthError(
      422,
      "weak_password",
      `Password should be at least ${config.passwordMinLength} characters.`,
      { weak_password: { reasons: ["length"] } },
    );
  }
  const sets = config.passwordRequiredCharacters.split(":").filter((set) => set !== "");
  if (sets.some((set) => ![...password].some((character) => set.includes(character)))) {
    throw new AuthError(
      422,
      "weak_password",
      `Password should contain at least one character of each: ${sets.join(", ")}.`,
      { weak_password: { reasons: ["characters"] } },
    );
  }
}

export async function hashPassword(password: string): Promise<string> {
  return await bcrypt.hash(password, 10);
}

export async function passwordMatches(password: string, hash: string | null): Promise<boolean> {
  if (!hash) return false;
  return await bcrypt.compare(password, hash);
}
