import assert from "node:assert/strict";
import { expect } from "expect";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("the start command names who holds a busy port and the flag that moves the service", async () => {
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
    await assert.rejects(Deno.stat(`${dir}/db`), Deno.errors.NotFound, "nothing was created");
  } finally {
    busy.close();
    await Deno.remove(dir, { recursive: true });
  }
});
