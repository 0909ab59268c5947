/**
 * The whole devstack in one call (`supabase start` without Docker, minus the database, which the
 * caller provides): mail catcher, Auth, Data API, functions host, pg_net worker and the gateway in
 * front of them. Tests start it on free ports; devstack/start.ts on the standard ones.
 */
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { startAuth } from "./auth/server.ts";
import { startFunctions } from "./functions/server.ts";
import { startGateway } from "./gateway/server.ts";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "./keys.ts";
import { startMail } from "./mail/server.ts";
import { startPgNet } from "./pgnet/worker.ts";
import { startRest } from "./rest/server.ts";
import type { RunningService } from "./service.ts";

const PROJECT_ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const port = z.number().int().min(0).max(65535);

export const StackOptions = z.object({
  /** Superuser URL of a bootstrapped, migrated database (postgres role). */
  databaseUrl: z.string().min(1),
  /** Auth connects as supabase_auth_admin, the Data API as authenticator (default: databaseUrl with that user). */
  authDatabaseUrl: z.string().optional(),
  restDatabaseUrl: z.string().optional(),
  hostname: z.string().default("127.0.0.1"),
  /** 0 (the default for each) picks a free port. */
  ports: z.object({
    gateway: port.default(0),
    mail: port.default(0),
    smtp: port.default(0),
    auth: port.default(0),
    rest: port.default(0),
    functions: port.default(0),
  }).default({ gateway: 0, mail: 0, smtp: 0, auth: 0, rest: 0, functions: 0 }),
  jwtSecret: z.string().default(DEMO_JWT_SECRET),
  anonKey: z.string().default(DEMO_ANON_KEY),
  serviceRoleKey: z.string().default(DEMO_SERVICE_ROLE_KEY),
  projectRoot: z.string().default(PROJECT_ROOT),
  /** supabase/config.toml: [auth] and [functions.*] settings are read from it, options win. */
  configPath: z.string().optional(),
  functionsDir: z.string().optional(),
  /** Secrets for the functions (dotenv), like `supabase functions serve --env-file`. */
  functionsEnvFile: z.string().optional(),
  functionsEnv: z.record(z.string(), z.string()).default({}),
  /** Restart function processes when their files change (for development). */
  watchFunctions: z.boolean().default(false),
  /** [auth] settings; unset ones come from config.toml, then Supabase's defaults. */
  siteUrl: z.string().optional(),
  uriAllowList: z.array(z.string()).optional(),
  jwtExpiry: z.number().int().positive().optional(),
  /** true = no e-mail confirmation ([auth.email] enable_confirmations = false). */
  autoconfirm: z.boolean().optional(),
  maxEmailFrequencySeconds: z.number().nonnegative().optional(),
  /** The sender of Auth's e-mails; default [local_smtp] admin_email, then the CLI's default. */
  adminEmail: z.string().optional(),
  pgNet: z.object({
    enabled: z.boolean().default(true),
    pollIntervalMs: z.number().int().positive().optional(),
    concurrency: z.number().int().positive().optional(),
  }).default({ enabled: true }),
});
export type StackOptions = z.input<typeof StackOptions>;

export interface RunningStack {
  urls: {
    /** The gateway: what SUPABASE_URL points at. */
    api: string;
    auth: string;
    rest: string;
    functions: string;
    /** Mail catcher (Mailpit API and inbox page). */
    mail: string;
    smtp: string;
    db: string;
  };
  keys: { anon: string; serviceRole: string; jwtSecret: string };
  /** The variables the app, the functions and the tests read. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A database URL with another user and no password (the devstack cluster trusts local users). */
export function withUser(databaseUrl: string, user: string): string {
  const url = new URL(databaseUrl);
  url.username = user;
  url.password = "";
  return url.href;
}

/** The [api], [auth] and [local_smtp] settings of supabase/config.toml that the devstack honours. */
const ConfigToml = z.object({
  // The local mail catcher (Mailpit under `supabase start`); its ports are the stack's own options.
  local_smtp: z.object({
    admin_email: z.string().optional(),
    sender_name: z.string().optional(),
  }).passthrough().default({}),
  api: z.object({
    schemas: z.array(z.string()).optional(),
    extra_search_path: z.array(z.string()).optional(),
    max_rows: z.number().int().positive().optional(),
  }).passthrough().default({}),
  auth: z.object({
    site_url: z.string().optional(),
    additional_redirect_urls: z.array(z.string()).optional(),
    jwt_expiry: z.number().int().positive().optional(),
    minimum_password_length: z.number().int().positive().optional(),
    password_requirements: z.string().optional(),
    refresh_token_reuse_interval: z.number().nonnegative().optional(),
    email: z.object({
      enable_confirmations: z.boolean().optional(),
      max_frequency: z.string().optional(),
    }).passthrough().optional(),
  }).passthrough().default({}),
}).passthrough();

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const SYMBOLS = "!@#$%^&*()_+-=[]{};'\"|<>?,./`~"; // no ":": it separates the sets

/** config.toml's password_requirements as GoTrue's required character sets (as the CLI maps them). */
function requiredCharacters(requirement: string | undefined): string {
  switch (requirement) {
    case "letters_digits":
      return [LOWER + UPPER, DIGITS].join(":");
    case "lower_upper_letters_digits":
      return [LOWER, UPPER, DIGITS].join(":");
    case "lower_upper_letters_digits_symbols":
      return [LOWER, UPPER, DIGITS, SYMBOLS].join(":");
    default:
      return "";
  }
}

/** `env(NAME)` values are read from the environment, as the Supabase CLI does. */
function resolveEnv<T>(value: T): T {
  if (typeof value === "string") {
    const match = /^env\((\w+)\)$/.exec(value.trim());
    return (match ? Deno.env.get(match[1]) ?? "" : value) as T;
  }
  if (Array.isArray(value)) return value.map(resolveEnv) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveEnv(v)])) as T;
  }
  return value;
}

async function readConfigToml(configPath: string): Promise<z.infer<typeof ConfigToml>> {
  let text = "";
  try {
    text = await Deno.readTextFile(configPath);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return ConfigToml.parse(resolveEnv(parseToml(text)));
}

/** Go-style durations as config.toml writes them ("1s", "60s", "1m"). */
function durationSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new Error(`config.toml: not a duration: ${value}`);
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
}

/** Starts every service; on failure, stops what was started and rethrows. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const config = StackOptions.parse(options);
  const configPath = config.configPath ?? `${config.projectRoot}/supabase/config.toml`;
  const toml = await readConfigToml(configPath);
  const authToml = toml.auth;
  const started: RunningService[] = [];
  const stop = async () => {
    for (const service of started.reverse()) {
      await service.close().catch((error) => console.error("[stack] stopping a service failed:", error));
    }
    started.length = 0;
  };

  try {
    const mail = await startMail({
      hostname: config.hostname,
      port: config.ports.mail,
      smtpPort: config.ports.smtp,
    });
    started.push(mail);

    const gateway = await startGateway({
      hostname: config.hostname,
      port: config.ports.gateway,
      apiKeys: [config.anonKey, config.serviceRoleKey],
    });
    started.push(gateway);

    const auth = await startAuth({
      hostname: config.hostname,
      port: config.ports.auth,
      databaseUrl: config.authDatabaseUrl ?? withUser(config.databaseUrl, "supabase_auth_admin"),
      apiExternalUrl: gateway.url,
      siteUrl: config.siteUrl ?? authToml.site_url ?? "http://127.0.0.1:3000",
      uriAllowList: config.uriAllowList ?? authToml.additional_redirect_urls ?? [],
      jwtSecret: config.jwtSecret,
      jwtExp: config.jwtExpiry ?? authToml.jwt_expiry ?? 3600,
      passwordMinLength: Math.max(6, authToml.minimum_password_length ?? 6),
      passwordRequiredCharacters: requiredCharacters(authToml.password_requirements),
      mailerAutoconfirm: config.autoconfirm ?? !(authToml.email?.enable_confirmations ?? false),
      smtpHost: mail.smtpHost,
      smtpPort: mail.smtpPort,
      smtpAdminEmail: config.adminEmail ?? toml.local_smtp.admin_email ?? "admin@email.com",
      smtpSenderName: toml.local_smtp.sender_name,
      smtpMaxFrequency: config.maxEmailFrequencySeconds ?? durationSeconds(authToml.email?.max_frequency) ??
        1,
    });
    started.push(auth);

    const rest = await startRest({
      serverHost: config.hostname,
      serverPort: config.ports.rest,
      dbUri: config.restDatabaseUrl ?? withUser(config.databaseUrl, "authenticator"),
      dbSchemas: toml.api.schemas ?? ["public"],
      dbExtraSearchPath: toml.api.extra_search_path ?? ["public", "extensions"],
      dbMaxRows: toml.api.max_rows,
      dbAnonRole: "anon",
      jwtSecret: config.jwtSecret,
      openapiServerProxyUri: `${gateway.url}/rest/v1/`,
    });
    started.push(rest);

    const functions = await startFunctions({
      hostname: config.hostname,
      port: config.ports.functions,
      projectRoot: config.projectRoot,
      functionsDir: config.functionsDir,
      configPath,
      jwtSecret: config.jwtSecret,
      supabaseUrl: gateway.url,
      anonKey: config.anonKey,
      serviceRoleKey: config.serviceRoleKey,
      dbUrl: config.databaseUrl,
      envFile: config.functionsEnvFile,
      env: config.functionsEnv,
      watch: config.watchFunctions,
    });
    started.push(functions);

    gateway.setUpstream("auth", auth.url);
    gateway.setUpstream("rest", rest.url);
    gateway.setUpstream("functions", functions.url);

    if (config.pgNet.enabled) {
      started.push(
        await startPgNet({
          databaseUrl: config.databaseUrl,
          pollIntervalMs: config.pgNet.pollIntervalMs,
          concurrency: config.pgNet.concurrency,
        }),
      );
    }

    // Gateway first when stopping: no new traffic reaches services that are shutting down.
    started.splice(started.indexOf(gateway), 1);
    started.push(gateway);

    const smtp = `smtp://${mail.smtpHost}:${mail.smtpPort}`;
    return {
      urls: {
        api: gateway.url,
        auth: auth.url,
        rest: rest.url,
        functions: functions.url,
        mail: mail.url,
        smtp,
        db: config.databaseUrl,
      },
      keys: { anon: config.anonKey, serviceRole: config.serviceRoleKey, jwtSecret: config.jwtSecret },
      env: {
        SUPABASE_URL: gateway.url,
        SUPABASE_ANON_KEY: config.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
        SUPABASE_DB_URL: config.databaseUrl,
        JWT_SECRET: config.jwtSecret,
        MAIL_API_URL: mail.url,
        SMTP_HOST: mail.smtpHost,
        SMTP_PORT: String(mail.smtpPort),
        VITE_SUPABASE_URL: gateway.url,
        VITE_SUPABASE_ANON_KEY: config.anonKey,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
