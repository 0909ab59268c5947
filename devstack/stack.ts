/**
 * The whole devstack in one call (`supabase start` without Docker, minus the database, which the
 * caller provides): mail catcher, Auth, Data API, functions host, pg_net worker and the gateway in
 * front of them. Tests start it on free ports; devstack/start.ts on the standard ones.
 */
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import type { AuthOptions, Jwk } from "./auth/config.ts";
import { startAuth } from "./auth/server.ts";
import { authOptionsFromToml, siteUrlOnPort } from "./auth/toml.ts";
import { startFunctions } from "./functions/server.ts";
import { startGateway } from "./gateway/server.ts";
import { verificationJwks } from "./jwt-keys.ts";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY, DEMO_SIGNING_KEY } from "./keys.ts";
import { startMail } from "./mail/server.ts";
import { startPgNet } from "./pgnet/worker.ts";
import { type RunningRealtime, startRealtime } from "./realtime/server.ts";
import { startRest } from "./rest/server.ts";
import type { RunningService } from "./service.ts";
import { readEnvFile } from "./functions/envfile.ts";
import { type RunningTelegram, startTelegram } from "./telegram/server.ts";
import postgres from "postgres";
import { remindNow } from "./remind-now.ts";
import { BOT_UPDATE_KINDS } from "../supabase/functions/_shared/telegram-update-kinds.ts";

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
    telegram: port.default(0),
    realtime: port.default(0),
  }).default({ gateway: 0, mail: 0, smtp: 0, auth: 0, rest: 0, functions: 0, telegram: 0, realtime: 0 }),
  /**
   * The local bot on the Telegram stand-in (devstack/telegram), used unless the functions' env file
   * or env sets TELEGRAM_BOT_TOKEN (a real bot). The token and username are development values;
   * the webhook secret is new on every start unless given, so no page can post updates to the
   * webhook (it is a URL any browser tab on this machine can reach).
   */
  telegram: z.object({
    token: z.string().default("1000000001:devstack-local-bot-token"),
    username: z.string().default("habits_local_bot"),
    webhookSecret: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/).optional(),
  }).default({ token: "1000000001:devstack-local-bot-token", username: "habits_local_bot" }),
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
  /** Told of every request through the gateway, when it is answered (the start command's logs). */
  onRequest: z.custom<(request: Request, status: number, ms: number) => void>().optional(),
  /** The Telegram stand-in keeps its people and chats here between runs (none: it forgets on exit). */
  telegramStateFile: z.string().optional(),
  /** The port the web app is served on: config.toml's site_url is taken with this port. */
  webPort: port.optional(),
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
  /** Any other Auth option (devstack/auth/config.ts), over config.toml's. */
  auth: z.custom<Partial<AuthOptions>>().default({}),
});
export type StackOptions = z.input<typeof StackOptions>;

export interface RunningStack {
  urls: {
    /** The gateway: what SUPABASE_URL points at. */
    api: string;
    auth: string;
    rest: string;
    functions: string;
    realtime: string;
    /** Mail catcher (Mailpit API and inbox page). */
    mail: string;
    /** The Telegram stand-in's Bot API root and chat page (absent when a real bot is configured). */
    telegram?: string;
    smtp: string;
    db: string;
  };
  keys: { anon: string; serviceRole: string; jwtSecret: string };
  /** The Telegram stand-in, unless a real bot is configured. */
  telegram?: RunningTelegram;
  /** The bot the functions talk to: its username and where its t.me-style deep links point. */
  bot: { username: string; deepLinkBase: string };
  /** The variables the app, the functions and the tests read. */
  env: Record<string, string>;
  /**
   * For tests of reconnection: stops the Realtime stand-in (its sockets close, and broadcasts
   * committed meanwhile reach no one) and starts it again on the same port.
   */
  realtime: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

/** 32 random bytes as hex: Telegram's secret_token takes A-Z, a-z, 0-9, _ and -. */
export function randomWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
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
  /** Checked and mapped by devstack/auth/toml.ts. */
  auth: z.record(z.string(), z.unknown()).default({}),
}).passthrough();

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

/** Starts every service; on failure, stops what was started and rethrows. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const config = StackOptions.parse(options);
  const configPath = config.configPath ?? `${config.projectRoot}/supabase/config.toml`;
  const toml = await readConfigToml(configPath);
  const authToml = toml.auth;
  const started: RunningService[] = [];
  const stop = async () => {
    const closing: Promise<void>[] = [];
    const urls: string[] = [];
    for (const service of started.reverse()) {
      urls.push(service.url);
      const closed = service.close().catch((error) =>
        console.error("[stack] stopping a service failed:", error)
      );
      closing.push(closed);
      // A service still finishing a request (e.g. the gateway waiting on a function that waits on
      // a hung Bot API) must not hold up the services behind it, whose stopping ends that request.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
    }
    // A service whose graceful shutdown never ends (a socket whose peer never finishes closing)
    // must not hang whoever stops the stack: after 10 s it is named and left behind.
    const stopped = new Set<string>();
    let waited: ReturnType<typeof setTimeout> | undefined;
    const allStopped = Promise.all(closing.map((closed, i) => closed.then(() => stopped.add(urls[i]))));
    const timedOut = await Promise.race([
      allStopped.then(() => false),
      new Promise<boolean>((resolve) => (waited = setTimeout(() => resolve(true), 10_000))),
    ]);
    clearTimeout(waited);
    if (timedOut) {
      console.error(
        `[stack] still stopping after 10 s, left behind: ${
          urls.filter((url) => !stopped.has(url)).join(", ")
        }`,
      );
    }
    started.length = 0;
  };

  // config.toml's [auth] is checked before anything starts: an unsupported setting stops here.
  const fromToml = await authOptionsFromToml(authToml, config.projectRoot);
  const siteUrl = config.siteUrl ??
    (config.webPort === undefined ? fromToml.siteUrl : siteUrlOnPort(fromToml.siteUrl, config.webPort));
  const signingKeys = (config.auth.jwtKeys ?? fromToml.jwtKeys ?? [DEMO_SIGNING_KEY]) as Jwk[];
  // What the CLI gives PostgREST and the edge runtime: the secret and the public signing keys.
  const verificationSecret = verificationJwks(config.jwtSecret, signingKeys);
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
    }, { onResponse: config.onRequest });
    started.push(gateway);

    const auth = await startAuth({
      ...fromToml,
      ...config.auth,
      hostname: config.hostname,
      port: config.ports.auth,
      databaseUrl: config.authDatabaseUrl ?? withUser(config.databaseUrl, "supabase_auth_admin"),
      apiExternalUrl: gateway.url,
      siteUrl,
      uriAllowList: config.uriAllowList ?? fromToml.uriAllowList,
      jwtSecret: config.jwtSecret,
      jwtKeys: signingKeys,
      jwtExp: config.jwtExpiry ?? fromToml.jwtExp,
      mailerAutoconfirm: config.autoconfirm ?? fromToml.mailerAutoconfirm,
      smtpHost: mail.smtpHost,
      smtpPort: mail.smtpPort,
      smtpAdminEmail: config.adminEmail ?? toml.local_smtp.admin_email ?? "admin@email.com",
      smtpSenderName: toml.local_smtp.sender_name,
      smtpMaxFrequency: config.maxEmailFrequencySeconds ?? fromToml.smtpMaxFrequency,
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
      jwtSecret: verificationSecret,
      openapiServerProxyUri: `${gateway.url}/rest/v1/`,
    });
    started.push(rest);

    const realtimeOptions = {
      hostname: config.hostname,
      port: config.ports.realtime,
      databaseUrl: config.databaseUrl,
      jwtSecret: verificationSecret,
    };
    let realtime: RunningRealtime | undefined = await startRealtime(realtimeOptions);
    const realtimeUrl = realtime.url;
    started.push({ url: realtimeUrl, close: async () => await realtime?.close() });
    const realtimeControl = {
      async stop() {
        await realtime?.close();
        realtime = undefined;
      },
      async start() {
        realtime ??= await startRealtime({ ...realtimeOptions, port: Number(new URL(realtimeUrl).port) });
      },
    };

    const fileEnv = config.functionsEnvFile ? await readEnvFile(config.functionsEnvFile) : {};
    const realToken = config.functionsEnv.TELEGRAM_BOT_TOKEN ?? fileEnv.TELEGRAM_BOT_TOKEN ?? "";
    let telegram: RunningTelegram | undefined;
    let telegramEnv: Record<string, string> = {};
    if (realToken === "") {
      const webhookSecret = config.telegram.webhookSecret ?? randomWebhookSecret();
      // The chat page's "Remind me now" (development only): one connection, opened on first use.
      let sql: postgres.Sql | undefined;
      started.push({ url: "", close: async () => await sql?.end({ timeout: 1 }) });
      const remindNowHook = async (chatId: number, habit?: string) => {
        sql ??= postgres(config.databaseUrl, { max: 1, onnotice: () => {} });
        const result = await remindNow(sql, { chatId, habit });
        if (result.outcome === "none") {
          throw new Error("No unpaused habit for this chat: connect it and create a habit first.");
        }
        if (result.outcome === "ambiguous") return { message: "Which habit?", habits: result.habits };
        return {
          message: `“${result.habit.action}” is reminded now, once; it stays at ${result.habit.time}.`,
        };
      };
      telegram = await startTelegram({
        hostname: config.hostname,
        port: config.ports.telegram,
        stateFile: config.telegramStateFile,
        token: config.telegram.token,
        username: config.telegram.username,
        webhook: {
          url: `${gateway.url}/functions/v1/telegram-webhook`,
          secretToken: webhookSecret,
          allowedUpdates: BOT_UPDATE_KINDS,
        },
      }, { remindNow: remindNowHook });
      started.push(telegram);
      telegramEnv = {
        TELEGRAM_BOT_TOKEN: config.telegram.token,
        TELEGRAM_BOT_USERNAME: config.telegram.username,
        TELEGRAM_WEBHOOK_SECRET: webhookSecret,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      };
    }
    const bot = telegram ? { username: telegram.username, deepLinkBase: telegram.url } : {
      username: config.functionsEnv.TELEGRAM_BOT_USERNAME ?? fileEnv.TELEGRAM_BOT_USERNAME ?? "",
      deepLinkBase: "https://t.me",
    };

    const functions = await startFunctions({
      hostname: config.hostname,
      port: config.ports.functions,
      projectRoot: config.projectRoot,
      functionsDir: config.functionsDir,
      configPath,
      jwtSecret: verificationSecret,
      supabaseUrl: gateway.url,
      anonKey: config.anonKey,
      serviceRoleKey: config.serviceRoleKey,
      dbUrl: config.databaseUrl,
      envFile: config.functionsEnvFile,
      // SITE_URL: where the bot's replies send people (the web app), as Auth's site URL.
      env: { ...(fileEnv.SITE_URL ? {} : { SITE_URL: siteUrl }), ...telegramEnv, ...config.functionsEnv },
      watch: config.watchFunctions,
    });
    started.push(functions);

    gateway.setUpstream("auth", auth.url);
    gateway.setUpstream("rest", rest.url);
    gateway.setUpstream("functions", functions.url);
    gateway.setUpstream("realtime", realtimeUrl);

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
        realtime: realtimeUrl,
        mail: mail.url,
        smtp,
        db: config.databaseUrl,
        ...(telegram ? { telegram: telegram.url } : {}),
      },
      keys: { anon: config.anonKey, serviceRole: config.serviceRoleKey, jwtSecret: config.jwtSecret },
      telegram,
      bot,
      realtime: realtimeControl,
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
        ...telegramEnv,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
