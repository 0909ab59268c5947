/**
 * CPU time of processes this benchmark started, read from /proc (Linux). Only reads; never signals.
 */
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux x86_64

interface ProcStat {
  ppid: number;
  /** utime + stime of the process itself, seconds. */
  own: number;
  /** cutime + cstime: CPU of children it has waited for, seconds. */
  reaped: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command (which may contain spaces) start at field 3 (state).
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const field = (n: number) => Number(fields[n - 3]);
    return {
      ppid: field(4),
      own: (field(14) + field(15)) / CLOCK_TICKS,
      reaped: (field(16) + field(17)) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/** The live children of `parent`. */
export function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    if (readStat(Number(entry.name))?.ppid === parent) pids.push(Number(entry.name));
  }
  return pids;
}

export function commandLine(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** CPU seconds used so far by one process. */
export function processCpuSeconds(pid: number): number {
  return readStat(pid)?.own ?? NaN;
}

/** CPU seconds used so far by a process and all its children, live or exited (e.g. a postmaster). */
export function treeCpuSeconds(pid: number): number {
  const root = readStat(pid);
  if (!root) return NaN;
  return root.own + root.reaped + childPids(pid).reduce((sum, child) => sum + (readStat(child)?.own ?? 0), 0);
}

/** The postmaster of a devstack cluster directory. */
export async function postmasterPid(clusterDir: string): Promise<number> {
  const text = await Deno.readTextFile(`${clusterDir}/data/postmaster.pid`);
  return Number(text.split("\n")[0]);
}

/** The 1, 5 and 15 minute load averages (other work on the machine skews every timing). */
export async function loadAverage(): Promise<number[]> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).map(Number);
}
