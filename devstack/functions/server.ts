import { type Context, Hono } from "hono";
import { z } from "zod";
import type { RunningService } from "../service.ts";
import { discoverFunctions, type FunctionDefinition } from "./config.ts";
import { readEnvFile } from "./envfile.ts";
import { jwtRejection } from "./jwt.ts";
import { FunctionProcess } from "./process.ts";

const PROJECT_ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

export const FunctionsOptions = z.object({
  hostname: z.string().default("127.0.0.1"),
  /** 0 (default) picks a free port; clients reach functions through the gateway. */
  port: z.number().int().min(0).max(65535).default(0),
  /** Project root: the function processes' working directory, where deno.json lives. */
  projectRoot: z.string().default(PROJECT_ROOT).transform(absolute),
  /** Folder of function folders; default <projectRoot>/supabase/functions. */
  functionsDir: z.string().transform(absolute).optional(),
  /** supabase/config.toml, for `[functions.<name>] verify_jwt / enabled / entrypoint`. */
  configPath: z.string().transform(absolute).optional(),
  jwtSecret: z.string().min(1),
  /** The variables Supabase injects into every function. */
  supabaseUrl: z.string().url(),
  anonKey: z.string().min(1),
  serviceRoleKey: z.string().min(1),
  dbUrl: z.string().min(1),
  /** A dotenv file of secrets (like `supabase functions serve --env-file`); SUPABASE_* keys are skipped. */
  envFile: z.string().transform(absolute).optional(),
  /** More variables for every function (win over the env file). */
  env: z.record(z.string(), z.string()).default({}),
  bootTimeoutMs: z.number().int().positive().default(60_000),
  /** Restart function processes when a file under functionsDir (or config.toml) changes. */
  watch: z.boolean().default(false),
  /** Where function output goes; default: the host's stdout/stderr, each line prefixed with the name. */
  log: z.custom<(name: string, line: string, stream: "stdout" | "stderr") => void>().optional(),
});
export type FunctionsOptions = z.input<typeof FunctionsOptions>;

/** Variables a function process needs to run at all (Deno's cache, temp dir, locale). */
const PASSED_THROUGH = [
  "PATH",
  "HOME",
  "DENO_DIR",
  "DENO_NO_UPDATE_CHECK",
  "TMPDIR",
  "LANG",
  "TZ",
  "NO_COLOR",
];

function defaultLog(name: string, line: string, stream: "stdout" | "stderr") {
  (stream === "stdout" ? console.log : console.error)(`[${name}] ${line}`);
}

/**
 * Starts the functions host (the edge runtime's role): serves every function folder at
 * /<name>[/*] (the gateway strips /functions/v1), checks verify_jwt, and runs each function in its
 * own Deno process.
 */
export async function startFunctions(options: FunctionsOptions): Promise<RunningService> {
  const config = FunctionsOptions.parse(options);
  const functionsDir = config.functionsDir ?? `${config.projectRoot}/supabase/functions`;
  const configPath = config.configPath ?? `${config.projectRoot}/supabase/config.toml`;
  const log = config.log ?? defaultLog;
  const secret = new TextEncoder().encode(config.jwtSecret);

  const secrets = config.envFile ? await readEnvFile(config.envFile) : {};
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(secrets)) {
    if (!name.startsWith("SUPABASE_")) env[name] = value;
  }
  Object.assign(env, config.env, {
    SUPABASE_URL: config.supabaseUrl,
    SUPABASE_ANON_KEY: config.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
    SUPABASE_DB_URL: config.dbUrl,
  });
  let definitions = await discoverFunctions(functionsDir, configPath);
  const processes = new Map<string, FunctionProcess>();
  const processFor = (definition: FunctionDefinition) => {
    let process = processes.get(definition.name);
    if (process?.entrypoint !== definition.entrypoint || process.importMap !== definition.importMap) {
      void process?.stop();
      process = new FunctionProcess(definition.name, definition.entrypoint, {
        deno: Deno.execPath(),
        cwd: config.projectRoot,
        config: definition.importMap,
        env,
        bootTimeoutMs: config.bootTimeoutMs,
        log: (line, stream) => log(definition.name, line, stream),
      });
      processes.set(definition.name, process);
    }
    return process;
  };

  const app = new Hono();
  app.get("/_internal/health", (c) => c.json({ message: "ok" }));
  const serveFunction = async (c: Context) => {
    const name = c.req.param("name")!;
    if (!definitions.has(name)) definitions = await discoverFunctions(functionsDir, configPath);
    const definition = definitions.get(name);
    if (!definition) return c.json({ code: "NOT_FOUND", message: "Requested function was not found" }, 404);
    if (definition.verifyJwt && c.req.method !== "OPTIONS") {
      const rejection = await jwtRejection(c.req.raw, secret);
      if (rejection) return c.json({ code: 401, message: rejection }, 401);
    }
    return processFor(definition).fetch(c.req.raw);
  };
  app.all("/:name", serveFunction);
  app.all("/:name/*", serveFunction);
  app.onError((error, c) => {
    console.error("[functions]", error);
    return c.json({
      code: "Internal Server Error",
      message: "Request failed due to an internal server error",
    }, 500);
  });

  const watcher = config.watch
    ? watchForChanges([functionsDir, configPath], async () => {
      definitions = await discoverFunctions(functionsDir, configPath);
      await Promise.all([...processes.values()].map((p) => p.restart()));
    })
    : undefined;

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve(
      { hostname: config.hostname, port: config.port, onListen: () => {} },
      (request) => app.fetch(request),
    );
  } catch (error) {
    await watcher?.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.hostname}:${server.addr.port}`,
    close() {
      closing ??= (async () => {
        await watcher?.close();
        await Promise.all([...processes.values()].map((p) => p.stop()));
        await server.shutdown();
      })();
      return closing;
    },
  };
}

/** Calls `onChange` (debounced) when something under `paths` changes. */
function watchForChanges(paths: string[], onChange: () => Promise<void>) {
  const existing = paths.filter((path) => {
    try {
      Deno.statSync(path);
      return true;
    } catch {
      return false;
    }
  });
  if (existing.length === 0) return undefined;
  const fsWatcher = Deno.watchFs(existing, { recursive: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = (async () => {
    for await (const _event of fsWatcher) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        onChange().catch((error) => console.error("[functions] reload failed:", error));
      }, 200);
    }
  })();
  return {
    async close() {
      clearTimeout(timer);
      fsWatcher.close();
      await loop;
    },
  };
}
