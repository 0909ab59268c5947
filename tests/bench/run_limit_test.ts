/**
 * bench/run.sh's backstop: each benchmark runs under a wall-clock limit (BENCH_TIME_LIMIT), as
 * timeout's child in timeout's own process group; past the limit that group is stopped (TERM, KILL
 * 10 s later) and the run fails with a line naming the benchmark and the limit. Sourced, run.sh
 * only defines its functions; run_limited is what run_script calls with the same command.
 */
import assert from "node:assert/strict";
import { waitUntil } from "../support/wait.ts";

const root = new URL("../../", import.meta.url).pathname;

function isAlive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT"); // no effect on a running process; throws when there is none
    return true;
  } catch {
    return false;
  }
}

const gone = (pid: number) =>
  waitUntil(() => Promise.resolve(isAlive(pid) ? undefined : true), 5_000, `process ${pid} gone`);

/** `run_limited stand-in deno run ... run-to-exit.ts SCRIPT` in a bash that sourced bench/run.sh. */
function runLimited(script: string, env: Record<string, string>) {
  const pidFile = Deno.makeTempFileSync({ prefix: "bench-limit-" });
  const command = new Deno.Command("bash", {
    args: [
      "-c",
      'source bench/run.sh && run_limited stand-in deno run --allow-all bench/lib/run-to-exit.ts "$1"',
      "bash",
      script,
    ],
    cwd: root,
    env: { BENCH_SMOKE: "1", PID_FILE: pidFile, ...env },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  });
  const started = performance.now();
  const child = command.spawn();
  const output = child.output().then((out) => ({
    code: out.code,
    stderr: new TextDecoder().decode(out.stderr),
    seconds: (performance.now() - started) / 1000,
  }));
  /** The stand-in's `sleep` child, once it has started one (an error if the run ended first). */
  const grandchild = () =>
    Promise.race([
      waitUntil(async () => Number(await Deno.readTextFile(pidFile)) || undefined, 30_000, "the sleep child"),
      output.then((out) => Promise.reject(new Error(`the run ended first: ${out.code} ${out.stderr}`))),
    ]);
  const cleanUp = async () => {
    const pid = Number(await Deno.readTextFile(pidFile).catch(() => ""));
    if (pid && isAlive(pid)) Deno.kill(pid, "SIGKILL");
    await Deno.remove(pidFile);
  };
  return { child, output, grandchild, cleanUp };
}

const hang = "tests/bench/fixtures/hang.ts";
const limitLine = /== stand-in: stopped after its limit of 2 s \(BENCH_TIME_LIMIT\); the run fails/;

Deno.test("a benchmark still running at BENCH_TIME_LIMIT is stopped with its process group, and the run fails naming it", async () => {
  const run = runLimited(hang, { BENCH_TIME_LIMIT: "2" });
  try {
    const sleepPid = await run.grandchild();
    const result = await run.output;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, limitLine);
    assert.ok(result.seconds >= 2 && result.seconds < 10, `ended after ${result.seconds} s`);
    await gone(sleepPid);
  } finally {
    await run.cleanUp();
  }
});

Deno.test("a benchmark that ignores TERM is killed 10 s after its limit, and the run fails naming it", async () => {
  const run = runLimited(hang, { BENCH_TIME_LIMIT: "2", IGNORE_TERM: "1" });
  try {
    const sleepPid = await run.grandchild();
    const result = await run.output;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, limitLine);
    assert.ok(result.seconds >= 12 && result.seconds < 30, `ended after ${result.seconds} s`);
    assert.equal(isAlive(sleepPid), false);
  } finally {
    await run.cleanUp();
  }
});

Deno.test("a benchmark that ends within its limit keeps its own exit code, though a socket is open", async () => {
  const standIn = "tests/bench/fixtures/report-then-linger.ts";
  for (const [outcome, code] of [["pass", 0], ["failed-check", 1]] as const) {
    const run = runLimited(standIn, { BENCH_TIME_LIMIT: "60", OUTCOME: outcome });
    try {
      const result = await run.output;
      assert.equal(result.code, code, `${outcome}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /stopped after its limit/);
      assert.ok(result.seconds < 30, `${outcome} ended after ${result.seconds} s`);
    } finally {
      await run.cleanUp();
    }
  }
});

const signals = [["SIGINT", "Ctrl-C", 130], ["SIGTERM", "TERM", 143]] as const;
for (const [signal, what, code] of signals) {
  Deno.test({
    name: `${what} on bench/run.sh stops the running benchmark's process group`,
    fn: async () => {
      const run = runLimited(hang, { BENCH_TIME_LIMIT: "600" });
      try {
        const sleepPid = await run.grandchild();
        run.child.kill(signal);
        const result = await run.output;
        assert.equal(result.code, code, result.stderr);
        assert.ok(result.seconds < 30, `ended after ${result.seconds} s`);
        await gone(sleepPid);
      } finally {
        await run.cleanUp();
      }
    },
  });
}

Deno.test("a BENCH_TIME_LIMIT that is not whole seconds is refused by name before anything runs", async () => {
  // An unknown benchmark, so that an unchecked limit ends in the usage (also exit 2), not a run.
  const output = await new Deno.Command("bash", {
    args: ["bench/run.sh", "--smoke", "no-such-benchmark"],
    cwd: root,
    env: { BENCH_TIME_LIMIT: "10m" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 2);
  assert.match(new TextDecoder().decode(output.stderr), /BENCH_TIME_LIMIT must be a whole number of seconds/);
  assert.doesNotMatch(new TextDecoder().decode(output.stdout), /private Postgres/);
});
