/** A closed-loop load generator: `clients` workers, each sending requests back to back. */
import { summarize } from "./stats.ts";

export interface LoadResult {
  clients: number;
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

/**
 * Sends `requests` requests in total (bounded also by `maxMs`), each through `send(i)`, which
 * resolves true on a correct answer.
 */
export async function runLoad(
  clients: number,
  requests: number,
  send: (i: number) => Promise<boolean>,
  maxMs = 60_000,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < requests && performance.now() - started < maxMs) {
      const i = next++;
      const t0 = performance.now();
      const ok = await send(i).catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const seconds = (performance.now() - started) / 1000;
  const s = summarize(latencies);
  const r = (v: number) => Math.round(v * 100) / 100;
  return {
    clients,
    requests: latencies.length,
    errors,
    seconds: r(seconds),
    requestsPerSecond: r(latencies.length / seconds),
    latencyMs: { p50: r(s.p50), p95: r(s.p95), p99: r(s.p99), max: r(s.max) },
  };
}
