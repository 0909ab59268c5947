import { z } from "zod";

/** A duration in seconds: a number, or a Go duration string as GoTrue accepts ("60s", "1m", "500ms"). */
const seconds = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(trimmed);
  if (!match) {
    ctx.addIssue({ code: "custom", message: `not a duration: ${value}` });
    return z.NEVER;
  }
  const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as "ms" | "s" | "m" | "h"];
  return Number(match[1]) * factor;
}).pipe(z.number().nonnegative());

/** Go's strconv.ParseBool, which GoTrue's envconfig uses: anything else is an error, not false. */
const flag = z.union([z.boolean(), z.string()]).transform((value, ctx) => {
  if (typeof value === "boolean") return value;
  const text = value.trim();
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  ctx.addIssue({ code: "custom", message: `not a boolean: ${value}` });
  return z.NEVER;
});

const url = z.url().transform((value) => value.replace(/\/+$/, ""));
const perPeriod = z.coerce.number().nonnegative();

/** A JSON Web Key as GOTRUE_JWT_KEYS lists them. */
export const jwkSchema = z.object({
  kty: z.string(),
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
  key_ops: z.array(z.string()).optional(),
}).passthrough();
export type Jwk = z.infer<typeof jwkSchema>;

const jwkList = z.union([z.string(), z.array(jwkSchema)]).transform((value, ctx) => {
  if (Array.isArray(value)) return value;
  try {
    return z.array(jwkSchema).parse(JSON.parse(value));
  } catch (err) {
    ctx.addIssue({ code: "custom", message: `not a JSON array of JWKs: ${(err as Error).message}` });
    return z.NEVER;
  }
});

/** Settings of the Auth server; the same keys whether they come from code or from the environment. */
export const authOptionsSchema = z.object({
  /** Postgres URL; the server connects as supabase_auth_admin, as GoTrue does. */
  databaseUrl: z.string().min(1),
  /** Public base URL of the API gateway (links in mails and the JWT issuer hang off it). */
  apiExternalUrl: url,
  siteUrl: url,
  /** Extra redirect targets: exact URLs or globs (`*` within one label or path segment, `**` across). */
  uriAllowList: z.array(z.string().min(1)).default([]),
  jwtSecret: z.string().min(16),
  /** Asymmetric signing keys (JWKs with private parts); the first that can sign signs access tokens. */
  jwtKeys: jwkList.default([]),
  jwtExp: z.coerce.number().int().positive().default(3600),
  /** Defaults to `${apiExternalUrl}/auth/v1`. */
  jwtIssuer: z.string().optional(),
  /** GOTRUE_DISABLE_SIGNUP: no new users by sign-up, OTP or anonymous sign-in (admin API still can). */
  disableSignup: flag.default(false),
  /** GOTRUE_EXTERNAL_EMAIL_ENABLED: the e-mail provider ([auth.email] enable_signup). */
  emailEnabled: flag.default(true),
  /** GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED ([auth] enable_anonymous_sign_ins). */
  anonymousUsersEnabled: flag.default(false),
  mailerAutoconfirm: flag.default(false),
  /** How long e-mail links and OTPs stay valid, in seconds. */
  mailerOtpExp: seconds.default(86400),
  mailerOtpLength: z.coerce.number().int().min(6).max(10).default(6),
  /** GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED ([auth.email] double_confirm_changes). */
  mailerSecureEmailChange: flag.default(true),
  /** GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_REAUTHENTICATION ([auth.email] secure_password_change). */
  updatePasswordRequireReauthentication: flag.default(false),
  /** Mail templates ({{ .ConfirmationURL }} etc.) and subjects by kind; GoTrue's defaults otherwise. */
  mailerTemplates: z.record(z.string(), z.string()).default({}),
  mailerSubjects: z.record(z.string(), z.string()).default({}),
  smtpHost: z.string().default("127.0.0.1"),
  smtpPort: z.coerce.number().int().min(1).max(65535).default(54325),
  smtpUser: z.string().optional(),
  smtpPass: z.string().optional(),
  smtpAdminEmail: z.string().default("admin@email.com"),
  smtpSenderName: z.string().optional(),
  /** Minimum time between two mails to the same address, in seconds. */
  smtpMaxFrequency: seconds.default(60),
  /** Seconds during which a rotated refresh token may still be used. */
  refreshTokenReuseInterval: seconds.default(10),
  passwordMinLength: z.coerce.number().int().min(6).default(6),
  /** Character sets a password must each draw from, ':'-separated as GoTrue takes them ("" = none). */
  passwordRequiredCharacters: z.string().default(""),
  /** PKCE flow states older than this (seconds) cannot be exchanged any more. */
  flowStateExpiry: seconds.default(300),
  /**
   * GOTRUE_RATE_LIMIT_HEADER: the request header whose value keys the per-client limits below.
   * Empty (as `supabase start` leaves it) means GoTrue applies none of them; the mail limit is
   * server-wide either way.
   */
  rateLimitHeader: z.string().default(""),
  /** GoTrue's rate limits: mails per hour (whole server), the others per value of rateLimitHeader. */
  rateLimitEmailSent: perPeriod.default(30),
  /** Anonymous sign-ins per hour. */
  rateLimitAnonymousUsers: perPeriod.default(30),
  /** Token grants (password, refresh_token, pkce) per 5 minutes. */
  rateLimitTokenRefresh: perPeriod.default(150),
  /** Sign-ups, /otp, /recover, /resend and PUT /user per 5 minutes ([auth.rate_limit] sign_in_sign_ups). */
  rateLimitOtp: perPeriod.default(30),
  /** /verify calls per 5 minutes ([auth.rate_limit] token_verifications). */
  rateLimitVerify: perPeriod.default(30),
  /** TOTP multi-factor ([auth.mfa.totp] enroll_enabled / verify_enabled); GoTrue's default is on. */
  mfaTotpEnrollEnabled: flag.default(true),
  mfaTotpVerifyEnabled: flag.default(true),
  mfaMaxEnrolledFactors: z.coerce.number().int().positive().default(10),
  /** Seconds a TOTP challenge can be verified. */
  mfaChallengeExpiry: seconds.default(300),
  /** Challenges and verifications per minute per client (burst 30). */
  mfaRateLimitChallengeAndVerify: perPeriod.default(15),
  hostname: z.string().default("127.0.0.1"),
  /** 0 picks a free port. */
  port: z.coerce.number().int().min(0).max(65535).default(9999),
});

export type AuthOptions = z.input<typeof authOptionsSchema>;
export type AuthConfig = z.output<typeof authOptionsSchema> & { jwtIssuer: string };

export function parseAuthOptions(options: AuthOptions): AuthConfig {
  const parsed = authOptionsSchema.parse(options);
  return { ...parsed, jwtIssuer: parsed.jwtIssuer ?? `${parsed.apiExternalUrl}/auth/v1` };
}

/** GoTrue's variable for each option this server reads. */
const ENV_NAMES: Partial<Record<keyof AuthOptions, string>> = {
  apiExternalUrl: "API_EXTERNAL_URL",
  siteUrl: "GOTRUE_SITE_URL",
  jwtSecret: "GOTRUE_JWT_SECRET",
  jwtKeys: "GOTRUE_JWT_KEYS",
  jwtExp: "GOTRUE_JWT_EXP",
  jwtIssuer: "GOTRUE_JWT_ISSUER",
  disableSignup: "GOTRUE_DISABLE_SIGNUP",
  emailEnabled: "GOTRUE_EXTERNAL_EMAIL_ENABLED",
  anonymousUsersEnabled: "GOTRUE_EXTERNAL_ANONYMOUS_USERS_ENABLED",
  mailerAutoconfirm: "GOTRUE_MAILER_AUTOCONFIRM",
  mailerOtpExp: "GOTRUE_MAILER_OTP_EXP",
  mailerOtpLength: "GOTRUE_MAILER_OTP_LENGTH",
  mailerSecureEmailChange: "GOTRUE_MAILER_SECURE_EMAIL_CHANGE_ENABLED",
  updatePasswordRequireReauthentication: "GOTRUE_SECURITY_UPDATE_PASSWORD_REQUIRE_REAUTHENTICATION",
  smtpHost: "GOTRUE_SMTP_HOST",
  smtpPort: "GOTRUE_SMTP_PORT",
  smtpUser: "GOTRUE_SMTP_USER",
  smtpPass: "GOTRUE_SMTP_PASS",
  smtpAdminEmail: "GOTRUE_SMTP_ADMIN_EMAIL",
  smtpSenderName: "GOTRUE_SMTP_SENDER_NAME",
  smtpMaxFrequency: "GOTRUE_SMTP_MAX_FREQUENCY",
  refreshTokenReuseInterval: "GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL",
  passwordMinLength: "GOTRUE_PASSWORD_MIN_LENGTH",
  passwordRequiredCharacters: "GOTRUE_PASSWORD_REQUIRED_CHARACTERS",
  flowStateExpiry: "GOTRUE_EXTERNAL_FLOW_STATE_EXPIRY_DURATION",
  rateLimitHeader: "GOTRUE_RATE_LIMIT_HEADER",
  rateLimitEmailSent: "GOTRUE_RATE_LIMIT_EMAIL_SENT",
  rateLimitAnonymousUsers: "GOTRUE_RATE_LIMIT_ANONYMOUS_USERS",
  rateLimitTokenRefresh: "GOTRUE_RATE_LIMIT_TOKEN_REFRESH",
  rateLimitOtp: "GOTRUE_RATE_LIMIT_OTP",
  rateLimitVerify: "GOTRUE_RATE_LIMIT_VERIFY",
  mfaTotpEnrollEnabled: "GOTRUE_MFA_TOTP_ENROLL_ENABLED",
  mfaTotpVerifyEnabled: "GOTRUE_MFA_TOTP_VERIFY_ENABLED",
  mfaMaxEnrolledFactors: "GOTRUE_MFA_MAX_ENROLLED_FACTORS",
  mfaChallengeExpiry: "GOTRUE_MFA_CHALLENGE_EXPIRY_DURATION",
  mfaRateLimitChallengeAndVerify: "GOTRUE_MFA_RATE_LIMIT_CHALLENGE_AND_VERIFY",
  hostname: "GOTRUE_API_HOST",
  port: "PORT",
};

/**
 * Variables `supabase start` sets that this server accepts only with the one value it implements:
 * anything else would change behaviour this server does not have, so it refuses to start.
 */
const FIXED: Record<string, (value: string) => boolean> = {
  GOTRUE_API_PORT: () => true, // PORT wins; kept for compatibility with the CLI's variable set
  GOTRUE_DB_DRIVER: (v) => v === "postgres",
  GOTRUE_JWT_AUD: (v) => v === "authenticated",
  GOTRUE_JWT_DEFAULT_GROUP_NAME: (v) => v === "authenticated",
  GOTRUE_JWT_ADMIN_ROLES: (v) => v === "service_role",
  GOTRUE_JWT_VALID_METHODS: (v) => v.split(",").every((m) => ["HS256", "RS256", "ES256"].includes(m.trim())),
  GOTRUE_JWT_VALIDMETHODS: (v) => v.split(",").every((m) => ["HS256", "RS256", "ES256"].includes(m.trim())),
  GOTRUE_EXTERNAL_PHONE_ENABLED: (v) => v === "false",
  GOTRUE_SMS_AUTOCONFIRM: () => true, // no phone provider: nothing to confirm
  GOTRUE_SECURITY_REFRESH_TOKEN_ROTATION_ENABLED: (v) => v === "true",
  GOTRUE_SECURITY_MANUAL_LINKING_ENABLED: (v) => v === "false",
  GOTRUE_MFA_PHONE_ENROLL_ENABLED: (v) => v === "false",
  GOTRUE_MFA_PHONE_VERIFY_ENABLED: (v) => v === "false",
  GOTRUE_MFA_WEB_AUTHN_ENROLL_ENABLED: (v) => v === "false",
  GOTRUE_MFA_WEB_AUTHN_VERIFY_ENABLED: (v) => v === "false",
  GOTRUE_MAILER_TEMPLATE_RELOADING_ENABLED: () => true,
  GOTRUE_PASSKEY_ENABLED: (v) => v === "false",
  GOTRUE_SECURITY_CAPTCHA_ENABLED: (v) => v === "false",
};

/**
 * Families the CLI always sets: switches that must say "off", and the details of what they switch
 * (which change nothing while it is off). `[name, pattern of its switch's value]`.
 */
const OFF_FAMILIES: [RegExp, (env: Record<string, string | undefined>, match: RegExpExecArray) => boolean][] =
  [
    // An external provider's settings, while GOTRUE_EXTERNAL_<P>_ENABLED is not true.
    [
      /^GOTRUE_EXTERNAL_([A-Z0-9_]+?)_(ENABLED|CLIENT_ID|SECRET|REDIRECT_URI|URL|SKIP_NONCE_CHECK|EMAIL_OPTIONAL)$/,
      (
        env,
        m,
      ) => env[`GOTRUE_EXTERNAL_${m[1]}_ENABLED`] !== "true",
    ],
    // Phone sign-in is off (GOTRUE_EXTERNAL_PHONE_ENABLED must be false): its SMS settings are inert.
    [/^GOTRUE_SMS_[A-Z_]+$/, (env) => env.GOTRUE_EXTERNAL_PHONE_ENABLED !== "true"],
    [/^GOTRUE_RATE_LIMIT_(SMS_SENT|WEB3)$/, () => true],
    [/^GOTRUE_MAILER_NOTIFICATIONS_[A-Z_]+_ENABLED$/, (env, m) => env[m[0]] === "false"],
    [
      /^GOTRUE_HOOK_([A-Z_]+?)_(ENABLED|URI|SECRETS)$/,
      (env, m) => env[`GOTRUE_HOOK_${m[1]}_ENABLED`] !== "true",
    ],
    [/^GOTRUE_WEBAUTHN_[A-Z_]+$/, (env) => env.GOTRUE_PASSKEY_ENABLED !== "true"],
  ];

/**
 * Reads GoTrue's own environment variable names. A GOTRUE_* variable this server does not
 * implement (or implements only with another value) makes it refuse to start, naming the variable.
 */
export function authConfigFromEnv(env: Record<string, string | undefined> = Deno.env.toObject()): AuthConfig {
  const known = new Set(Object.values(ENV_NAMES));
  const subjects: Record<string, string> = {};
  known.add("GOTRUE_DB_DATABASE_URL").add("GOTRUE_URI_ALLOW_LIST");
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("GOTRUE_") || value === undefined || known.has(name)) continue;
    const subject = /^GOTRUE_MAILER_SUBJECTS_([A-Z_]+)$/.exec(name);
    if (subject) {
      subjects[subject[1].toLowerCase()] = value;
      continue;
    }
    const family = OFF_FAMILIES.map(([pattern, ok]) => [pattern.exec(name), ok] as const).find(([m]) => m);
    if (family) {
      if (!family[1](env, family[0] as RegExpExecArray)) {
        throw new Error(`devstack auth: ${name}=${value} is not supported by the devstack Auth server`);
      }
      continue;
    }
    const accepts = FIXED[name];
    if (!accepts) throw new Error(`devstack auth: ${name} is not supported by the devstack Auth server`);
    if (!accepts(value)) {
      throw new Error(`devstack auth: ${name}=${value} is not supported by the devstack Auth server`);
    }
  }
  const pick = (value: string | undefined) => (value === "" ? undefined : value);
  const raw: Record<string, unknown> = {
    databaseUrl: pick(env.GOTRUE_DB_DATABASE_URL) ?? pick(env.DATABASE_URL),
    uriAllowList: pick(env.GOTRUE_URI_ALLOW_LIST)?.split(",").map((entry) => entry.trim()).filter(Boolean),
  };
  for (const [option, name] of Object.entries(ENV_NAMES)) raw[option] = pick(env[name]);
  if (Object.keys(subjects).length) raw.mailerSubjects = subjects;
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  const parsed = authOptionsSchema.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = String(issue.path[0] ?? "");
    const name = ENV_NAMES[option as keyof AuthOptions] ?? option;
    throw new Error(`devstack auth: ${name}: ${issue.message}`);
  }
  return { ...parsed.data, jwtIssuer: parsed.data.jwtIssuer ?? `${parsed.data.apiExternalUrl}/auth/v1` };
}
