/**
 * Rules of the SPA's code that a reader would otherwise have to remember: async work has one home
 * (ui/use-action.ts for buttons and forms, ui/use-query.ts for loading data), so no page writes its
 * own busy flag or error state again; and ui/ imports nothing from a feature folder.
 */
import assert from "node:assert/strict";

const SOURCE_DIR = new URL("../../web/src/", import.meta.url);
const ASYNC_HOMES = new Set(["ui/use-action.ts", "ui/use-query.ts"]);
/** Folders ui/ may import from: shared infrastructure (offline/: the last loads kept), not features. */
const SHARED_FOLDERS = new Set(["i18n", "lib", "offline"]);

async function sourceFiles(dir = SOURCE_DIR, prefix = ""): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) {
      for (const [name, text] of await sourceFiles(new URL(`${entry.name}/`, dir), `${path}/`)) {
        files.set(name, text);
      }
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      files.set(path, await Deno.readTextFile(new URL(entry.name, dir)));
    }
  }
  return files;
}

const BUSY_NAME = /^(?:is)?(?:busy|loading|submitting|saving|sending|deleting|pending|working)/i;
const STATE = /const\s*\[\s*(\w+)\s*,\s*set\w*\s*\]\s*=\s*useState\b/g;
const RESET_IN_FINALLY = /finally\s*\{\s*set\w+\(\s*false\s*\)/;

/** What in `text` hand-rolls what useAction or useQuery already do. */
export function handRolledAsyncState(text: string): string[] {
  const found = [...text.matchAll(STATE)].map((match) => match[1])
    .filter((name) => BUSY_NAME.test(name) || name === "error" || name === "result")
    .map((name) => `useState for "${name}"`);
  if (RESET_IN_FINALLY.test(text)) found.push("a flag reset in finally");
  return found;
}

Deno.test("the rule finds a hand-rolled busy flag and error state", () => {
  const sample = `
    const [busy, setBusy] = useState(false);
    const [error, setError] = useState<string>();
    const [isLoading, setIsLoading] = useState(true);
    try { await send(); } finally { setBusy(false); }
  `;
  assert.deepEqual(handRolledAsyncState(sample), [
    'useState for "busy"',
    'useState for "error"',
    'useState for "isLoading"',
    "a flag reset in finally",
  ]);
  assert.deepEqual(handRolledAsyncState(`const [submitted, setSubmitted] = useState(false);`), []);
});

Deno.test("no page hand-rolls busy or error state: async work goes through useAction or useQuery", async () => {
  const files = await sourceFiles();
  assert.ok(files.has("ui/use-action.ts") && files.size > 50, `the scan reads web/src (${files.size} files)`);
  const offenders = [...files].filter(([path]) => !ASYNC_HOMES.has(path))
    .flatMap(([path, text]) => handRolledAsyncState(text).map((what) => `${path}: ${what}`));
  assert.deepEqual(offenders, [], `use useAction() or useQuery() instead:\n${offenders.join("\n")}`);
});

Deno.test("ui/ imports nothing from a feature folder", async () => {
  const files = await sourceFiles();
  const imports = [...files].filter(([path]) => path.startsWith("ui/"))
    .flatMap(([path, text]) =>
      [...text.matchAll(/\bfrom\s+"\.\.\/([\w-]+)\//g)].map((match) => ({ path, folder: match[1] }))
    );
  const offenders = imports.filter(({ folder }) => !SHARED_FOLDERS.has(folder))
    .map(({ path, folder }) => `${path} imports from ${folder}/`);
  assert.deepEqual(offenders, []);
});
