import { unusedPort } from "./helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLUSTER_SH = `${ROOT}devstack/postgres/cluster.sh`;

export interface TestCluster {
  /** Superuser URL (postgres, trust auth). */
  url: string;
  remove(): Promise<void>;
}

async function run(args: string[]): Promise<void> {
  const output = await new Deno.Command("bash", {
    args: [CLUSTER_SH, ...args],
    env: { PATH: `/usr/lib/postgresql/15/bin:${Deno.env.get("PATH") ?? ""}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr) + new TextDecoder().decode(output.stdout);
    throw new Error(`cluster.sh ${args[0]} failed: ${text}`);
  }
}

/** A private, bootstrapped Postgres 15 cluster on a free port, removed by `remove()`. */
export async function createTestCluster(): Promise<TestCluster> {
  const parent = await Deno.makeTempDir({ prefix: "devstack-test-pg-" });
  await Deno.chmod(parent, 0o755); // the postgres user must reach the data directory
  const dir = `${parent}/cluster`;
  const port = unusedPort();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const remove = async () => {
    await run(["remove", dir]).catch(() => {});
    await Deno.remove(parent, { recursive: true }).catch(() => {});
  };
  try {
    await run(["create", dir, String(port)]);
    await run(["start", dir]);
    await run(["bootstrap", url]);
  } catch (error) {
    await remove();
    throw error;
  }
  return { url, remove };
}
