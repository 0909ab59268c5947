/**
 * Where the Auth contract tests run. With SUPABASE_URL set, against that stack (the devstack
 * gateway or `supabase start`), reading mail from MAIL_API_URL (Mailpit API). Without it, this file
 * starts everything the tests need on its own: a throwaway Postgres cluster with the bootstrap and
 * the migrations, the devstack Auth server, and an in-process SMTP catcher. supabase-js then gets a
 * fetch that maps `${url}/auth/v1/*` onto the Auth server, as the gateway would.
 */
import { sleep } from "../../supabase/functions/_shared/sleep.ts";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import {
  DEMO_ANON_KEY,
  DEMO_JWT_SECRET,
  DEMO_SERVICE_ROLE_KEY,
  DEMO_SIGNING_KEY,
} from "../../devstack/keys.ts";
import { startAuth } from "../../devstack/auth/server.ts";
import postgres from "postgres";

export interface CaughtMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface AuthTestStack {
  url: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** The fetch supabase-js and raw calls must use (maps the fake gateway URL in standalone mode). */
  fetch: typeof fetch;
  /** All caught mails, oldest first. */
  mails(): Promise<CaughtMail[]>;
  /** Seconds a rotated refresh token stays reusable on this stack. */
  refreshTokenReuseInterval: number;
  /** Seconds between two mails to one address on this stack. */
  smtpMaxFrequency: number;
  /** Superuser URL of the database, only when this harness owns it. */
  adminDatabaseUrl: string | null;
  close(): Promise<void>;
}

const env = (name: string) => Deno.env.get(name) || undefined;

export async function startAuthTestStack(): Promise<AuthTestStack> {
  const url = env("SUPABASE_URL");
  if (url) return externalStack(url.replace(/\/+$/, ""));
  return await standaloneStack();
}

/** Polls until a mail to `to` arrives that was not in `seen`; returns the newest. */
export async function waitForMail(
  stack: AuthTestStack,
  to: string,
  seen: ReadonlySet<string> = new Set(),
  timeoutMs = 10_000,
): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const matching = (await stack.mails()).filter((mail) =>
      !seen.has(mail.id) && mail.to.some((address) => address.toLowerCase() === to.toLowerCase())
    );
    if (matching.length) return matching[matching.length - 1];
    await sleep(100);
  }
  throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
}

export async function mailIdsTo(stack: AuthTestStack, to: string): Promise<Set<string>> {
  const mails = await stack.mails();
  return new Set(mails.filter((mail) => mail.to.includes(to.toLowerCase())).map((mail) => mail.id));
}

function externalStack(url: string): AuthTestStack {
  const mailApi = env("MAIL_API_URL")?.replace(/\/+$/, "");
  if (!mailApi) throw new Error("SUPABASE_URL is set but MAIL_API_URL is not");
  return {
    url,
    anonKey: env("SUPABASE_ANON_KEY") ?? DEMO_ANON_KEY,
    serviceRoleKey: env("SUPABASE_SERVICE_ROLE_KEY") ?? DEMO_SERVICE_ROLE_KEY,
    jwtSecret: env("SUPABASE_JWT_SECRET") ?? env("JWT_SECRET") ?? DEMO_JWT_SECRET,
    fetch: globalThis.fetch,
    async mails() {
      const list = await (await fetch(`${mailApi}/api/v1/messages?limit=500`)).json() as {
        messages: { ID: string; Created: string }[];
      };
      const summaries = [...list.messages].sort((a, b) => a.Created.localeCompare(b.Created));
      return await Promise.all(summaries.map(async ({ ID }) => {
        const message = await (await fetch(`${mailApi}/api/v1/message/${ID}`)).json() as {
          ID: string;
          To: { Address: string }[];
          Subject: string;
          Text: string;
          HTML: string;
        };
        return {
          id: message.ID,
          to: message.To.map((recipient) => recipient.Address.toLowerCase()),
          subject: message.Subject,
          text: message.Text,
          html: message.HTML,
        };
      }));
    },
    refreshTokenReuseInterval: Number(env("AUTH_REFRESH_TOKEN_REUSE_INTERVAL") ?? 10),
    // Unknown unless told: 0 skips the checks that depend on it.
    smtpMaxFrequency: Number(env("AUTH_SMTP_MAX_FREQUENCY") ?? 0),
    // A superuser URL of the same database (the devstack test run sets it) enables the steps that need one.
    adminDatabaseUrl: env("SUPABASE_DB_URL") ?? null,
    close: () => Promise.resolve(),
  };
}

const repoRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
/** A base URL nobody listens on: requests to it are routed in-process by the harness's fetch. */
const FAKE_GATEWAY = "http://devstack-auth.test";

async function standaloneStack(): Promise<AuthTestStack> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const database = await startDatabase();
    cleanups.push(database.remove);
    const catcher = await startSmtpCatcher();
    cleanups.push(catcher.close);
    const refreshTokenReuseInterval = 2;
    const smtpMaxFrequency = 60;
    const auth = await startAuth({
      databaseUrl: database.authUrl,
      apiExternalUrl: FAKE_GATEWAY,
      siteUrl: "http://127.0.0.1:5173",
      uriAllowList: ["http://localhost:3000/**"],
      jwtSecret: DEMO_JWT_SECRET,
      jwtKeys: [DEMO_SIGNING_KEY],
      smtpHost: "127.0.0.1",
      smtpPort: catcher.port,
      smtpMaxFrequency,
      refreshTokenReuseInterval,
      port: pickPort(2),
    });
    cleanups.push(auth.close);
    const mappedFetch: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      const prefix = `${FAKE_GATEWAY}/auth/v1`;
      if (!request.url.startsWith(prefix)) return fetch(request);
      return fetch(new Request(auth.url + request.url.slice(prefix.length), request));
    };
    return {
      url: FAKE_GATEWAY,
      anonKey: DEMO_ANON_KEY,
      serviceRoleKey: DEMO_SERVICE_ROLE_KEY,
      jwtSecret: DEMO_JWT_SECRET,
      fetch: mappedFetch,
      mails: () => Promise.resolve([...catcher.mails]),
      refreshTokenReuseInterval,
      smtpMaxFrequency,
      adminDatabaseUrl: database.adminUrl,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function run(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const output = await new Deno.Command(command, { args, env: extraEnv, stdout: "piped", stderr: "piped" })
    .output();
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr);
    throw new Error(`${command} ${args.join(" ")} failed:\n${stderr}`);
  }
}

/**
 * AUTH_TEST_PORT_BASE=N pins the ports (Postgres N, SMTP N+1, Auth N+2) for machines where port
 * ranges are shared out; otherwise the OS picks free ones.
 */
function pickPort(offset: number): number {
  const base = env("AUTH_TEST_PORT_BASE");
  return base ? Number(base) + offset : freePort();
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A private cluster with Supabase's bootstrap and this project's migrations, removed on close. */
async function startDatabase() {
  const existing = env("AUTH_TEST_DATABASE_URL");
  if (existing) {
    const authUrl = new URL(existing);
    authUrl.username = "supabase_auth_admin";
    return { adminUrl: existing, authUrl: authUrl.toString(), remove: () => {} };
  }
  const dir = await Deno.makeTempDir({ prefix: "auth-contract-pg-" });
  await Deno.chmod(dir, 0o755); // the cluster runs as the postgres user
  const port = pickPort(0);
  const cluster = `${repoRoot}/devstack/postgres/cluster.sh`;
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const remove = () =>
    run(cluster, ["remove", `${dir}/pg`]).then(() => Deno.remove(dir, { recursive: true }));
  try {
    await run(cluster, ["create", `${dir}/pg`, String(port)]);
    await run(cluster, ["start", `${dir}/pg`]);
    await run(cluster, ["bootstrap", adminUrl]);
    await run(`${repoRoot}/tools/node_modules/.bin/supabase`, [
      "migration",
      "up",
      "--workdir",
      repoRoot,
      "--db-url",
      `${adminUrl}?sslmode=disable`,
    ], {
      HOME: dir,
      SUPABASE_TELEMETRY_DISABLED: "1",
      DO_NOT_TRACK: "1",
      PATH: `/usr/lib/postgresql/15/bin:${Deno.env.get("PATH") ?? ""}`,
    });
  } catch (err) {
    await remove().catch(() => {});
    throw err;
  }
  return { adminUrl, authUrl: `postgresql://supabase_auth_admin@127.0.0.1:${port}/postgres`, remove };
}

async function startSmtpCatcher() {
  const mails: CaughtMail[] = [];
  let counter = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        mails.push({
          id: String(++counter),
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          html: typeof parsed.html === "string" ? parsed.html : "",
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(pickPort(1), "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return {
    mails,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs SQL as superuser on a database this harness owns. */
export async function withAdminSql<T>(
  stack: AuthTestStack,
  work: (sql: postgres.Sql) => Promise<T>,
): Promise<T> {
  if (!stack.adminDatabaseUrl) throw new Error("no admin database access on an external stack");
  const sql = postgres(stack.adminDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}
