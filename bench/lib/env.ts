import postgres from "postgres";

/** What bench/run.sh hands every benchmark. */
export interface BenchEnv {
  /** Superuser URL of the private, migrated cluster. */
  dbUrl: string;
  /** First of the ports this benchmark may listen on (nine in a row). */
  portBase: number;
  /** The cluster's directory (postmaster.pid lives in data/). */
  clusterDir: string;
}

export function readBenchEnv(): BenchEnv {
  const dbUrl = Deno.env.get("BENCH_DB_URL");
  const portBase = Number(Deno.env.get("BENCH_PORT_BASE"));
  const clusterDir = Deno.env.get("BENCH_CLUSTER_DIR");
  if (!dbUrl || !Number.isInteger(portBase) || !clusterDir) {
    console.error("run benchmarks with `bash bench/run.sh <name>` (BENCH_DB_URL etc. are not set)");
    Deno.exit(2);
  }
  return { dbUrl, portBase, clusterDir };
}

export function connect(url: string, max = 4): postgres.Sql {
  return postgres(url, { max, onnotice: () => {}, idle_timeout: 10, types: { bigint: postgres.BigInt } });
}
