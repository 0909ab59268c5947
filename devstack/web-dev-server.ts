/**
 * The SPA's Vite dev server for the start command, pointed at the devstack. Vite is run directly
 * (not through npm) so that stopping it stops the one process that serves.
 */
import { sleep } from "../supabase/functions/_shared/sleep.ts";
import type { RunningService } from "./service.ts";

const WEB_DIR = new URL("../web/", import.meta.url).pathname;

export async function startWebDevServer(options: {
  port: number;
  /** Where it listens (default 127.0.0.1; the start command's --lan gives the local network address). */
  hostname?: string;
  supabaseUrl: string;
  anonKey: string;
  bootTimeoutMs?: number;
}): Promise<RunningService> {
  const hostname = options.hostname ?? "127.0.0.1";
  const url = `http://${hostname}:${options.port}`;
  const child = new Deno.Command("node", {
    args: [
      `${WEB_DIR}node_modules/vite/bin/vite.js`,
      "--host",
      hostname,
      "--port",
      String(options.port),
      "--strictPort",
    ],
    cwd: WEB_DIR,
    // Variables set here win over the repository's .env, so the SPA always talks to this stack.
    env: { VITE_SUPABASE_URL: options.supabaseUrl, VITE_SUPABASE_ANON_KEY: options.anonKey },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();

  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await child.status;
  };

  const deadline = Date.now() + (options.bootTimeoutMs ?? 60_000);
  while (true) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      return { url, close };
    } catch {
      if (Date.now() > deadline) {
        await close();
        throw new Error(`the web app's dev server did not answer on ${url}`);
      }
      await sleep(200);
    }
  }
}
