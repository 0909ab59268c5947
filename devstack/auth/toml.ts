/**
 * supabase/config.toml's [auth] table as the devstack Auth server's options, the way the Supabase
 * CLI (2.117) turns it into GoTrue's environment. Every setting is either honoured or refused:
 * a setting this server does not implement (or only with another value) is an error naming it.
 */
import type { AuthOptions, Jwk } from "./config.ts";

type Leaf = [path: string, value: unknown];

/** Accepted only with the value the devstack implements ("off" for features it does not have). */
const ONLY: [pattern: RegExp, accepts: (value: unknown) => boolean, why: string][] = [
  [/^enabled$/, (v) => v === true, "Auth cannot be switched off in the devstack"],
  [/^enable_refresh_token_rotation$/, (v) => v === true, "refresh tokens always rotate"],
  [/^enable_manual_linking$/, (v) => v === false, "identity linking is not implemented"],
  [/^(sms|email\.smtp|captcha|oauth_server)\.enabled$/, (v) => v === false, "not implemented"],
  [/^sms\.(enable_signup|enable_confirmations)$/, (v) => v === false, "phone sign-in is not implemented"],
  [/^sms\.[a-z_]+\.enabled$/, (v) => v === false, "SMS providers are not implemented"],
  [/^(external|web3|third_party)\.[a-z0-9_]+\.enabled$/, (v) => v === false, "not implemented"],
  [/^hook\.[a-z_]+\.enabled$/, (v) => v === false, "Auth hooks are not implemented"],
  [/^email\.notification\.[a-z_]+\.enabled$/, (v) => v === false, "notification mails are not implemented"],
  [/^mfa\.(phone|web_authn)\.(enroll|verify)_enabled$/, (v) => v === false, "only TOTP factors exist"],
];

/** Honoured as GoTrue honours them; sms.* details and rate limits of absent features change nothing. */
const HONOURED = new Set([
  "site_url",
  "additional_redirect_urls",
  "jwt_expiry",
  "jwt_issuer",
  "signing_keys_path",
  "refresh_token_reuse_interval",
  "enable_signup",
  "enable_anonymous_sign_ins",
  "minimum_password_length",
  "password_requirements",
  "rate_limit.email_sent",
  "rate_limit.anonymous_users",
  "rate_limit.token_refresh",
  "rate_limit.sign_in_sign_ups",
  "rate_limit.token_verifications",
  "rate_limit.sms_sent",
  "rate_limit.web3",
  "email.enable_signup",
  "email.enable_confirmations",
  "email.double_confirm_changes",
  "email.secure_password_change",
  "email.max_frequency",
  "email.otp_length",
  "email.otp_expiry",
  "mfa.max_enrolled_factors",
  "mfa.totp.enroll_enabled",
  "mfa.totp.verify_enabled",
]);
const HONOURED_PATTERNS = [
  /^email\.template\.(invite|confirmation|recovery|magic_link|email_change|reauthentication)\.(subject|content_path)$/,
  // Details of disabled providers: with the provider off they change nothing.
  /^sms\.(template|max_frequency|otp_length|otp_expiry|test_otp\..+)$/,
  /^sms\.[a-z_]+\.[a-z_]+$/,
  /^(external|web3|third_party)\.[a-z0-9_]+\.[a-z_]+$/,
  /^hook\.[a-z_]+\.(uri|secrets)$/,
  /^mfa\.(phone|web_authn)\.[a-z_]+$/,
  /^email\.notification\.[a-z_]+\.(subject|content_path)$/,
  /^email\.smtp\.[a-z_]+$/,
  /^captcha\.[a-z_]+$/,
  /^oauth_server\.[a-z_]+$/,
];

function leaves(value: unknown, prefix = ""): Leaf[] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, value]];
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const SYMBOLS = "!@#$%^&*()_+-=[]{};'\"|<>?,./`~"; // no ":": it separates the sets

/** config.toml's password_requirements as GoTrue's required character sets (as the CLI maps them). */
function requiredCharacters(requirement: unknown): string {
  switch (requirement) {
    case "letters_digits":
      return [LOWER + UPPER, DIGITS].join(":");
    case "lower_upper_letters_digits":
      return [LOWER, UPPER, DIGITS].join(":");
    case "lower_upper_letters_digits_symbols":
      return [LOWER, UPPER, DIGITS, SYMBOLS].join(":");
    case "":
    case undefined:
      return "";
    default:
      throw new Error(
        `config.toml: auth.password_requirements = ${JSON.stringify(requirement)} is not valid`,
      );
  }
}

/** Go-style durations as config.toml writes them ("1s", "60s", "1m"). */
export function durationSeconds(value: unknown, path: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value).trim());
  if (!match) throw new Error(`config.toml: auth.${path} is not a duration: ${value}`);
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
}

/** Checks every [auth] setting and returns the Auth options they amount to. */
export async function authOptionsFromToml(
  auth: Record<string, unknown>,
  projectRoot: string,
): Promise<Partial<AuthOptions> & { siteUrl: string }> {
  const values = new Map<string, unknown>();
  for (const [path, value] of leaves(auth)) {
    const fixed = ONLY.find(([pattern]) => pattern.test(path));
    if (fixed) {
      if (!fixed[1](value)) {
        throw new Error(
          `config.toml: auth.${path} = ${
            JSON.stringify(value)
          } is not supported by the devstack Auth server (${fixed[2]})`,
        );
      }
      continue;
    }
    if (!HONOURED.has(path) && !HONOURED_PATTERNS.some((pattern) => pattern.test(path))) {
      throw new Error(`config.toml: auth.${path} is not supported by the devstack Auth server`);
    }
    values.set(path, value);
  }
  const get = <T>(path: string) => values.get(path) as T | undefined;
  const email = (key: string) => get<unknown>(`email.${key}`);

  const options: Partial<AuthOptions> & { siteUrl: string } = {
    siteUrl: get<string>("site_url") ?? "http://127.0.0.1:3000",
    uriAllowList: get<string[]>("additional_redirect_urls") ?? ["https://127.0.0.1:3000"],
    jwtExp: get<number>("jwt_expiry") ?? 3600,
    jwtIssuer: get<string>("jwt_issuer") || undefined,
    refreshTokenReuseInterval: get<number>("refresh_token_reuse_interval") ?? 10,
    disableSignup: !(get<boolean>("enable_signup") ?? true),
    anonymousUsersEnabled: get<boolean>("enable_anonymous_sign_ins") ?? false,
    passwordMinLength: Math.max(6, get<number>("minimum_password_length") ?? 6),
    passwordRequiredCharacters: requiredCharacters(get("password_requirements")),
    emailEnabled: (email("enable_signup") as boolean | undefined) ?? true,
    mailerAutoconfirm: !((email("enable_confirmations") as boolean | undefined) ?? false),
    mailerSecureEmailChange: (email("double_confirm_changes") as boolean | undefined) ?? true,
    updatePasswordRequireReauthentication: (email("secure_password_change") as boolean | undefined) ?? false,
    smtpMaxFrequency: durationSeconds(email("max_frequency") ?? "1s", "email.max_frequency"),
    mailerOtpLength: (email("otp_length") as number | undefined) ?? 6,
    mailerOtpExp: (email("otp_expiry") as number | undefined) ?? 3600,
    // The CLI passes [auth.rate_limit] email_sent only with custom SMTP; with its own Mailpit it
    // sets 360000 per hour. The devstack's mail catcher is that Mailpit.
    rateLimitEmailSent: 360000,
    rateLimitAnonymousUsers: get<number>("rate_limit.anonymous_users") ?? 30,
    rateLimitTokenRefresh: get<number>("rate_limit.token_refresh") ?? 150,
    rateLimitOtp: get<number>("rate_limit.sign_in_sign_ups") ?? 30,
    rateLimitVerify: get<number>("rate_limit.token_verifications") ?? 30,
    // The CLI's defaults: TOTP off unless config.toml turns it on.
    mfaTotpEnrollEnabled: get<boolean>("mfa.totp.enroll_enabled") ?? false,
    mfaTotpVerifyEnabled: get<boolean>("mfa.totp.verify_enabled") ?? false,
    mfaMaxEnrolledFactors: get<number>("mfa.max_enrolled_factors") ?? 10,
  };

  const templates: Record<string, string> = {};
  const subjects: Record<string, string> = {};
  for (const [path, value] of values) {
    const match = /^email\.template\.([a-z_]+)\.(subject|content_path)$/.exec(path);
    if (!match) continue;
    if (match[2] === "subject") subjects[match[1]] = String(value);
    else if (String(value) !== "") {
      const file = new URL(String(value), `file://${projectRoot}/`).pathname;
      templates[match[1]] = await Deno.readTextFile(file).catch((err) => {
        throw new Error(`config.toml: auth.${path}: cannot read ${file}: ${err.message}`);
      });
    }
  }
  options.mailerTemplates = templates;
  options.mailerSubjects = subjects;

  const keysPath = get<string>("signing_keys_path");
  if (keysPath) {
    const file = new URL(keysPath, `file://${projectRoot}/supabase/`).pathname;
    options.jwtKeys = JSON.parse(await Deno.readTextFile(file)) as Jwk[];
  }
  return options;
}

/** The site URL with the port the start command really serves the web app on. */
export function siteUrlOnPort(siteUrl: string, webPort: number): string {
  const url = new URL(siteUrl);
  url.port = String(webPort);
  return url.href.replace(/\/+$/, "");
}
