/**
 * The property test of the reminder tick and the dispatcher's claim
 * (tests/properties/tick_and_claim_test.ts), run long: a random seed unless PROPERTY_SEED is set,
 * PROPERTY_RUNS generated worlds (200 unless set), against bench/run.sh's private database. A
 * failure prints the seed and the shrunk world to turn into a pgTAP regression test. Its smoke run
 * (BENCH_SMOKE=1) is 3 worlds, so that the wrapper itself cannot rot.
 */
import { atScale } from "./lib/smoke.ts";

const env = {
  TEST_DB_URL: Deno.env.get("BENCH_DB_URL") ?? "",
  PROPERTY_SEED: Deno.env.get("PROPERTY_SEED") ?? "random",
  PROPERTY_RUNS: Deno.env.get("PROPERTY_RUNS") ?? atScale("200", "3"),
};
if (!env.TEST_DB_URL) throw new Error("BENCH_DB_URL is not set: run `bash bench/run.sh properties`");
const { code } = await new Deno.Command(Deno.execPath(), {
  args: ["test", "--allow-all", "--no-check", "tests/properties/tick_and_claim_test.ts"],
  env,
  stdout: "inherit",
  stderr: "inherit",
}).output();
Deno.exit(code);
