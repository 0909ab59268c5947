/** The SPA's habit schema (web/src/habits/habit-schema.ts) states each rule with the database's sentence. */
import assert from "node:assert/strict";
import { RULE_SENTENCES } from "../../web/src/errors/error-messages.ts";
import { EMPTY_HABIT_FORM, type HabitFormValues, validateHabit } from "../../web/src/habits/habit-schema.ts";

const valid: HabitFormValues = { ...EMPTY_HABIT_FORM, action: "read one page", place: "the sofa" };
const PLEASANT_ID = "6f1c9a52-3b7e-4d2a-9c1e-2f5b8a7d4e10";

function errorsOf(changes: Partial<HabitFormValues>) {
  const result = validateHabit({ ...valid, ...changes });
  return result.ok ? {} : result.errors;
}

Deno.test("a valid habit becomes the row to insert", () => {
  const result = validateHabit({ ...valid, action: "  read one page ", reward: "" });
  assert.ok(result.ok);
  assert.deepEqual(result.row, {
    action: "read one page",
    place: "the sofa",
    time: "07:00",
    interval_days: 1,
    duration_seconds: 60,
    is_pleasant: false,
    reward: null,
    related_habit_id: null,
    is_public: false,
  });
});

Deno.test("each rule is reported on its field with the database's sentence", () => {
  const cases: [Partial<HabitFormValues>, keyof HabitFormValues, string][] = [
    [{ action: " " }, "action", "habits_action_length"],
    [{ action: "x".repeat(201) }, "action", "habits_action_length"],
    [{ place: "" }, "place", "habits_place_length"],
    [{ reward: "r".repeat(201) }, "reward", "habits_reward_length"],
    [{ interval_days: "0" }, "interval_days", "habits_interval_days_range"],
    [{ interval_days: "8" }, "interval_days", "habits_interval_days_range"],
    [{ interval_days: "1.5" }, "interval_days", "habits_interval_days_range"],
    [{ duration_seconds: "121" }, "duration_seconds", "habits_duration_seconds_range"],
    [{ duration_seconds: "0" }, "duration_seconds", "habits_duration_seconds_range"],
    [{ reward: "tea", related_habit_id: PLEASANT_ID }, "reward", "habits_reward_or_related_habit"],
    [{ is_pleasant: true, reward: "tea" }, "is_pleasant", "habits_pleasant_has_no_reward_or_link"],
    [
      { is_pleasant: true, related_habit_id: PLEASANT_ID },
      "is_pleasant",
      "habits_pleasant_has_no_reward_or_link",
    ],
  ];
  for (const [changes, field, identifier] of cases) {
    assert.equal(errorsOf(changes)[field], RULE_SENTENCES[identifier], JSON.stringify(changes));
  }
  assert.ok(errorsOf({ time: "25:00" }).time);
  assert.ok(validateHabit({ ...valid, duration_seconds: "120", interval_days: "7" }).ok);
});
