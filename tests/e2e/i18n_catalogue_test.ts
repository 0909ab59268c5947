/**
 * Every message key the SPA uses has a Russian sentence, every plural key its English and Russian
 * forms, and the catalogue holds no key the code no longer uses. Keys are the English sentences
 * passed as string literals to t(), translate() or msg() anywhere in web/src.
 */
import assert from "node:assert/strict";
import { EN_PLURALS } from "../../web/src/i18n/en.ts";
import { RU } from "../../web/src/i18n/ru.ts";

const SOURCE_DIR = new URL("../../web/src/", import.meta.url);
const KEY_CALL = /\b(?:t|translate|msg)\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]/g;
const RU_PLURALS = ["one", "few", "many", "other"];

export async function messageKeysInSource(dir = SOURCE_DIR): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) {
      for (const [key, file] of await messageKeysInSource(url)) keys.set(key, file);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      const text = await Deno.readTextFile(url);
      for (const match of text.matchAll(KEY_CALL)) keys.set(JSON.parse(`"${match[1]}"`), entry.name);
    }
  }
  return keys;
}

function hasRussian(key: string): boolean {
  return key in RU || RU_PLURALS.every((form) => `${key}_${form}` in RU);
}

Deno.test("every message key has a Russian translation", async () => {
  const keys = await messageKeysInSource();
  assert.ok(keys.size > 200, `the key scan finds the SPA's messages (found ${keys.size})`);
  const missing = [...keys].filter(([key]) => !hasRussian(key)).map(([key, file]) => `${file}: ${key}`);
  assert.deepEqual(missing, [], `keys without a Russian translation:\n${missing.join("\n")}`);
});

Deno.test("plural keys have every form in both languages", () => {
  const pluralKeys = new Set(
    [...Object.keys(RU), ...Object.keys(EN_PLURALS)].filter((key) => /_(one|few|many|other)$/.test(key))
      .map((key) => key.replace(/_(one|few|many|other)$/, "")),
  );
  for (const key of pluralKeys) {
    for (const form of ["one", "other"]) {
      assert.ok(`${key}_${form}` in EN_PLURALS, `English "${key}_${form}"`);
    }
    for (const form of RU_PLURALS) assert.ok(`${key}_${form}` in RU, `Russian "${key}_${form}"`);
  }
});

Deno.test("the catalogues hold no unused key, and Russian sentences are Russian", async () => {
  const keys = await messageKeysInSource();
  const base = (key: string) => key.replace(/_(one|few|many|other)$/, "");
  const unused = [...Object.keys(RU), ...Object.keys(EN_PLURALS)].filter((key) =>
    !keys.has(key) && !keys.has(base(key))
  );
  assert.deepEqual(unused, [], `catalogue keys no code uses: ${unused.join(" | ")}`);
  const notRussian = Object.entries(RU).filter(([key, text]) =>
    /[a-z]{3}/i.test(key) && !/[а-яё]/i.test(text)
  )
    .map(([key]) => key);
  // Brand-like words that stay as they are in Russian.
  const kept = new Set(["Telegram", "API", "Habits", "English"]);
  assert.deepEqual(notRussian.filter((key) => !kept.has(key)), [], "untranslated Russian entries");
  for (const [key, text] of Object.entries(RU)) {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const expected = placeholders(base(key) === key ? key : base(key)).filter((name) => name !== "count");
    assert.deepEqual(
      placeholders(text).filter((name) => name !== "count"),
      expected,
      `"${key}" keeps its placeholders in Russian`,
    );
  }
});
