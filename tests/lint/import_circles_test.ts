/** scripts/check-import-circles.ts finds module circles and folder loops, and passes on the tree. */
import assert from "node:assert/strict";
import { circles, folderGraph } from "../../scripts/check-import-circles.ts";

Deno.test("a circle between modules is found, each once, and a chain is not one", () => {
  const graph = new Map([
    ["a.ts", ["b.ts"]],
    ["b.ts", ["c.ts"]],
    ["c.ts", ["a.ts", "d.ts"]],
    ["d.ts", []],
    ["e.ts", ["e.ts"]],
  ]);
  assert.deepEqual(circles(graph), [["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
  assert.deepEqual(circles(new Map([["a.ts", ["b.ts"]], ["b.ts", []]])), []);
});

Deno.test("a loop between web/src folders is found though no module circle exists", () => {
  const graph = new Map([
    ["web/src/habits/HabitCard.tsx", ["web/src/completions/mark-done.ts"]],
    ["web/src/completions/mark-done.ts", ["web/src/habits/schedule.ts"]],
    ["web/src/habits/schedule.ts", []],
  ]);
  assert.deepEqual(circles(graph), []);
  assert.deepEqual(circles(folderGraph(graph, "web/src")), [[
    "completions",
    "habits",
  ]]);
});

Deno.test("the web app, devstack and the functions have no import circles", async () => {
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "scripts/check-import-circles.ts"],
  }).output();
  assert.equal(run.code, 0, new TextDecoder().decode(run.stderr));
});
