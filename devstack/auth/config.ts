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

const flag = z.union([z.boolean(), z.string()]).transform((value) =>
  typeof value === "boolean" ? value : ["1", "true", "yes", "on"].includes(value.trim().toLowerCase())
);

const url = z.url().transform((value) => value.replace(/\/+$/, ""));

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
  jwtExp: z.coerce.number().int().positive().default(3600),
  /** Defaults to `${apiExternalUrl}/auth/v1`. */
  jwtIssuer: z.string().optional(),
  mailerAutoconfirm: flag.default(false),
  /** How long e-mail links and OTPs stay valid, in seconds. */
  mailerOtpExp: seconds.default(86400),
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

/** Reads GoTrue's own environment variable names. */
export function authConfigFromEnv(env: Record<string, string | undefined> = Deno.env.toObject()): AuthConfig {
  const pick = <T>(value: T | undefined | "") => (value === "" ? undefined : value);
  const allowList = pick(env.GOTRUE_URI_ALLOW_LIST);
  const raw = {
    databaseUrl: pick(env.GOTRUE_DB_DATABASE_URL) ?? pick(env.DATABASE_URL),
    apiExternalUrl: pick(env.API_EXTERNAL_URL),
    siteUrl: pick(env.GOTRUE_SITE_URL),
    uriAllowList: allowList?.split(",").map((entry) => entry.trim()).filter(Boolean),
    jwtSecret: pick(env.GOTRUE_JWT_SECRET),
    jwtExp: pick(env.GOTRUE_JWT_EXP),
    jwtIssuer: pick(env.GOTRUE_JWT_ISSUER),
    mailerAutoconfirm: pick(env.GOTRUE_MAILER_AUTOCONFIRM),
    mailerOtpExp: pick(env.GOTRUE_MAILER_OTP_EXP),
    smtpHost: pick(env.GOTRUE_SMTP_HOST),
    smtpPort: pick(env.GOTRUE_SMTP_PORT),
    smtpUser: pick(env.GOTRUE_SMTP_USER),
    smtpPass: pick(env.GOTRUE_SMTP_PASS),
    smtpAdminEmail: pick(env.GOTRUE_SMTP_ADMIN_EMAIL),
    smtpSenderName: pick(env.GOTRUE_SMTP_SENDER_NAME),
    smtpMaxFrequency: pick(env.GOTRUE_SMTP_MAX_FREQUENCY),
    refreshTokenReuseInterval: pick(env.GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL),
    passwordMinLength: pick(env.GOTRUE_PASSWORD_MIN_LENGTH),
    passwordRequiredCharacters: pick(env.GOTRUE_PASSWORD_REQUIRED_CHARACTERS),
    flowStateExpiry: pick(env.GOTRUE_EXTERNAL_FLOW_STATE_EXPIRY_DURATION),
    hostname: pick(env.GOTRUE_API_HOST),
    port: pick(env.PORT),
  };
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  return parseAuthOptions(defined as AuthOptions);
}
