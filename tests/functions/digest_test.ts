import assert from "node:assert/strict";
import { expect } from "expect";
import { composeDigest, DIGEST_WORDS, type DigestHabit } from "../../supabase/functions/reminders/digest.ts";
import { shorten, visibleLength } from "../../supabase/functions/_shared/telegram-length.ts";

const habit = (action: string, marks: string, streak = 0, paused = false): DigestHabit => ({
  action,
  is_paused: paused,
  streak,
  week_marks: marks,
  week_done: [...marks].filter((mark) => mark === "✅").length,
  week_due: [...marks].filter((mark) => mark === "✅" || mark === "❌").length,
});

Deno.test("the digest shows each week as marks, kept and lost streaks, the best week and tied encouragement", () => {
  const text = composeDigest([
    habit("read", "✅✅✅✅✅✅✅", 12),
    habit("run", "✅❌✅❌❌", 0),
    habit("stretch", "✅✅✅⏳", 5),
  ], "en");
  const en = DIGEST_WORDS.en;
  expect(text).toContain("• <b>read</b> ✅✅✅✅✅✅✅ 7/7");
  expect(text).toContain("• <b>run</b> ✅❌✅❌❌ 2/5");
  expect(text).toContain(en.kept("<b>read</b>, <b>stretch</b>"));
  expect(text).toContain(en.lost("<b>run</b>"));
  expect(text).toContain(en.best("read", 7, 7));
  // 12 of 15 done (80%): the line names the habit missed most.
  expect(text).toContain(en.strong(12, 15, 80, "run"));
});

Deno.test("the encouragement follows the numbers: perfect, some, none, nothing due", () => {
  const en = DIGEST_WORDS.en;
  expect(composeDigest([habit("read", "✅✅✅", 3)], "en")).toContain(en.perfect(3));
  expect(composeDigest([habit("read", "✅❌❌❌"), habit("run", "❌❌")], "en")).toContain(
    en.some(1, 6, "read"),
  );
  expect(composeDigest([habit("read", "❌❌"), habit("run", "❌❌❌")], "en")).toContain(en.none("run"));
  expect(composeDigest([habit("read", "⏳")], "en")).toContain(en.nothingDue);
  expect(composeDigest([habit("read", "✅✅✅", 3)], "ru")).toContain(DIGEST_WORDS.ru.perfect(3));
});

Deno.test("a digest of 100 long-named habits stays one Telegram message", () => {
  const many = Array.from(
    { length: 100 },
    (_, i) => habit(`${i} ${"<long & name> ".repeat(15)}`, "✅❌✅❌✅❌✅"),
  );
  for (const language of ["en", "ru"] as const) {
    const text = composeDigest(many, language);
    assert.ok(visibleLength(text) <= 4096, `${visibleLength(text)} characters after entity parsing`);
    expect(text).toContain(DIGEST_WORDS[language].more(60));
    assert.ok(!text.includes("<long"), "user text is escaped");
  }
});

// Telegram's limit counts the text after entity parsing (core.telegram.org/bots/api#sendmessage:
// "1-4096 characters after entities parsing"), not the HTML: a digest whose escaped names make
// the HTML longer than 4096 characters was cut there, mid-sentence, and could be cut inside a tag
// or an entity, which Telegram refuses (400 can't parse entities) so the digest never arrived.
Deno.test("a digest whose HTML is longer than 4096 characters is not cut while its text fits", () => {
  const many = Array.from(
    { length: 100 },
    (_, i) => habit(`Drink water & stretch <${i}> "every" morning & night`, "✅❌✅❌✅❌✅"),
  );
  const text = composeDigest(many, "en");
  assert.ok(text.length > 4096, `the HTML is ${text.length} characters`);
  assert.ok(visibleLength(text) <= 4096, `the text is ${visibleLength(text)} characters`);
  assert.ok(
    text.endsWith(DIGEST_WORDS.en.some(400, 700, shorten(many[0].action, 40))),
    `ends with ${JSON.stringify(text.slice(-80))}`,
  );
});
