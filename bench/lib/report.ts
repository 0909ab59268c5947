/** Collects a benchmark's figures, prints them as they come and writes them to bench/results/. */
export class Report {
  readonly figures: Record<string, unknown> = {};

  constructor(readonly name: string) {}

  add(key: string, value: unknown): void {
    this.figures[key] = value;
    console.log(`${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }

  section(title: string): void {
    console.log(`\n--- ${title}`);
  }

  async save(): Promise<string> {
    const dir = new URL("../results/", import.meta.url);
    await Deno.mkdir(dir, { recursive: true });
    const file = new URL(`${this.name}.json`, dir);
    const body = {
      benchmark: this.name,
      date: new Date().toISOString(),
      machine: await machine(),
      ...this.figures,
    };
    await Deno.writeTextFile(file, JSON.stringify(body, null, 2) + "\n");
    return file.pathname;
  }
}

/** nproc, memory and CPU model, as docs/benchmarks.md records them. */
export async function machine(): Promise<Record<string, string | number>> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo");
  const meminfo = await Deno.readTextFile("/proc/meminfo");
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1] ?? "unknown";
  const memKb = Number(meminfo.match(/^MemTotal:\s*(\d+)/m)?.[1] ?? 0);
  return {
    nproc: navigator.hardwareConcurrency,
    memoryGiB: Math.round(memKb / 1024 / 1024 * 10) / 10,
    cpu: model,
    postgres: "15 (devstack/postgres/cluster.sh settings)",
    deno: Deno.version.deno,
  };
}
