import type { Db } from "./db.ts";
import { AuthError, unexpectedFailure, validationFailed } from "./errors.ts";
import type { AuthDeps } from "./http.ts";
import { confirmationUrl, type MailKind } from "./mailer.ts";
import { limitEmailSent } from "./ratelimit.ts";
import { createFlowState } from "./flow_state.ts";
import { type CodeChallengeMethod, newOtp, PKCE_PREFIX, tokenHash } from "./tokens.ts";
import { SENT_AT, setToken, type TokenColumn, type UserRow } from "./users.ts";

/** GoTrue's per-address mail frequency: a 429 until max_frequency has passed since the last mail. */
export function checkMailFrequency(deps: AuthDeps, user: UserRow, column: TokenColumn): void {
  const sentAt = user[SENT_AT[column]] as Date | null;
  if (!sentAt) return;
  const secondsLeft = Math.ceil((sentAt.getTime() + deps.config.smtpMaxFrequency * 1000 - Date.now()) / 1000);
  if (secondsLeft > 0) {
    throw new AuthError(
      429,
      "over_email_send_rate_limit",
      `For security purposes, you can only request this after ${secondsLeft} seconds.`,
    );
  }
}

export interface TokenMail {
  kind: MailKind;
  column: TokenColumn;
  /** The address the mail goes to (and whose hash the token is). */
  to: string;
  /** The `type` of the verify link. */
  verifyType: string;
  pkce: boolean;
  redirectTo: string;
  newEmail?: string;
}

/**
 * Mails a fresh one-time code and link and stores its hash (hex SHA-224 of address + code, with
 * `pkce_` for PKCE flows). Runs inside the caller's transaction, so a failed send stores nothing.
 * Returns the stored hash.
 */
export async function mailToken(deps: AuthDeps, tx: Db, user: UserRow, mail: TokenMail): Promise<string> {
  limitEmailSent(deps.limiters);
  const otp = newOtp(deps.config.mailerOtpLength);
  const hash = (mail.pkce ? PKCE_PREFIX : "") + tokenHash(mail.to, otp);
  try {
    await deps.mailer.send({
      kind: mail.kind,
      to: mail.to,
      confirmationUrl: mail.kind === "reauthentication"
        ? ""
        : confirmationUrl(deps.config, hash, mail.verifyType, mail.redirectTo),
      otp,
      tokenHash: hash,
      email: user.email ?? "",
      newEmail: mail.newEmail,
      redirectTo: mail.redirectTo,
      data: user.raw_user_meta_data ?? {},
    });
  } catch (err) {
    throw Object.assign(unexpectedFailure(`Error sending ${mail.kind.replace("_", " ")} email`), {
      cause: err,
    });
  }
  await setToken(tx, user.id, mail.column, hash);
  return hash;
}

/** GoTrue's sendConfirmation: frequency check, then the sign-up confirmation mail. */
export async function sendConfirmation(
  deps: AuthDeps,
  tx: Db,
  user: UserRow,
  pkce: boolean,
  redirectTo: string,
): Promise<void> {
  checkMailFrequency(deps, user, "confirmation_token");
  await mailToken(deps, tx, user, {
    kind: "confirmation",
    column: "confirmation_token",
    to: user.email ?? "",
    verifyType: "signup",
    pkce,
    redirectTo,
  });
}

/**
 * GoTrue's sendEmailChange: a link and code to the new address, and with double_confirm_changes
 * another to the current address; both must be confirmed before the address changes.
 */
export async function sendEmailChange(
  deps: AuthDeps,
  tx: Db,
  user: UserRow,
  newEmail: string,
  method: CodeChallengeMethod | null,
  challenge: string | null | undefined,
  redirectTo: string,
): Promise<void> {
  checkMailFrequency(deps, user, "email_change_token_new");
  if (method) await createFlowState(tx, user.id, method, challenge as string, "email_change");
  const common = {
    kind: "email_change" as const,
    verifyType: "email_change",
    pkce: method !== null,
    redirectTo,
    newEmail,
  };
  await mailToken(deps, tx, user, { ...common, column: "email_change_token_new", to: newEmail });
  if (deps.config.mailerSecureEmailChange && user.email) {
    await mailToken(deps, tx, user, { ...common, column: "email_change_token_current", to: user.email });
  }
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
