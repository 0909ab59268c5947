/**
 * The bot speaks English and Russian: every message of the catalogue, and every habit rule's
 * sentence, exists in both (a missing or untranslated one fails here), and the rule sentences the
 * functions carry are the SPA's, regenerated (scripts/gen-rule-sentences.ts).
 */
import assert from "node:assert/strict";
import { RULE_SENTENCES } from "../../web/src/errors/error-messages.ts";
import { RULE_SENTENCES_RU as SPA_RULE_SENTENCES_RU } from "../../web/src/errors/rule-sentences-ru.ts";
import {
  RULE_SENTENCES as FUNCTIONS_COPY,
  RULE_SENTENCES_RU as FUNCTIONS_COPY_RU,
} from "../../supabase/functions/_shared/rule-sentences.ts";
import {
  createMessages,
  pickLanguage,
  RULE_SENTENCES_RU,
  ruleSentence,
} from "../../supabase/functions/telegram-webhook/messages/index.ts";
import { RULE_SENTENCES_PATH, ruleSentencesModule } from "../../scripts/gen-rule-sentences.ts";
import { REMINDER_WORDS } from "../../supabase/functions/reminders/message.ts";
import { HABIT_WORDS } from "../../supabase/functions/_shared/habit-text.ts";
import { DIGEST_WORDS } from "../../supabase/functions/reminders/digest.ts";

/** The argument lists message functions are tried with (they take text, numbers or both). */
const SAMPLE_ARGUMENTS: unknown[][] = [[3, 5, "z"], ["x", "y", "z"], [3, "12:00", "Europe/Berlin"], [
  "x",
  3,
  5,
  "✅",
  true,
]];
/** Methods that only assemble translated leaves (lists of habits); rendered by the chat tests. */
const ASSEMBLERS = new Set([
  ".habitPages",
  ".today",
  ".linkResult",
  ".doneTodayButton",
  ".doneRecorded",
  ".clock",
]);

/** Every leaf of a catalogue, rendered (functions with the first sample arguments they accept). */
function leaves(value: unknown, path = ""): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof value === "string") found.set(path, value);
  else if (typeof value === "function") {
    if (ASSEMBLERS.has(path)) return found;
    const rendered = SAMPLE_ARGUMENTS.map((args) => {
      try {
        return value(...args);
      } catch {
        return undefined;
      }
    }).find((text) => typeof text === "string");
    found.set(path, rendered ?? "");
  } else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      for (const [leaf, text] of leaves(inner, `${path}.${key}`)) found.set(leaf, text);
    }
  }
  return found;
}

const messages = createMessages("https://habits.example");
const catalogues = {
  "bot messages": [messages("en"), messages("ru")],
  "reminders": [REMINDER_WORDS.en, REMINDER_WORDS.ru],
  "habit sentences": [HABIT_WORDS.en, HABIT_WORDS.ru],
  "weekly digest": [DIGEST_WORDS.en, DIGEST_WORDS.ru],
} as const;

for (const [name, [english, russian]] of Object.entries(catalogues)) {
  Deno.test(`every bot message (${name}) has a Russian translation that is not the English text`, () => {
    const en = leaves(english);
    const ru = leaves(russian);
    assert.deepEqual([...ru.keys()].sort(), [...en.keys()].sort());
    for (const [key, text] of ru) {
      assert.ok(text.trim().length > 0, `${key} is empty in Russian`);
      assert.ok(/[а-яё]/i.test(text), `${key} has no Russian words: ${text}`);
    }
  });
}

Deno.test("every habit rule the bot can meet has a Russian sentence", () => {
  const habitRules = Object.keys(RULE_SENTENCES).filter((rule) => rule.startsWith("habits_"));
  assert.ok(habitRules.length > 10);
  for (const rule of habitRules) {
    assert.ok(RULE_SENTENCES_RU[rule], `${rule} has no Russian sentence`);
    assert.equal(ruleSentence(rule, "en"), RULE_SENTENCES[rule]);
  }
  assert.equal(ruleSentence("no_such_rule", "ru"), messages("ru").unknownRule);
});

Deno.test("the functions' rule sentences are the SPA's, in both languages (run scripts/gen-rule-sentences.ts)", async () => {
  assert.deepEqual(FUNCTIONS_COPY, RULE_SENTENCES);
  assert.deepEqual(FUNCTIONS_COPY_RU, SPA_RULE_SENTENCES_RU);
  assert.equal(
    await Deno.readTextFile(RULE_SENTENCES_PATH),
    await ruleSentencesModule(RULE_SENTENCES, SPA_RULE_SENTENCES_RU),
  );
});

Deno.test("the language: the profile's when set, else Telegram's language_code, else English", () => {
  assert.equal(pickLanguage("ru", "en"), "ru");
  assert.equal(pickLanguage("en", "ru"), "en");
  assert.equal(pickLanguage(null, "ru-RU"), "ru");
  assert.equal(pickLanguage(null, "uk"), "en");
  assert.equal(pickLanguage(undefined, undefined), "en");
});
