/**
 * How bench/run.sh starts every benchmark: `deno run --allow-all bench/lib/run-to-exit.ts
 * bench/NAME.ts`. Runs the script to its end (its report and its own cleanup included), then ends
 * the process with its outcome, whatever handles are still open:
 *
 * - 0 when the script finished;
 * - 1 when it threw: a failed check (Report.check in a smoke run, Report.finish in a full one) or
 *   any other error, printed here;
 * - the script's own code when it calls Deno.exit itself (bench/properties.ts passes on its
 *   test's code).
 *
 * Why: a service whose stop gives up ("still stopping after 10 s, left behind", devstack/stack.ts)
 * or a socket nobody closed keeps Deno's event loop, and the test command's smoke stage, waiting
 * long after the report was written; a CI run then hangs until its time limit.
 */
import { pathToFileURL } from "node:url";

export async function runToExit(script: string | URL): Promise<never> {
  const url = script instanceof URL ? script : pathToFileURL(script);
  try {
    await import(url.href);
  } catch (error) {
    console.error(`${url.pathname.split("/").at(-1)} failed:`, error);
    Deno.exit(1);
  }
  Deno.exit(0);
}

if (import.meta.main) {
  if (Deno.args.length !== 1) {
    console.error("usage: deno run --allow-all bench/lib/run-to-exit.ts bench/NAME.ts");
    Deno.exit(2);
  }
  await runToExit(Deno.args[0]);
}
