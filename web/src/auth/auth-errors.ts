import { msg, translate } from "../i18n/i18n.ts";

/** Supabase Auth error codes (GoTrue's `error_code`) in words a person can act on (message keys). */
const AUTH_SENTENCES: Readonly<Record<string, string>> = {
  email_not_confirmed: msg(
    "Confirm your e-mail address first: open the link we sent you. You can send it again below.",
  ),
  invalid_credentials: msg("The e-mail or password is wrong."),
  over_email_send_rate_limit: msg("We just sent you an e-mail. Wait a minute before asking for another one."),
  over_request_rate_limit: msg("Too many attempts. Wait a little and try again."),
  weak_password: msg("Choose a stronger password: at least 8 characters with letters and digits."),
  user_already_exists: msg("An account with this e-mail already exists. Sign in instead."),
  email_exists: msg("An account with this e-mail already exists. Sign in instead."),
  email_address_invalid: msg("This e-mail address is not valid."),
  email_address_not_authorized: msg("This e-mail address cannot receive mail from us."),
  signup_disabled: msg("Sign-ups are closed right now."),
  email_provider_disabled: msg("Signing up with an e-mail address is turned off."),
  validation_failed: msg("Some of the details are not valid. Check them and try again."),
  otp_expired: msg(
    "This code or link is wrong, has expired or was already used. Check it, or ask for a new one.",
  ),
  flow_state_not_found: msg("This link was opened in another browser, or it expired. Sign in to continue."),
  flow_state_expired: msg("This link has expired. Sign in, or send a new confirmation e-mail."),
  bad_code_verifier: msg(
    "This link was opened in another browser. Your e-mail is confirmed; sign in to continue.",
  ),
  session_not_found: msg("Your session has ended. Sign in again."),
  session_expired: msg("Your session has expired. Sign in again."),
  refresh_token_not_found: msg("Your session has ended. Sign in again."),
  refresh_token_already_used: msg("Your session has ended. Sign in again."),
  user_not_found: msg("There is no account with this e-mail."),
  user_banned: msg("This account is blocked."),
  same_password: msg("Choose a password different from the current one."),
  otp_disabled: msg("There is no account with this e-mail. Create one first."),
  reauthentication_needed: msg("For your safety, confirm it is you: enter the code we just e-mailed you."),
  reauthentication_not_valid: msg("That confirmation code is wrong or has expired. Ask for a new one."),
  mfa_verification_failed: msg(
    "That authenticator code is wrong. Enter the current 6-digit code from the app.",
  ),
  mfa_challenge_expired: msg("That took too long. Enter a fresh code from the authenticator app."),
  mfa_factor_not_found: msg("Two-factor sign-in was turned off for this account. Sign in again."),
  mfa_totp_enroll_not_enabled: msg("Two-factor sign-in is not available right now."),
  mfa_totp_verify_not_enabled: msg("Two-factor sign-in is not available right now."),
  insufficient_aal: msg("Confirm it is you with your authenticator code first (sign out and in again)."),
  anonymous_provider_disabled: msg("Guest sign-in is turned off."),
  not_admin: msg("You are not allowed to do this."),
};

export interface AuthErrorLike {
  code?: string | null;
  message?: string | null;
  status?: number | null;
  name?: string | null;
}

/**
 * Auth answers validation_failed for several unrelated mistakes; its message says which (GoTrue:
 * "Password cannot be longer than 72 characters", "Unable to validate email address: invalid
 * format"), so the person learns what to fix and why.
 */
function validationSentence(message: string): string | undefined {
  const tooLong = /password cannot be longer than (\d+) characters/i.exec(message);
  if (tooLong) {
    return translate(
      "The password is too long: at most {{max}} characters (bytes), the most a stored password can hold. Choose a shorter one.",
      { max: Number(tooLong[1]) },
    );
  }
  if (/email/i.test(message)) {
    return translate("This e-mail address is not valid. Check it for typos, e.g. ada@example.com.");
  }
  return undefined;
}

export function authErrorSentence(error: AuthErrorLike): string {
  if (error.code === "validation_failed") {
    const specific = validationSentence(error.message ?? "");
    if (specific) return specific;
  }
  const known = error.code ? AUTH_SENTENCES[error.code] : undefined;
  if (known) return translate(known);
  if (error.name === "AuthRetryableFetchError" || error.status === 0) {
    return translate("The server cannot be reached. Check your connection and try again.");
  }
  if (error.status === 429) {
    return translate("Too many attempts. Wait a little and try again.");
  }
  if (error.name === "AuthPKCECodeVerifierMissingError") {
    return translate(
      "This link was opened in another browser. Your e-mail is confirmed; sign in to continue.",
    );
  }
  return error.message
    ? translate("Something went wrong: {{message}}", { message: error.message })
    : translate("Something went wrong. Try again.");
}

/** An Auth failure as a thrown Error: its message is the sentence, its `code` Auth's error code. */
export class AuthFailure extends Error {
  readonly code: string | undefined;

  constructor(error: AuthErrorLike) {
    super(authErrorSentence(error));
    this.name = "AuthFailure";
    this.code = error.code ?? undefined;
  }
}

/** The data of a supabase-js Auth result, or an AuthFailure with its sentence. */
export function authData<R extends { data: unknown; error: AuthErrorLike | null }>(
  result: R,
): Extract<R, { error: null }>["data"] {
  if (result.error) throw new AuthFailure(result.error);
  return result.data;
}
