/** The start command's logs (issue 24): one per service, and a task that follows all or one. */
import assert from "node:assert/strict";
import { expect } from "expect";
import { ServiceLogs, serviceOfLine, serviceOfPath } from "../../devstack/logs.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("requests and printed lines go to their service's log", () => {
  expect(serviceOfPath("/functions/v1/telegram-webhook")).toBe("telegram-webhook");
  expect(serviceOfPath("/auth/v1/token")).toBe("auth");
  expect(serviceOfPath("/rest/v1/habits")).toBe("rest");
  expect(serviceOfLine("[reminders] sent 3")).toBe("reminders");
  expect(serviceOfLine("devstack: starting the database")).toBe("devstack");
});

Deno.test("the logs task follows one service's log, from its last lines to new ones", async () => {
  const dir = await Deno.makeTempDir({ prefix: "devstack-logs-" });
  const logs = new ServiceLogs(`${dir}/logs`);
  logs.write("auth", "POST /auth/v1/signup 200 3 ms");
  logs.write("rest", "GET /rest/v1/habits 200 2 ms");
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "devstack/logs.ts", "--dir", dir, "auth"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const until = async (text: string) => {
    const deadline = Date.now() + 15_000;
    while (!seen.includes(text)) {
      assert.ok(Date.now() < deadline, `never printed ${text}; printed: ${seen}`);
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
  };
  try {
    await until("auth | ");
    expect(seen).toContain("POST /auth/v1/signup 200 3 ms");
    logs.write("auth", "POST /auth/v1/token 400 1 ms");
    logs.write("rest", "GET /rest/v1/profiles 200 1 ms");
    await until("/auth/v1/token");
    expect(seen).not.toContain("/rest/v1/");
  } finally {
    child.kill("SIGTERM");
    await reader.cancel().catch(() => {});
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
});
