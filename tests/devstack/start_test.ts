import assert from "node:assert/strict";
import { expect } from "expect";
import { loopSteps, psqlCommand } from "../../devstack/status.ts";
import { lanAddress } from "../../devstack/network.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("the start command names who holds a busy port and the flag that moves the service, printing no shutdown lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "devstack-start-" });
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (busy.addr as Deno.NetAddr).port;
    const args = ["run", "-A", "devstack/start.ts", "--dir", dir, "--api-port", String(port)];
    for (const flag of ["db", "mail", "smtp", "web", "telegram"]) {
      args.push(`--${flag}-port`, String(freePort()));
    }
    const result = await new Deno.Command(Deno.execPath(), { args, cwd: ROOT, stdin: "null" }).output();
    const output = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 1, output);
    expect(output).toContain(`port ${port} is in use by pid ${Deno.pid}`);
    expect(output).toContain(`stop it (kill ${Deno.pid}) or start with --api-port <another port>`);
    // A refusal started nothing, so it reports no stopping.
    expect(output).not.toContain("stopping");
    expect(output).not.toContain("devstack: stopped");
    await assert.rejects(Deno.stat(`${dir}/db`), Deno.errors.NotFound, "nothing was created");
  } finally {
    busy.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the start command refuses a directory whose devstack is still running, leaves it alone and prints no shutdown lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "devstack-start-" });
  // Stands in for a running start command: its command line names devstack/start.ts (the "; true"
  // keeps bash from replacing itself with sleep).
  const running = new Deno.Command("bash", {
    args: ["-c", "sleep 60; true", "devstack/start.ts"],
    stdin: "null",
  })
    .spawn();
  try {
    const state = JSON.stringify({ pid: running.pid, startedAt: "", clusterStartedHere: true, children: [] });
    await Deno.writeTextFile(`${dir}/start.json`, state);
    const args = ["run", "-A", "devstack/start.ts", "--dir", dir];
    for (const flag of ["api", "db", "mail", "smtp", "web", "telegram"]) {
      args.push(`--${flag}-port`, String(freePort()));
    }
    const result = await new Deno.Command(Deno.execPath(), { args, cwd: ROOT, stdin: "null" }).output();
    const output = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 1, output);
    expect(output).toContain(`is already running (pid ${running.pid})`);
    expect(output).toContain(`kill ${running.pid}`);
    expect(output).not.toContain("stopping");
    expect(output).not.toContain("devstack: stopped");
    assert.equal(await Deno.readTextFile(`${dir}/start.json`), state, "its state file is kept");
  } finally {
    try {
      running.kill("SIGKILL");
    } catch {
      // already gone
    }
    await running.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--help prints the usage with the command a newcomer runs, and starts nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "devstack-start-" });
  try {
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "devstack/start.ts", "--dir", dir, "--help"],
      cwd: ROOT,
      stdin: "null",
    }).output();
    const output = new TextDecoder().decode(result.stdout);
    assert.equal(result.code, 0, output + new TextDecoder().decode(result.stderr));
    expect(output).toMatch(/^usage: bash scripts\/start\.sh \[--reset\]/);
    expect(output).toContain("--telegram-port N");
    expect(output).toContain("--lan");
    expect(output).toContain("Anyone on that network can then reach the API with the development keys");
    expect(output).not.toContain("deno run");
    assert.deepEqual([...Deno.readDirSync(dir)], [], "nothing was created");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the README's quick start quotes the loop the start command prints, word for word", async () => {
  const readme = await Deno.readTextFile(`${ROOT}/README.md`);
  const printed = loopSteps({
    web: "http://127.0.0.1:5173",
    mail: "http://127.0.0.1:54324",
    chat: "http://127.0.0.1:54326",
  });
  expect(printed).toHaveLength(6);
  expect(readme).toContain("```text\n" + printed.join("\n") + "\n```");
  expect(readme).toContain(psqlCommand("postgresql://postgres@127.0.0.1:54322/postgres"));
});

Deno.test("--lan serves on this machine's private network address, never loopback or link-local", () => {
  const iface = (address: string, family: "IPv4" | "IPv6" = "IPv4") => ({ family, address, name: "eth0" });
  expect(
    lanAddress([iface("127.0.0.1"), iface("fe80::1", "IPv6"), iface("169.254.3.4"), iface("192.168.1.20")]),
  )
    .toBe("192.168.1.20");
  expect(lanAddress([iface("203.0.113.5"), iface("10.0.0.7")])).toBe("10.0.0.7");
  expect(lanAddress([iface("127.0.0.1")])).toBeUndefined();
});
