import { FunctionProcess } from "../../devstack/functions/process.ts";
import { startFunctions } from "../../devstack/functions/server.ts";
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from "../../devstack/keys.ts";
import type { RunningService } from "../../devstack/service.ts";
import { testDatabaseUrl } from "./database.ts";

export const TEST_BOT_TOKEN = "123456:TEST-token-for-the-fake-bot-api";
export const TEST_WEBHOOK_SECRET = "test-webhook-secret-0123456789";
export const TEST_REMINDERS_SECRET = "test-reminders-secret-0123456789";
export const TEST_SITE_URL = "http://127.0.0.1:5173";

/**
 * The project's edge functions served by the devstack's functions host, configured to reach the
 * fake Bot API at `telegramApiRoot` and the test database. Function output is kept quiet unless
 * TEST_FUNCTION_LOGS is set.
 */
export function startFunctionsForTests(
  telegramApiRoot: string,
  env: Record<string, string> = {},
  log?: (name: string, line: string) => void,
): Promise<RunningService> {
  const showLogs = Deno.env.get("TEST_FUNCTION_LOGS") !== undefined;
  return startFunctions({
    jwtSecret: DEMO_JWT_SECRET,
    supabaseUrl: "http://127.0.0.1:54321",
    anonKey: DEMO_ANON_KEY,
    serviceRoleKey: DEMO_SERVICE_ROLE_KEY,
    dbUrl: testDatabaseUrl(),
    env: {
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: telegramApiRoot,
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      TELEGRAM_BOT_USERNAME: "habits_test_bot",
      SITE_URL: TEST_SITE_URL,
      REMINDERS_SECRET: TEST_REMINDERS_SECRET,
      ...env,
    },
    log: log ?? (showLogs ? undefined : () => {}),
  });
}

/**
 * One function in its own process, outside any host, so that a test can point it at another
 * database URL or stop it in the middle of a request (stop() ends it with SIGTERM, then SIGKILL).
 */
export function spawnFunctionProcess(
  name: string,
  telegramApiRoot: string,
  env: Record<string, string> = {},
  log?: (line: string, stream: "stdout" | "stderr") => void,
): FunctionProcess {
  const root = new URL("../../", import.meta.url).pathname;
  return new FunctionProcess(name, `${root}supabase/functions/${name}/index.ts`, {
    deno: Deno.execPath(),
    cwd: root,
    config: `${root}supabase/functions/${name}/deno.json`,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "/root",
      SUPABASE_DB_URL: env.SUPABASE_DB_URL ?? testDatabaseUrl(),
      SUPABASE_SERVICE_ROLE_KEY: DEMO_SERVICE_ROLE_KEY,
      TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
      TELEGRAM_API_ROOT: telegramApiRoot,
      TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      TELEGRAM_BOT_USERNAME: "habits_test_bot",
      SITE_URL: TEST_SITE_URL,
      REMINDERS_SECRET: TEST_REMINDERS_SECRET,
      ...env,
    },
    bootTimeoutMs: 60_000,
    log: log ?? (() => {}),
  });
}
