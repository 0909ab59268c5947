/**
 * `supabase start` for machines without Docker:
 *
 *   deno run -A devstack/start.ts [--reset] [--seed] [--dir DIR] [--api-port N] [--db-port N]
 *                                 [--mail-port N] [--smtp-port N] [--web-port N]
 *
 * Ensures a persistent Postgres cluster under .devstack/ (created and bootstrapped on first run)
 * on port 54322, applies pending migrations with the Supabase CLI, runs supabase/seed.sql on a
 * fresh database (or with --seed), starts the devstack on the standard ports and prints what
 * `supabase status` prints, and serves the web app (Vite dev server on 5173). Ctrl-C (or SIGTERM) stops everything, including the cluster.
 *   --reset  deletes the cluster first (all local data), then starts from scratch.
 *   --seed   runs supabase/seed.sql even though the database already exists.
 *   --dir    where the cluster and the CLI state live (default .devstack); --db-port applies
 *            when the cluster is created there.
 */
import { parseArgs } from "node:util";
import type { RunningService } from "./service.ts";
import { startStack } from "./stack.ts";
import { startWebDevServer } from "./web-dev-server.ts";

const USAGE =
  "usage: deno run -A devstack/start.ts [--reset] [--seed] [--dir DIR] [--api-port N] [--db-port N] " +
  "[--mail-port N] [--smtp-port N] [--web-port N]";
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
      },
      strict: true,
      allowPositionals: false,
    });
    const port = (name: keyof typeof values) => {
      const value = Number(values[name]);
      if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`--${name}: not a port`);
      return value;
    };
    return {
      reset: values.reset,
      seed: values.seed,
      dir: values.dir.startsWith("/") ? values.dir : `${Deno.cwd()}/${values.dir}`,
      ports: {
        gateway: port("api-port"),
        db: port("db-port"),
        mail: port("mail-port"),
        smtp: port("smtp-port"),
        web: port("web-port"),
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
async function ensureCluster(reset: boolean): Promise<{ startedHere: boolean; fresh: boolean }> {
  const marker = `${STATE_DIR}/bootstrapped`;
  if (reset && await exists(CLUSTER_DIR)) {
    step("--reset: deleting the local database");
    await run("bash", [CLUSTER_SH, "remove", CLUSTER_DIR]);
    await Deno.remove(marker).catch(() => {});
  }
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
    step(`the database on port ${PORTS.db} is already running; using it (it stays running on exit)`);
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

/**
 * supabase/seed.sql stores the URL under which `supabase start`'s database reaches the functions
 * (Vault `project_url`); on the devstack the database reaches them through this gateway instead.
 */
async function pointFunctionsUrlAtGateway(gatewayUrl: string): Promise<void> {
  const literal = `'${gatewayUrl.replaceAll("'", "''")}'`;
  await run("psql", [
    DB_URL,
    "-X",
    "-q",
    "-v",
    "ON_ERROR_STOP=1",
    "-c",
    `update vault.secrets set secret = ${literal}, updated_at = now() where name = 'project_url'`,
  ]);
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
    ["Web app", web?.url ?? "(not started)"],
    ["JWT secret", stack.keys.jwtSecret],
    ["anon key", stack.keys.anon],
    ["service_role key", stack.keys.serviceRole],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log("\nStarted the devstack (Supabase without Docker).\n");
  for (const [label, value] of rows) console.log(`${label.padStart(width)}: ${value}`);
  console.log("\nPress Ctrl-C to stop.");
}

async function main() {
  let cluster: { startedHere: boolean; fresh: boolean } | undefined;
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  let web: RunningService | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (code: number) => {
    stopping ??= (async () => {
      step("stopping");
      await web?.close();
      await stack?.stop();
      if (cluster?.startedHere) await run("bash", [CLUSTER_SH, "stop", CLUSTER_DIR]).catch(console.error);
      step("stopped");
      Deno.exit(code);
    })();
    return stopping;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => shutdown(0));

  try {
    cluster = await ensureCluster(OPTIONS.reset);
    await applyMigrations();
    if (cluster.fresh || OPTIONS.seed) await seed();
    stack = await startStack({
      databaseUrl: DB_URL,
      projectRoot: ROOT,
      ports: { gateway: PORTS.gateway, mail: PORTS.mail, smtp: PORTS.smtp, auth: 0, rest: 0, functions: 0 },
      functionsEnvFile: (await exists(`${ROOT}/.env`)) ? `${ROOT}/.env` : undefined,
      watchFunctions: true,
      webPort: PORTS.web,
    });
    await pointFunctionsUrlAtGateway(stack.urls.api);
    web = await startWebDevServer({ port: PORTS.web, supabaseUrl: stack.urls.api, anonKey: stack.keys.anon });
    printStatus(stack, web);
  } catch (error) {
    console.error(`devstack: ${error instanceof Error ? error.message : error}`);
    await shutdown(1);
  }
}

await main();
