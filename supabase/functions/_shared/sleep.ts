/**
 * Waits `ms` milliseconds; an abort of `signal` ends the wait early (it resolves, never rejects).
 * The one sleep of the project: the functions, the devstack, the tests and the benchmarks use it.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
