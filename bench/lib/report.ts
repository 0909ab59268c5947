/** Collects a benchmark's figures, prints them as they come and writes them to bench/results/. */
import { loadAverage } from "./proc.ts";
import { SMOKE } from "./smoke.ts";

export class Report {
  readonly figures: Record<string, unknown> = {};
  readonly failedChecks: string[] = [];
  checksPassed = 0;

  constructor(readonly name: string) {}

  add(key: string, value: unknown): void {
    this.figures[key] = value;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    // A smoke run's figures mean nothing, and its log is the test command's: a line each.
    console.log(
      `${key}: ${SMOKE && text.length > 160 ? `${text.slice(0, 160).replaceAll("\n", " ")}…` : text}`,
    );
  }

  section(title: string): void {
    console.log(`\n--- ${title}`);
  }

  /**
   * A sanity check on the figures (rows seeded, messages delivered, no errors): a benchmark whose
   * check fails is broken, not slow. A smoke run stops at once; a full run keeps measuring, saves
   * its figures with the failures listed, and then fails (see finish).
   */
  check(what: string, ok: boolean, detail: unknown = ""): void {
    if (ok) {
      this.checksPassed++;
      return;
    }
    const failure = `${what}${
      detail === "" ? "" : ` (${typeof detail === "string" ? detail : JSON.stringify(detail)})`
    }`;
    if (SMOKE) throw new Error(`${this.name} smoke check failed: ${failure}`);
    console.error(`CHECK FAILED: ${failure}`);
    this.failedChecks.push(failure);
  }

  /**
   * Writes bench/results/<name>.json (a smoke run writes nothing) and fails the run when a check
   * failed.
   */
  async finish(): Promise<void> {
    if (this.checksPassed + this.failedChecks.length === 0) {
      throw new Error(`${this.name}: no checks ran, so nothing says the figures are sane`);
    }
    if (SMOKE) {
      console.log(
        `\nsmoke run of ${this.name}: ${Object.keys(this.figures).length} figures, ` +
          `${this.checksPassed} checks passed; bench/results/ left as it was`,
      );
      return;
    }
    if (this.failedChecks.length > 0) this.figures.failedChecks = this.failedChecks;
    console.log(`\nresults written to ${await this.save()}`);
    if (this.failedChecks.length > 0) {
      throw new Error(
        `${this.name}: ${this.failedChecks.length} checks failed: ${this.failedChecks.join("; ")}`,
      );
    }
  }

  private async save(): Promise<string> {
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

/** nproc, memory and CPU model, as docs/benchmarks.md records them, and the load when saved. */
export async function machine(): Promise<Record<string, unknown>> {
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
    // Other work on the shared cores skews every timing: the 1, 5 and 15 minute load averages.
    loadAverageAtEnd: await loadAverage(),
  };
}
