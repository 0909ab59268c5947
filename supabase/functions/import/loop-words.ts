import { formatWallClock, type TimeFormat } from "../_shared/clock.ts";
import type { Language } from "../_shared/language.ts";
import { type Words, words } from "./plan.ts";

// How Loop's habits read here: their action and place, and the report's lines, in both languages.

/**
 * Loop gives no time, place or duration: what imported habits get instead. The place is no place in
 * particular, in the person's language, which sentences write without "in" ("I will meditate at
 * 9:00 AM anywhere", "Я буду медитировать в 09:00, где угодно").
 */
export const LOOP_DEFAULTS = {
  time: "09:00",
  place: { en: "anywhere", ru: "где угодно" } satisfies Record<Language, string>,
  duration_seconds: 60,
};

/** Who imports: report lines are in their language, times in their time format. */
export interface Importer {
  language: Language;
  timeFormat: TimeFormat;
}

/** A question-style name or Loop question: "Did you meditate today?" asks about "meditate". */
const QUESTION = /^did you\s+(.+?)(?:\s+today)?\s*\?$/i;

/**
 * A Loop habit as the action of "I will …": what its question asks about ("Did you go to the gym
 * today?" → "go to the gym"), else its name, the capital of an ordinary first word lowered ("Walk
 * after lunch" → "walk after lunch"); a word in capitals or mixed case ("NASA", "iOS") is kept.
 */
export function loopAction(name: string, question = ""): string {
  const trimmed = name.trim();
  const action = QUESTION.exec(question.trim())?.[1] ?? QUESTION.exec(trimmed)?.[1] ?? trimmed;
  const first = action.split(/\s/)[0];
  const ordinary = first.length > 1 && first.slice(1) === first.slice(1).toLowerCase();
  return ordinary ? action[0].toLowerCase() + action.slice(1) : action;
}

/** Whether the habit's action was read from its Loop question (so the question is not "not imported"). */
export const questionUsed = (question: string | undefined) => QUESTION.test((question ?? "").trim());

/**
 * The lines of a Loop import's report, in both languages: what did not map and what was done
 * instead. Each names the file, the line and the habit ("Habits.csv line 3 (Walk)").
 */
export function loopReport(file: string, line: number, name: string) {
  const en = `${file} line ${line} (${name})`;
  const ru = `${file}, строка ${line} (${name})`;
  const every = (days: number) => words(days === 1 ? "every day" : `every ${days} days`, `раз в ${days} дн.`);
  return {
    frequency: (times: number, days: number, interval: number): Words =>
      words(
        `${en}: ${times} times in ${days} days is not a frequency we allow (every 1 to 7 days); ` +
          `imported as ${every(interval).en}`,
        `${ru}: ${times} раз за ${days} дн. — такой частоты здесь нет (раз в 1–7 дней); ` +
          `импортирована как ${interval === 1 ? "каждый день" : every(interval).ru}`,
      ),
    numerical: (): Words =>
      words(
        `${en}: a numerical habit; imported as yes/no, a day with an amount above 0 counts as done`,
        `${ru}: числовая привычка; импортирована как «да/нет», день с количеством больше 0 считается выполненным`,
      ),
    archived: (): Words =>
      words(
        `${en}: archived; imported paused`,
        `${ru}: в архиве; импортирована на паузе`,
      ),
    unmapped: (columns: string): Words =>
      words(
        `${en}: ${columns}: no equivalent, not imported`,
        `${ru}: ${columns}: здесь такого нет, не импортировано`,
      ),
    renamed: (action: string): Words =>
      words(
        `${en}: the action is "${action}" ("I will ${action} …")`,
        `${ru}: действие — «${action}» («Я буду ${action} …»)`,
      ),
    defaults: (
      { time, place, seconds }: { time: string; place: Words; seconds: number },
      format: TimeFormat,
    ): Words =>
      words(
        `${en}: no time, place or duration in Loop's export; set to ${
          formatWallClock(time, "en", format)
        }, "${place.en}", ${seconds} s`,
        `${ru}: в экспорте Loop нет времени, места и длительности; поставлено ${
          formatWallClock(time, "ru", format)
        }, «${place.ru}», ${seconds} с`,
      ),
  };
}

/** A checked day that is not one of the habit's occurrences. */
export function offGridLine(
  file: string,
  line: number,
  checked: { name: string; day: string; interval: number; startsOn: string },
): Words {
  const { name, day, interval, startsOn } = checked;
  return words(
    `${file} line ${line} (${name}, ${day}): not on the every-${interval}-days grid starting ${startsOn}; not imported`,
    `${file}, строка ${line} (${name}, ${day}): не в сетке «раз в ${interval} дн.» от ${startsOn}; не импортировано`,
  );
}
