import { escapeHtml } from "../_shared/html.ts";
import type { Language } from "../_shared/language.ts";
import { shorten, visibleLength } from "../_shared/telegram-length.ts";

/** One habit's week, from private.habit_streaks. */
export interface DigestHabit {
  action: string;
  is_paused: boolean;
  streak: number;
  week_marks: string;
  week_done: number;
  week_due: number;
}

/**
 * Telegram's limit on a message, counted after entity parsing (the text, not its HTML); the
 * digest stays under it however many habits there are, by listing fewer of them, never by a cut.
 */
const TELEGRAM_TEXT_LIMIT = 4096;
const MAX_HABIT_LINES = 40;
const MAX_NAMES = 8;

const b = (text: string) => `<b>${escapeHtml(text)}</b>`;

/** What the digest says, per language (tests/functions/bot_language_test.ts checks both exist). */
export const DIGEST_WORDS = {
  en: {
    heading: "📅 <b>Your week</b>",
    more: (n: number) => `…and ${n} more`,
    kept: (names: string) => `🔥 Streaks kept: ${names}`,
    lost: (names: string) => `💔 Streaks lost: ${names}`,
    best: (action: string, done: number, due: number) => `🏆 Best week: ${b(action)} (${done} of ${due})`,
    perfect: (due: number) => `A perfect week: all ${due} done. Keep the chain going!`,
    strong: (done: number, due: number, percent: number, action: string) =>
      `You did ${done} of ${due} (${percent}%). Bring ${b(action)} back next week and it is perfect.`,
    some: (done: number, due: number, action: string) =>
      `You did ${done} of ${due}. Next week, do just ${b(action)} first: one habit at a time.`,
    none: (action: string) => `No marks this week. Tomorrow is a fresh start: begin with ${b(action)}.`,
    nothingDue: "Nothing was due this week. Send /new to start a habit.",
  },
  ru: {
    heading: "📅 <b>Ваша неделя</b>",
    more: (n: number) => `…и ещё ${n}`,
    kept: (names: string) => `🔥 Серии сохранены: ${names}`,
    lost: (names: string) => `💔 Серии прервались: ${names}`,
    best: (action: string, done: number, due: number) => `🏆 Лучшая неделя: ${b(action)} (${done} из ${due})`,
    perfect: (due: number) => `Идеальная неделя: выполнено все ${due}. Продолжайте цепочку!`,
    strong: (done: number, due: number, percent: number, action: string) =>
      `Выполнено ${done} из ${due} (${percent}%). Верните ${
        b(action)
      } на следующей неделе — и будет идеально.`,
    some: (done: number, due: number, action: string) =>
      `Выполнено ${done} из ${due}. На следующей неделе начните с ${b(action)}: по одной привычке.`,
    none: (action: string) => `На этой неделе отметок нет. Завтра новый день: начните с ${b(action)}.`,
    nothingDue: "На этой неделе ничего не было запланировано. Отправьте /new, чтобы начать привычку.",
  },
} satisfies Record<Language, unknown>;

const short = (action: string) => shorten(action, 40);
const names = (habits: DigestHabit[], w: (typeof DIGEST_WORDS)["en"]) =>
  habits.slice(0, MAX_NAMES).map((habit) => b(short(habit.action))).join(", ") +
  (habits.length > MAX_NAMES ? ` ${w.more(habits.length - MAX_NAMES)}` : "");

/**
 * The weekly digest: each habit's week as marks, the streaks kept and lost, the best week, and
 * one line of encouragement chosen from the numbers. Always one message within Telegram's limit.
 */
export function composeDigest(
  habits: DigestHabit[],
  language: Language,
  lineLimit = MAX_HABIT_LINES,
): string {
  const w = DIGEST_WORDS[language];
  const active = habits.filter((habit) => habit.week_due > 0);
  const lines = habits.slice(0, lineLimit).map((habit) =>
    `• ${b(short(habit.action))}${habit.is_paused ? " ⏸" : ""} ${habit.week_marks || "—"}` +
    (habit.week_due > 0 ? ` ${habit.week_done}/${habit.week_due}` : "")
  );
  if (habits.length > lineLimit) lines.push(w.more(habits.length - lineLimit));
  const kept = active.filter((habit) => habit.week_done === habit.week_due && habit.streak > 0);
  const lost = active.filter((habit) => habit.week_done < habit.week_due);
  const text = [w.heading, "", ...lines, ""];
  if (kept.length > 0) text.push(w.kept(names(kept, w)));
  if (lost.length > 0) text.push(w.lost(names(lost, w)));
  const ratio = (habit: DigestHabit) => habit.week_done / habit.week_due;
  const best = [...active].sort((x, y) => ratio(y) - ratio(x) || y.week_done - x.week_done)[0];
  if (best && best.week_done > 0) text.push(w.best(short(best.action), best.week_done, best.week_due));
  const done = active.reduce((sum, habit) => sum + habit.week_done, 0);
  const due = active.reduce((sum, habit) => sum + habit.week_due, 0);
  // The habit to bring back: the one missed most often this week.
  const weakest = [...lost].sort((x, y) => (y.week_due - y.week_done) - (x.week_due - x.week_done))[0];
  text.push("");
  if (due === 0) text.push(w.nothingDue);
  else if (done === due) text.push(w.perfect(due));
  else if (done === 0) text.push(w.none(short(weakest.action)));
  else if (done / due >= 0.7) {
    text.push(w.strong(done, due, Math.round((100 * done) / due), short(weakest.action)));
  } else text.push(w.some(done, due, short(weakest.action)));
  const message = text.join("\n");
  if (visibleLength(message) <= TELEGRAM_TEXT_LIMIT || lineLimit === 0) return message;
  return composeDigest(habits, language, Math.max(0, lineLimit - 10));
}
