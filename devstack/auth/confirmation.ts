import type { Db } from "./db.ts";
import { AuthError, unexpectedFailure, validationFailed } from "./errors.ts";
import type { AuthDeps } from "./http.ts";
import { confirmationUrl } from "./mailer.ts";
import { newOtp, PKCE_PREFIX, tokenHash } from "./tokens.ts";
import { setConfirmationToken, type UserRow } from "./users.ts";

/**
 * GoTrue's sendConfirmation: enforces the per-address mail frequency, mails a fresh link and OTP,
 * then stores the token hash. Runs inside the caller's transaction, so a failed send stores nothing.
 */
export async function sendConfirmation(
  deps: AuthDeps,
  tx: Db,
  user: UserRow,
  pkce: boolean,
  redirectTo: string,
): Promise<void> {
  const { config } = deps;
  if (user.confirmation_sent_at) {
    const allowedAt = user.confirmation_sent_at.getTime() + config.smtpMaxFrequency * 1000;
    const secondsLeft = Math.ceil((allowedAt - Date.now()) / 1000);
    if (secondsLeft > 0) {
      throw new AuthError(
        429,
        "over_email_send_rate_limit",
        `For security purposes, you can only request this after ${secondsLeft} seconds.`,
      );
    }
  }
  const email = user.email ?? "";
  const otp = newOtp();
  const token = (pkce ? PKCE_PREFIX : "") + tokenHash(email, otp);
  try {
    await deps.mailer.sendConfirmation({
      to: email,
      confirmationUrl: confirmationUrl(config, token, redirectTo),
      otp,
      tokenHash: token,
    });
  } catch (err) {
    throw Object.assign(unexpectedFailure("Error sending confirmation email"), { cause: err });
  }
  await setConfirmationToken(tx, user.id, token);
}

const CODE_CHALLENGE = /^[a-zA-Z0-9\-._~]{43,128}$/;

/** GoTrue's validatePKCEParams; returns the normalised method, or null for the implicit flow. */
export function validatePkceParams(
  method: string | null | undefined,
  challenge: string | null | undefined,
): "s256" | "plain" | null {
  if (!method && !challenge) return null;
  if (!method || !challenge) {
    throw validationFailed("PKCE flow requires code_challenge_method and code_challenge");
  }
  if (!CODE_CHALLENGE.test(challenge)) {
    throw validationFailed(
      "code challenge has to be between 43 and 128 chars and only contain alphanumeric characters, '-', '.', '_', and '~'",
    );
  }
  const normalised = method.toLowerCase();
  if (normalised !== "s256" && normalised !== "plain") {
    throw validationFailed(`code challenge method "${method}" is not supported`);
  }
  return normalised;
}
