/**
 * What the start command needs to know about processes and ports on Linux (/proc): a process's
 * children, whether it lives, its command line, and who listens on a TCP port.
 */

function read(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`);
  // A zombie has exited; only its parent's wait is missing.
  return stat !== undefined && !/^\d+ \(.*\) Z /.test(stat);
}

export function commandLine(pid: number): string {
  return (read(`/proc/${pid}/cmdline`) ?? "").split("\0").join(" ").trim();
}

function parentOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  const match = stat && /\) \S+ (\d+)/.exec(stat);
  return match ? Number(match[1]) : undefined;
}

function allPids(): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (/^\d+$/.test(entry.name)) pids.push(Number(entry.name));
  }
  return pids;
}

/** Every descendant of `pid` (children first). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const candidate of allPids()) {
    const parent = parentOf(candidate);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), candidate]);
  }
  const result: number[] = [];
  const walk = (of: number) => {
    for (const child of children.get(of) ?? []) {
      result.push(child);
      walk(child);
    }
  };
  walk(pid);
  return result;
}

/** Processes whose command line contains `marker` and whose parent is gone (adopted by init). */
export function orphansMatching(marker: string): number[] {
  return allPids().filter((pid) => {
    const parent = parentOf(pid);
    return pid !== Deno.pid && commandLine(pid).includes(marker) &&
      (parent === 1 || parent === undefined || !commandLine(parent).includes("devstack/start.ts"));
  });
}

export function signal(pid: number, name: Deno.Signal): void {
  try {
    Deno.kill(pid, name);
  } catch {
    // already gone
  }
}

/** The process listening on 127.0.0.1/0.0.0.0:`port` (TCP), if it can be found. */
export function listenerOf(port: number): { pid: number; command: string } | undefined {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of (read(table) ?? "").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN.
      if (fields.length > 9 && fields[3] === "0A" && parseInt(fields[1].split(":")[1], 16) === port) {
        inodes.add(fields[9]);
      }
    }
  }
  if (inodes.size === 0) return undefined;
  for (const pid of allPids()) {
    let fds: Iterable<Deno.DirEntry>;
    try {
      fds = Deno.readDirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = Deno.readLinkSync(`/proc/${pid}/fd/${fd.name}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return { pid, command: commandLine(pid) };
      } catch {
        // closed meanwhile
      }
    }
  }
  return { pid: 0, command: "(another user's process)" };
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portInUse(port: number): boolean {
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    listener.close();
    return false;
  } catch {
    return true;
  }
}
