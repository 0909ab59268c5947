/**
 * bench/lib/run-to-exit.ts, through which bench/run.sh starts every benchmark: once the script is
 * done the process ends with its outcome, though a server and a connection are still open (as a
 * devstack service left behind by its stop keeps them; a CI run once hung on that after the
 * first-paint report).
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;
const standIn = "tests/bench/fixtures/report-then-linger.ts";

/** Runs deno with `args`; a run still going after `timeoutMs` is ended with TERM (signal set). */
async function run(args: string[], outcome: string, timeoutMs = 60_000) {
  const started = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", ...args],
    cwd: root,
    env: { BENCH_SMOKE: "1", OUTCOME: outcome },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    signal: output.signal,
    stdout: text(output.stdout),
    stderr: text(output.stderr),
    seconds: (performance.now() - started) / 1000,
  };
}

Deno.test("the stand-in alone keeps its process alive after its report (what run-to-exit ends)", async () => {
  const alone = await run([standIn], "pass", 3_000);
  assert.match(alone.stdout, /smoke run of exit-stand-in/);
  assert.equal(alone.signal, "SIGTERM", "the stand-in ended by itself: it proves nothing");
});

Deno.test("a benchmark whose report passed exits 0 though a socket is still open", async () => {
  const result = await run(["bench/lib/run-to-exit.ts", standIn], "pass");
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.signal, null);
  assert.match(result.stdout, /smoke run of exit-stand-in: 1 figures, 1 checks passed/);
});

Deno.test("a benchmark whose check failed exits 1, naming the check, though a socket is open", async () => {
  const result = await run(["bench/lib/run-to-exit.ts", standIn], "failed-check");
  assert.equal(result.code, 1);
  assert.match(result.stderr, /report-then-linger\.ts failed: Error: exit-stand-in smoke check failed/);
  assert.doesNotMatch(result.stdout, /smoke run of exit-stand-in/);
});

Deno.test("a benchmark that threw exits 1 with the error, though a socket is open", async () => {
  const result = await run(["bench/lib/run-to-exit.ts", standIn], "throw");
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Error: the stand-in threw/);
});

Deno.test("run-to-exit takes exactly one script, or exits 2 with its usage", async () => {
  const result = await run(["bench/lib/run-to-exit.ts"], "pass");
  assert.equal(result.code, 2);
  assert.match(result.stderr, /usage: deno run --allow-all bench\/lib\/run-to-exit\.ts bench\/NAME\.ts/);
});
