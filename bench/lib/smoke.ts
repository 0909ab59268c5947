/**
 * Smoke mode (BENCH_SMOKE=1, set by `bash bench/run.sh --smoke`): every benchmark runs its seed,
 * measurements and report at a tiny scale in seconds, its checks fail the run, and nothing is
 * written to bench/results/. The test command runs it so that no benchmark rots unnoticed.
 */
export const SMOKE = Deno.env.get("BENCH_SMOKE") === "1";

/** The full run's value, or the smoke run's. */
export function atScale<T>(full: T, smoke: T): T {
  return SMOKE ? smoke : full;
}
