/**
 * `supabase start` for machines without Docker:
 *
 *   bash scripts/start.sh [--reset] [--seed] [--dir DIR] [--api-port N] [--db-port N]
 *                         [--mail-port N] [--smtp-port N] [--web-port N] [--telegram-port N]
 *                         [--env-file FILE] [--help]
 *
 * Ensures a persistent Postgres cluster under .devstack/ (created and bootstrapped on first run)
 * on port 54322, applies pending migrations with the Supabase CLI, runs supabase/seed.sql on a
 * fresh database (or with --seed), starts the devstack on the standard ports and prints what
 * `supabase status` prints, and serves the web app (Vite dev server on 5173). Without a real bot
 * token in .env, a local Telegram stand-in with its chat page runs on 54326 and the functions use
 * it. Ctrl-C (or SIGTERM) stops everything, including the cluster, within 10 s; a second Ctrl-C
 * stops at once. DIR/start.json records this run, so that a start after a crash can clean up.
 *   --reset  deletes the cluster first (all local data), then starts from scratch.
 *   --seed   runs supabase/seed.sql even though the database already exists.
 *   --dir    where the cluster and the CLI state live (default .devstack); --db-port applies
 *            when the cluster is created there.
 *   --env-file  the functions' secrets (default .env; a missing file means none). A real
 *            TELEGRAM_BOT_TOKEN there replaces the Telegram stand-in.
 */
import { parseArgs } from "node:util";
import { commandLine, descendants, isAlive, listenerOf, portInUse, signal } from "./processes.ts";
import type { RunningService } from "./service.ts";
import { startStack } from "./stack.ts";
import { startWebDevServer } from "./web-dev-server.ts";
import { loopSteps, psqlCommand } from "./status.ts";
import { ServiceLogs, serviceOfPath, teeConsole } from "./logs.ts";
import { lanAddress } from "./network.ts";
import { sleep } from "../supabase/functions/_shared/sleep.ts";

const USAGE = "usage: bash scripts/start.sh [--reset] [--seed] [--dir DIR] [--api-port N] [--db-port N] " +
  "[--mail-port N] [--smtp-port N] [--web-port N] [--telegram-port N] [--env-file FILE] [--lan] [--help]";
const HELP = `${USAGE}

Runs the whole service locally (Supabase without Docker), until Ctrl-C.

  --reset          delete the local database (all local data) first, then start from scratch
  --seed           run supabase/seed.sql even though the database already exists
  --dir DIR        where the database and the state live (default .devstack)
  --api-port N     the API gateway (default 54321)
  --db-port N      Postgres (default 54322; applies when the database is created)
  --mail-port N    the mail catcher's web page (default 54324)
  --smtp-port N    the mail catcher's SMTP (default 54325)
  --web-port N     the web app (default 5173)
  --telegram-port N  the local Telegram chat page and Bot API (default 54326)
  --env-file FILE  the functions' secrets (default .env; a missing file means none)
  --lan            serve on this machine's local network address instead of 127.0.0.1 (to try it
                   from a phone): the web app, e-mail links and the chat page use that address.
                   Anyone on that network can then reach the API with the development keys, the
                   mail catcher and the chat page; use it only on a network you trust
  --help           show this help`;
const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

function parseOptions() {
  try {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        reset: { type: "boolean", default: false },
        seed: { type: "boolean", default: false },
        dir: { type: "string", default: `${ROOT}/.devstack` },
        "api-port": { type: "string", default: "54321" },
        "db-port": { type: "string", default: "54322" },
        "mail-port": { type: "string", default: "54324" },
        "smtp-port": { type: "string", default: "54325" },
        "web-port": { type: "string", default: "5173" },
        "telegram-port": { type: "string", default: "54326" },
        "env-file": { type: "string", default: `${ROOT}/.env` },
        help: { type: "boolean", short: "h", default: false },
        lan: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(HELP);
      Deno.exit(0);
    }
    const port = (name: keyof typeof values) => {
      const value = Number(values[name]);
      if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`--${name}: not a port`);
      return value;
    };
    let host = "127.0.0.1";
    if (values.lan) {
      const found = lanAddress(Deno.networkInterfaces());
      if (!found) throw new Error("--lan: this machine has no address on a local network");
      host = found;
    }
    return {
      host,
      reset: values.reset,
      seed: values.seed,
      dir: values.dir.startsWith("/") ? values.dir : `${Deno.cwd()}/${values.dir}`,
      envFile: values["env-file"].startsWith("/")
        ? values["env-file"]
        : `${Deno.cwd()}/${values["env-file"]}`,
      ports: {
        gateway: port("api-port"),
        db: port("db-port"),
        mail: port("mail-port"),
        smtp: port("smtp-port"),
        web: port("web-port"),
        telegram: port("telegram-port"),
      },
    };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    Deno.exit(2);
  }
}

const OPTIONS = parseOptions();
const STATE_DIR = OPTIONS.dir;
const CLUSTER_DIR = `${STATE_DIR}/db`;
const CLI_HOME = `${STATE_DIR}/cli-home`;
const CLUSTER_SH = `${ROOT}/devstack/postgres/cluster.sh`;
const STATE_FILE = `${STATE_DIR}/start.json`;
/** The local Telegram's people, chats and messages (devstack/telegram/persistence.ts). */
const TELEGRAM_STATE_FILE = `${STATE_DIR}/telegram.json`;
/** A log per service (devstack/logs.ts). */
const LOG_DIR = `${STATE_DIR}/logs`;
/** Graceful stopping may take this long before what is left is killed. */
const STOP_DEADLINE_MS = 7_000;
const PORTS = OPTIONS.ports;
const DB_URL = `postgresql://postgres@127.0.0.1:${PORTS.db}/postgres`;
/** What `supabase status` prints; the password is ignored (the cluster trusts local connections). */
const DISPLAY_DB_URL = `postgresql://postgres:postgres@127.0.0.1:${PORTS.db}/postgres`;

const env = {
  PATH: `${ROOT}/tools/node_modules/.bin:/usr/lib/postgresql/15/bin:${Deno.env.get("PATH") ?? ""}`,
  SUPABASE_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};

function step(message: string) {
  console.log(`devstack: ${message}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command with output shown; throws when it fails. */
async function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<void> {
  const status = await new Deno.Command(command, {
    args,
    cwd: ROOT,
    env: { ...env, ...extraEnv },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!status.success) throw new Error(`${command} ${args.join(" ")} failed (exit code ${status.code})`);
}

/** One SQL statement's first column of the first row (psql -tA), or "" for no rows. */
async function query(sql: string): Promise<string> {
  const result = await new Deno.Command("psql", {
    args: [DB_URL, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) throw new Error(`psql: ${new TextDecoder().decode(result.stderr).trim()}`);
  return new TextDecoder().decode(result.stdout).trim();
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Creates or updates Vault secrets (the devstack's Vault stores them as given). */
async function setVaultSecrets(secrets: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(secrets)) {
    await query(
      `update vault.secrets set secret = ${literal(value)}, updated_at = now() where name = ${
        literal(name)
      }; ` +
        `select vault.create_secret(${literal(value)}, ${literal(name)}) ` +
        `where not exists (select from vault.secrets where name = ${literal(name)})`,
    );
  }
}

interface StartState {
  pid: number;
  startedAt: string;
  /** Whether this run started the cluster (then a start after a crash stops it again on exit). */
  clusterStartedHere: boolean;
  /** The processes this run had started (functions, web dev server), refreshed every few seconds. */
  children: { pid: number; command: string }[];
}

function writeState(state: StartState): void {
  try {
    Deno.writeTextFileSync(STATE_FILE, JSON.stringify(state, null, 2));
  } catch {
    // the state directory is gone (e.g. --reset elsewhere); nothing to record
  }
}

function readState(): StartState | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(STATE_FILE));
  } catch {
    return undefined;
  }
}

/**
 * Another start command on this directory must not be running; one that crashed leaves its
 * state file, its child processes and its database behind: stop the children, adopt the database.
 */
async function recoverFromCrash(): Promise<{ adoptCluster: boolean }> {
  const state = readState();
  if (!state || state.pid === Deno.pid) return { adoptCluster: false };
  if (isAlive(state.pid) && commandLine(state.pid).includes("devstack/start.ts")) {
    throw new Error(
      `the devstack in ${STATE_DIR} is already running (pid ${state.pid}). ` +
        `Stop it with Ctrl-C in its terminal, or run: kill ${state.pid}`,
    );
  }
  step(`the previous start (pid ${state.pid}) did not stop cleanly; cleaning up after it`);
  const leftovers = state.children.filter((child) =>
    isAlive(child.pid) && commandLine(child.pid) === child.command
  );
  for (const child of leftovers) {
    step(`stopping leftover process ${child.pid}: ${child.command.slice(0, 100)}`);
    signal(child.pid, "SIGTERM");
  }
  const deadline = Date.now() + 3000;
  while (leftovers.some((c) => isAlive(c.pid)) && Date.now() < deadline) await sleep(100);
  for (const child of leftovers) if (isAlive(child.pid)) signal(child.pid, "SIGKILL");
  return { adoptCluster: state.clusterStartedHere };
}

/** Every port this run will listen on must be free; says who holds one that is not. */
function checkPorts(): void {
  const wanted: [string, number][] = [
    ["--api-port", PORTS.gateway],
    ["--mail-port", PORTS.mail],
    ["--smtp-port", PORTS.smtp],
    ["--web-port", PORTS.web],
    ["--telegram-port", PORTS.telegram],
  ];
  const problems = wanted.filter(([, port]) => portInUse(port)).map(([flag, port]) => {
    const owner = listenerOf(port);
    const who = owner && owner.pid > 0
      ? `pid ${owner.pid} (${owner.command.slice(0, 80)})`
      : "another process";
    const stop = owner && owner.pid > 0 ? `stop it (kill ${owner.pid}) or ` : "";
    return `port ${port} is in use by ${who}: ${stop}start with ${flag} <another port>`;
  });
  if (problems.length > 0) throw new Error(problems.join("\n  "));
}

async function databaseAnswers(): Promise<boolean> {
  const result = await new Deno.Command("pg_isready", {
    args: ["-q", "-h", "127.0.0.1", "-p", String(PORTS.db)],
    env,
    stdout: "null",
    stderr: "null",
  }).output().catch(() => ({ success: false }));
  return result.success;
}

/** Creates, bootstraps and starts the cluster as needed. Returns whether this run started it and whether it is new. */
async function ensureCluster(
  reset: boolean,
  adopt: boolean,
): Promise<{ startedHere: boolean; fresh: boolean }> {
  const marker = `${STATE_DIR}/bootstrapped`;
  if (reset && await exists(CLUSTER_DIR)) {
    step("--reset: deleting the local database and the local Telegram's chats");
    await run("bash", [CLUSTER_SH, "remove", CLUSTER_DIR]);
    await Deno.remove(marker).catch(() => {});
  }
  if (reset) await Deno.remove(TELEGRAM_STATE_FILE).catch(() => {});
  await Deno.mkdir(STATE_DIR, { recursive: true, mode: 0o755 });
  await Deno.chmod(STATE_DIR, 0o755); // the postgres user must reach the data directory
  await Deno.writeTextFile(`${STATE_DIR}/.gitignore`, "*\n");

  let fresh = false;
  if (!(await exists(marker))) {
    if (await exists(CLUSTER_DIR)) await run("bash", [CLUSTER_SH, "remove", CLUSTER_DIR]);
    step(`creating a Postgres 15 cluster in ${CLUSTER_DIR} (port ${PORTS.db})`);
    await run("bash", [CLUSTER_SH, "create", CLUSTER_DIR, String(PORTS.db)]);
    fresh = true;
  }

  let startedHere = false;
  if (await databaseAnswers()) {
    if (fresh) throw new Error(`port ${PORTS.db} is already taken by another database`);
    if (adopt) {
      step(`the database on port ${PORTS.db} was left running by that start; using it (it stops on exit)`);
      startedHere = true;
    } else {
      step(`the database on port ${PORTS.db} is already running; using it (it stays running on exit)`);
    }
  } else {
    step("starting the database");
    await run("bash", [CLUSTER_SH, "start", CLUSTER_DIR]);
    startedHere = true;
  }
  if (fresh) {
    step("loading the Supabase platform objects (roles, auth schema, extensions)");
    await run("bash", [CLUSTER_SH, "bootstrap", DB_URL]);
    await Deno.writeTextFile(marker, new Date().toISOString());
  }
  return { startedHere, fresh };
}

async function applyMigrations(): Promise<void> {
  step("applying migrations (supabase migration up)");
  await Deno.mkdir(CLI_HOME, { recursive: true });
  await run("supabase", ["migration", "up", "--db-url", `${DB_URL}?sslmode=disable`], { HOME: CLI_HOME });
}

async function seed(): Promise<void> {
  const seedFile = `${ROOT}/supabase/seed.sql`;
  if (!(await exists(seedFile))) return;
  step("running supabase/seed.sql");
  await run("psql", [DB_URL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-o", "/dev/null", "-f", seedFile]);
}

function printStatus(stack: Awaited<ReturnType<typeof startStack>>, web: RunningService | undefined) {
  const rows: [string, string][] = [
    ["API URL", stack.urls.api],
    ["REST URL", `${stack.urls.api}/rest/v1`],
    ["Functions URL", `${stack.urls.api}/functions/v1`],
    ["GraphQL URL", "(not available on the devstack)"],
    ["DB URL", DISPLAY_DB_URL],
    ["Studio URL", "(not available on the devstack)"],
    ["Mailpit URL", stack.urls.mail],
    ["SMTP", stack.urls.smtp],
    [
      "Telegram chat",
      stack.telegram
        ? `${stack.telegram.url} (local bot @${stack.bot.username}; Bot API at the same URL)`
        : `a real bot from .env (@${stack.bot.username || "TELEGRAM_BOT_USERNAME not set"})`,
    ],
    ["Web app", web?.url ?? "(not started)"],
    ["JWT secret", stack.keys.jwtSecret],
    ["anon key", stack.keys.anon],
    ["service_role key", stack.keys.serviceRole],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log("\nStarted the devstack (Supabase without Docker).\n");
  for (const [label, value] of rows) console.log(`${label.padStart(width)}: ${value}`);
  console.log(`\nThe database shell: ${psqlCommand(DB_URL)} (or: scripts/deno task psql)`);
  console.log(
    `Logs, one per service: ${LOG_DIR}/<service>.log (auth, rest, reminders, telegram-webhook, …); ` +
      "follow them with: scripts/deno task logs [service]",
  );
  console.log("\nThe whole loop:\n");
  for (const line of loopSteps({ web: web?.url ?? "", mail: stack.urls.mail, chat: stack.telegram?.url })) {
    console.log(line);
  }
  if (OPTIONS.host !== "127.0.0.1") {
    console.log(
      `\nServing on the local network (${OPTIONS.host}): anyone on it can reach the web app, the API with ` +
        "the development keys above (service_role included), the mail catcher and the chat page.",
    );
  }
  console.log("\nPress Ctrl-C to stop.");
}

async function main() {
  let cluster: { startedHere: boolean; fresh: boolean } | undefined;
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  let web: RunningService | undefined;
  let stopping: Promise<void> | undefined;
  let recorder: ReturnType<typeof setInterval> | undefined;
  let forced = false;
  /** Whether the checks that refuse a start (already running, busy ports) have passed. */
  let checked = false;
  let onRequest: ((request: Request, status: number, ms: number) => void) | undefined;
  const stopCluster = async () => {
    if (!cluster?.startedHere) return;
    await run("bash", [CLUSTER_SH, "stop", CLUSTER_DIR]).catch((error) => {
      if (!forced) console.error(`devstack: stopping the database: ${error.message}`);
    });
  };
  const record = () =>
    writeState({
      pid: Deno.pid,
      startedAt: new Date().toISOString(),
      clusterStartedHere: cluster?.startedHere ?? false,
      children: descendants(Deno.pid).map((pid) => ({ pid, command: commandLine(pid) })),
    });
  const finish = (code: number) => {
    clearInterval(recorder);
    if (readState()?.pid === Deno.pid) Deno.removeSync(STATE_FILE);
    Deno.exit(code);
  };
  /** Kills whatever is left (functions, web server), stops the database at once, exits. */
  const force = async (code: number) => {
    if (forced) return;
    forced = true;
    for (const pid of descendants(Deno.pid).reverse()) signal(pid, "SIGKILL");
    await stopCluster();
    step("stopped");
    finish(code);
  };
  const shutdown = (code: number) => {
    stopping ??= (async () => {
      step("stopping (press Ctrl-C again to stop at once)");
      const deadline = setTimeout(() => {
        step(`still stopping after ${STOP_DEADLINE_MS / 1000} s; killing what is left`);
        void force(code || 1);
      }, STOP_DEADLINE_MS);
      // Once a forced stop has begun, it finishes (and exits); this path only steps aside.
      await web?.close().catch(() => {});
      if (forced) return;
      await stack?.stop().catch(() => {});
      if (forced) return;
      for (const pid of descendants(Deno.pid)) signal(pid, "SIGTERM");
      await stopCluster();
      clearTimeout(deadline);
      if (forced) return;
      step("stopped");
      finish(code);
    })();
    return stopping;
  };
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(name, () => {
      if (stopping) {
        step("stopping at once");
        void force(130);
      } else {
        void shutdown(0);
      }
    });
  }

  try {
    const { adoptCluster } = await recoverFromCrash();
    checkPorts();
    checked = true;
    // This run's logs, one per service: what it prints, and every request through the gateway.
    await Deno.remove(LOG_DIR, { recursive: true }).catch(() => {});
    const logs = new ServiceLogs(LOG_DIR);
    teeConsole(logs);
    onRequest = (request, status, ms) => {
      const url = new URL(request.url);
      logs.write(
        serviceOfPath(url.pathname),
        `${request.method} ${url.pathname} ${status} ${Math.round(ms)} ms`,
      );
    };
    cluster = await ensureCluster(OPTIONS.reset, adoptCluster);
    record();
    recorder = setInterval(record, 3000);
    await applyMigrations();
    if (cluster.fresh || OPTIONS.seed) await seed();
    const envFile = (await exists(OPTIONS.envFile)) ? OPTIONS.envFile : undefined;
    // The reminders function must present the secret pg_cron sends (Vault, set by seed.sql),
    // unless .env sets its own.
    const functionsEnv: Record<string, string> = {};
    if (!envFile || !(await Deno.readTextFile(envFile)).match(/^\s*REMINDERS_SECRET\s*=\s*\S/m)) {
      const secret = await query(
        "select decrypted_secret from vault.decrypted_secrets where name = 'reminders_secret'",
      );
      if (secret) functionsEnv.REMINDERS_SECRET = secret;
    }
    stack = await startStack({
      databaseUrl: DB_URL,
      projectRoot: ROOT,
      ports: {
        gateway: PORTS.gateway,
        mail: PORTS.mail,
        smtp: PORTS.smtp,
        telegram: PORTS.telegram,
        auth: 0,
        rest: 0,
        functions: 0,
      },
      functionsEnvFile: envFile,
      functionsEnv,
      // config.toml's site URL is the web app on 127.0.0.1:5173; follow --web-port and --lan.
      ...(PORTS.web === 5173 && OPTIONS.host === "127.0.0.1" ? {} : {
        siteUrl: `http://${OPTIONS.host}:${PORTS.web}`,
        uriAllowList: [`http://${OPTIONS.host}:${PORTS.web}/**`, `http://localhost:${PORTS.web}/**`],
      }),
      hostname: OPTIONS.host,
      watchFunctions: true,
      webPort: PORTS.web,
      telegramStateFile: TELEGRAM_STATE_FILE,
      onRequest,
    });
    // The tick reaches the functions through this gateway; deep links open this bot (the chat
    // page locally, t.me for a real bot).
    await setVaultSecrets({
      project_url: stack.urls.api,
      ...(stack.bot.username ? { telegram_bot_username: stack.bot.username } : {}),
      telegram_deep_link_base: stack.bot.deepLinkBase,
    });
    web = await startWebDevServer({
      port: PORTS.web,
      hostname: OPTIONS.host,
      supabaseUrl: stack.urls.api,
      anonKey: stack.keys.anon,
    });
    record();
    printStatus(stack, web);
  } catch (error) {
    console.error(`devstack: ${error instanceof Error ? error.message : error}`);
    // A refusal (already running, a busy port) started nothing: there is nothing to stop.
    if (!checked) finish(1);
    await shutdown(1);
  }
}

await main();
