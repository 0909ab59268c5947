/**
 * Invisible characters are not text: the database (private.trim_blank behind habits_action_length,
 * habits_place_length and habits_reward_length) and the SPA's schema (web/src/habits/blank-text.ts)
 * trim the same class, White_Space, Default_Ignorable_Code_Point and controls, at both ends.
 */
import assert from "node:assert/strict";
import { RULE_SENTENCES } from "../../web/src/errors/error-messages.ts";
import { trimBlank } from "../../web/src/habits/blank-text.ts";
import { EMPTY_HABIT_FORM, validateHabit } from "../../web/src/habits/habit-schema.ts";
import { connectTestDatabase, createTestUser, deleteTestUsers } from "../support/database.ts";

/** Issue 21, symptom 10: each was accepted as a one-character action or place. */
const INVISIBLE: [string, number[]][] = [
  ["LRM and RLM", [0x200e, 0x200f]],
  ["bidi controls", [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]],
  ["soft hyphen and combining grapheme joiner", [0x00ad, 0x034f]],
  ["Arabic letter mark", [0x061c]],
  ["Hangul fillers", [0x115f, 0x1160, 0x3164, 0xffa0]],
  ["invisible operators", [0x2061, 0x2062, 0x2063, 0x2064]],
  ["variation selectors", [0xfe00, 0xfe0f, 0xe0100, 0xe01ef]],
  ["tag characters", [0xe0000, 0xe0001, 0xe0020, 0xe0041, 0xe007f]],
];

Deno.test("an invisible character is not an action or a place, in the database and in the form", async () => {
  const sql = connectTestDatabase();
  const user = await createTestUser(sql);
  try {
    for (const [label, codePoints] of INVISIBLE) {
      for (const codePoint of codePoints) {
        const text = String.fromCodePoint(codePoint);
        const name = `${label} U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
        for (const column of ["action", "place"] as const) {
          const row = { action: "read", place: "desk", [column]: text };
          const refused = await sql
            .begin(async (tx) => {
              await tx`select set_config('role', 'authenticated', true),
              set_config('request.jwt.claims', ${
                JSON.stringify({
                  sub: user.id,
                  role: "authenticated",
                })
              }, true)`;
              await tx`insert into public.habits (action, place, time, duration_seconds)
              values (${row.action}, ${row.place}, '07:00', 60)`;
            })
            .then(
              () => null,
              (error) => error.constraint_name ?? String(error),
            );
          assert.equal(refused, `habits_${column}_length`, `${name} as the ${column}`);
          const form = validateHabit({ ...EMPTY_HABIT_FORM, ...row });
          assert.ok(!form.ok, `${name} as the ${column} in the form`);
          assert.equal(form.errors[column], RULE_SENTENCES[`habits_${column}_length`], name);
        }
      }
    }
  } finally {
    await deleteTestUsers(sql, [user]);
    await sql.end();
  }
});

Deno.test(
  "the form trims exactly what the database trims, for every code point and around emoji",
  async () => {
    const sql = connectTestDatabase();
    try {
      // Every code point alone (no NUL, no surrogates): blank in both, or in neither.
      const blankInDatabase = new Set(
        (
          await sql<{ cp: number }[]>`
        select cp from generate_series(1, 1114111) cp
        where (cp < 55296 or cp > 57343) and private.trim_blank(chr(cp)) = ''`
        ).map((row) => row.cp),
      );
      const disagreements: string[] = [];
      for (let cp = 1; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        if ((trimBlank(String.fromCodePoint(cp)) === "") !== blankInDatabase.has(cp)) {
          disagreements.push(`U+${cp.toString(16).toUpperCase()}`);
        }
      }
      assert.deepEqual(disagreements, []);
      // Around visible text: selectors and tags that end an emoji stay, the rest goes.
      const samples = [
        " \u200e read \u202e\u2066",
        "\u2764\ufe0f ",
        "x \ufe0f",
        "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}\u00a0",
        "\u3164a\u00adb\u00ad",
        "a\u200b\ufe0f",
        "\u0001tab\t",
      ];
      for (const sample of samples) {
        const [{ trimmed }] = await sql<
          { trimmed: string }[]
        >`select private.trim_blank(${sample}) as trimmed`;
        assert.equal(trimBlank(sample), trimmed, JSON.stringify(sample));
      }
      assert.equal(trimBlank("\u2764\ufe0f "), "\u2764\ufe0f");
      assert.equal(trimBlank("x \ufe0f"), "x");
    } finally {
      await sql.end();
    }
  },
);
