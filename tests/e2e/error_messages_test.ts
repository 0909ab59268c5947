/**
 * Every stable error identifier the database can raise has a sentence in the SPA
 * (web/src/errors/error-messages.ts): each CHECK, UNIQUE, FOREIGN KEY and EXCLUDE constraint in
 * schema public, and each rule name passed to private.raise_rule_violation or raised as a hint
 * in the migrations.
 */
import assert from "node:assert/strict";
import { connectTestDatabase } from "../support/database.ts";
import {
  addRuleSentences,
  dataErrorSentence,
  errorIdentifier,
  RULE_SENTENCES,
  RULE_SENTENCES_BY_LANGUAGE,
  ruleSentenceIn,
} from "../../web/src/errors/error-messages.ts";
import { RULE_SENTENCES_RU } from "../../web/src/errors/rule-sentences-ru.ts";

// As the app does when it speaks Russian (web/src/lib/data-error.ts).
addRuleSentences("ru", RULE_SENTENCES_RU);

const MIGRATIONS_DIR = new URL("../../supabase/migrations/", import.meta.url);

async function ruleNamesInMigrations(): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const entry of Deno.readDir(MIGRATIONS_DIR)) {
    if (!entry.name.endsWith(".sql")) continue;
    const sql = await Deno.readTextFile(new URL(entry.name, MIGRATIONS_DIR));
    // raise_rule_violation('<relation>', '<rule>', ...) — the call may span lines.
    for (const match of sql.matchAll(/raise_rule_violation\(\s*'[^']*'\s*,\s*'([a-z0-9_]+)'/g)) {
      names.add(match[1]);
    }
    // raise exception using ..., hint = '<identifier>'
    for (const match of sql.matchAll(/\bhint\s*=\s*'([a-z0-9_]+)'/g)) names.add(match[1]);
  }
  return names;
}

Deno.test("every constraint and rule identifier of the database has a sentence", async () => {
  const sql = connectTestDatabase();
  try {
    const constraints = await sql<{ conname: string }[]>`
      select c.conname
      from pg_catalog.pg_constraint c
      join pg_catalog.pg_namespace n on n.oid = c.connamespace
      where n.nspname = 'public' and c.contype in ('c', 'u', 'f', 'x')
      order by 1`;
    const rules = await ruleNamesInMigrations();
    assert.ok(constraints.length > 10, "the database has the habit constraints (is TEST_DB_URL migrated?)");
    assert.ok(rules.has("habits_require_telegram"), "rule names are found in the migrations");
    const identifiers = new Set([...constraints.map((row) => row.conname), ...rules]);
    for (const [language, sentences] of Object.entries(RULE_SENTENCES_BY_LANGUAGE)) {
      const missing = [...identifiers].filter((identifier) => !sentences[identifier]);
      assert.deepEqual(missing, [], `identifiers without a sentence in ${language}: ${missing.join(", ")}`);
    }
  } finally {
    await sql.end();
  }
});

Deno.test("Data API errors map to sentences by identifier, SQLSTATE or status", () => {
  const check = {
    code: "23514",
    message: 'new row for relation "habits" violates check constraint "habits_duration_seconds_range"',
  };
  assert.equal(errorIdentifier(check), "habits_duration_seconds_range");
  assert.equal(dataErrorSentence(check), RULE_SENTENCES.habits_duration_seconds_range);
  const rule = {
    code: "23514",
    message: 'new row for relation "habits" violates rule "habits_require_telegram"',
  };
  assert.equal(dataErrorSentence(rule), RULE_SENTENCES.habits_require_telegram);
  const unique = {
    code: "23505",
    message: 'duplicate key value violates unique constraint "habit_completions_once_per_occurrence"',
  };
  assert.equal(dataErrorSentence(unique), RULE_SENTENCES.habit_completions_once_per_occurrence);
  const tooMany = { code: "PT429", message: "Too many…", hint: "telegram_link_codes_per_hour" };
  assert.equal(dataErrorSentence(tooMany), RULE_SENTENCES.telegram_link_codes_per_hour);
  assert.match(
    dataErrorSentence({ code: "42501", message: "permission denied for table habits" }),
    /not allowed/,
  );
  assert.match(dataErrorSentence({ message: "", status: 429 }), /Too many requests/);
  assert.match(dataErrorSentence({ code: "23514", message: 'violates check constraint "new_one"' }), /rules/);
  assert.match(dataErrorSentence({ message: "TypeError: Failed to fetch" }), /cannot be reached/);
});

Deno.test("every rule sentence exists in both languages, and the Russian ones are Russian", () => {
  const english = Object.keys(RULE_SENTENCES).sort();
  const russian = Object.keys(RULE_SENTENCES_BY_LANGUAGE.ru).sort();
  assert.deepEqual(russian, english, "the two languages name the same identifiers");
  for (const [identifier, sentence] of Object.entries(RULE_SENTENCES_BY_LANGUAGE.ru)) {
    assert.match(sentence, /[а-яё]/i, `${identifier} is written in Russian`);
    assert.equal(ruleSentenceIn(RULE_SENTENCES[identifier] ?? "", "ru"), sentence);
  }
  const check = { code: "23514", message: 'violates check constraint "profiles_language_known"' };
  assert.equal(dataErrorSentence(check, "ru"), "Выберите английский или русский.");
  assert.match(dataErrorSentence({ message: "", status: 401 }, "ru"), /Сессия истекла/);
  assert.match(dataErrorSentence({ message: "", status: 401 }), /session has expired/);
});

Deno.test("a value its column cannot read (an empty time) gets a sentence in both languages, not Postgres's words", () => {
  // What PostgREST answers for profiles.digest_time = "" (SQLSTATE 22007).
  const error = { code: "22007", message: 'invalid input syntax for type time: ""', status: 400 };
  for (const language of ["en", "ru"] as const) {
    const sentence = dataErrorSentence(error, language);
    assert.doesNotMatch(sentence, /invalid input syntax/);
    assert.match(sentence, /19:00/);
  }
  assert.match(dataErrorSentence(error, "ru"), /Дата или время/);
});
