import assert from "node:assert/strict";
import { expect } from "expect";
import { composeDigest, DIGEST_WORDS, type DigestHabit } from "../../supabase/functions/reminders/digest.ts";

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
    assert.ok(text.length <= 4096, `${text.length} characters`);
    expect(text).toContain(DIGEST_WORDS[language].more(60));
    assert.ok(!text.includes("<long"), "user text is escaped");
  }
});
