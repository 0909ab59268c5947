/**
 * A log per service in the start command's data folder (`.devstack/logs/<service>.log`), as
 * `supabase functions serve` shows a function's logs: every request through the gateway goes to
 * its service's log (auth, rest, or the function's name), and every line a service prints goes to
 * the log its prefix names ("[reminders] …" → reminders.log).
 *
 *   scripts/deno task logs [SERVICE] [--dir .devstack]
 *
 * follows them: the last lines of each, then new lines as they come, prefixed with the service.
 */
import { sleep } from "../supabase/functions/_shared/sleep.ts";
import { format, parseArgs } from "node:util";

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export class ServiceLogs {
  constructor(readonly dir: string) {
    Deno.mkdirSync(dir, { recursive: true });
  }

  write(service: string, line: string): void {
    const name = SERVICE_NAME.test(service) ? service : "devstack";
    try {
      Deno.writeTextFileSync(`${this.dir}/${name}.log`, `${new Date().toISOString()} ${line}\n`, {
        append: true,
      });
    } catch {
      // the data folder is gone (e.g. --reset elsewhere); the terminal still has the line
    }
  }
}

/** The service a printed line belongs to, from its prefix; the rest is the start command's own. */
export function serviceOfLine(line: string): string {
  const prefixed = /^\[([A-Za-z0-9_-]+)\]/.exec(line);
  if (prefixed) return prefixed[1] === "pg_net" ? "pg_net" : prefixed[1];
  const named = /^devstack (rest|auth)\b/.exec(line);
  return named ? named[1] : "devstack";
}

/** The service a request through the gateway is for: auth, rest or the function's name. */
export function serviceOfPath(path: string): string {
  if (path.startsWith("/auth/v1")) return "auth";
  if (path.startsWith("/rest/v1")) return "rest";
  const fn = /^\/functions\/v1\/([A-Za-z0-9_-]+)/.exec(path);
  return fn ? fn[1] : "gateway";
}

/** Copies what the process prints into the services' logs (it is still printed). */
export function teeConsole(logs: ServiceLogs): void {
  for (const method of ["log", "info", "warn", "error"] as const) {
    const print = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      print(...args);
      for (const line of format(...args).split("\n")) {
        if (line.trim() !== "") logs.write(serviceOfLine(line), line);
      }
    };
  }
}

/** Prints the last lines of the logs (all, or one service's), then follows them until killed. */
export async function followLogs(dir: string, service: string | undefined, lastLines = 20): Promise<void> {
  const offsets = new Map<string, number>();
  const decoder = new TextDecoder();
  const files = () => {
    try {
      return [...Deno.readDirSync(dir)]
        .filter((entry) => entry.isFile && entry.name.endsWith(".log"))
        .map((entry) => entry.name.slice(0, -4))
        .filter((name) => service === undefined || name === service)
        .sort();
    } catch {
      return [];
    }
  };
  const read = (name: string, first: boolean) => {
    let bytes: Uint8Array;
    try {
      bytes = Deno.readFileSync(`${dir}/${name}.log`);
    } catch {
      return;
    }
    const from = offsets.get(name) ?? 0;
    const start = from > bytes.length ? 0 : from; // truncated or replaced: from the top
    const end = bytes.lastIndexOf(10) + 1; // complete lines only
    if (end <= start) return;
    offsets.set(name, end);
    let lines = decoder.decode(bytes.subarray(start, end)).split("\n").filter((line) => line !== "");
    if (first) lines = lines.slice(-lastLines);
    for (const line of lines) console.log(`${name} | ${line}`);
  };
  const names = files();
  if (names.length === 0) {
    console.error(
      service === undefined
        ? `logs: no logs in ${dir} yet (start the devstack first: bash scripts/start.sh)`
        : `logs: no log for "${service}" in ${dir} yet; waiting for one`,
    );
  }
  for (const name of names) read(name, true);
  while (true) {
    await sleep(250);
    for (const name of files()) read(name, false);
  }
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { dir: { type: "string", default: `${root}/.devstack` }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help || positionals.length > 1) {
    console.log(
      "usage: scripts/deno task logs [SERVICE] [--dir DIR]   (e.g. auth, rest, reminders, telegram-webhook)",
    );
    Deno.exit(values.help ? 0 : 2);
  }
  await followLogs(`${values.dir}/logs`, positionals[0]);
}
