/** scripts/check-code-size.ts names a file over 300 lines and a function over 80, nested ones too. */
import assert from "node:assert/strict";
import { offenderKey, sizeOffenders } from "../../scripts/check-code-size.ts";

const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  const v${i} = ${i};`).join("\n");

Deno.test("a function over 80 lines is named, whatever its form; one of 80 is not", () => {
  const text = [
    `export function long() {\n${body(80)}\n}`,
    `const arrow = () => {\n${body(79)}\n};`,
    `export function ok() {\n${body(78)}\n}`,
    `class C {\n  method() {\n${body(85)}\n  }\n}`,
    `register(bot, (ctx) => {\n${body(90)}\n});`,
  ].join("\n");
  assert.deepEqual(sizeOffenders("f.ts", text).map(offenderKey), [
    "f.ts:file",
    "f.ts:long",
    "f.ts:arrow",
    "f.ts:method",
    "f.ts:callback of register",
  ]);
});

Deno.test("a file over 300 lines is named; one of 300 is not", () => {
  const lines = (n: number) =>
    Array.from({ length: n }, (_, i) => `export const c${i} = ${i};`).join("\n") + "\n";
  assert.deepEqual(sizeOffenders("big.ts", lines(301)).map(offenderKey), ["big.ts:file"]);
  assert.deepEqual(sizeOffenders("ok.ts", lines(300)), []);
});

const check = async (...args: string[]) => {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-env", "scripts/check-code-size.ts", ...args],
  }).output();
  return { code: run.code, stderr: new TextDecoder().decode(run.stderr) };
};

Deno.test("the check takes no exceptions: --except is refused by name", async () => {
  const excepted = await check("--except", "supabase/functions/x.ts:long", "supabase/functions");
  assert.equal(excepted.code, 2);
  assert.match(excepted.stderr, /unknown option --except/);
  assert.equal((await check()).code, 0, "supabase/functions is within the limits");
});
