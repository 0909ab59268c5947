import { RULE_SENTENCES, RULE_SENTENCES_RU } from "../_shared/rule-sentences.ts";

export { RULE_SENTENCES_RU };
import { escapeHtml } from "../_shared/html.ts";

import type { Language } from "../_shared/language.ts";

export { type Language, pickLanguage } from "../_shared/language.ts";

const b = (text: string) => `<b>${escapeHtml(text)}</b>`;

/** Everything the habit conversations, /stats and the pickers say. All strings are Telegram HTML. */
const en = {
  askAction: "🆕 New habit. What will you do? Send the action, e.g. <i>read one page</i>.\n\n/cancel stops.",
  askTime: "At what time (your local time)? Pick one or send it as HH:MM, e.g. 07:30.",
  askPlace: "Where? Send the place, e.g. <i>the kitchen</i>.",
  askInterval: "How often?",
  askDuration: "How long does it take? Pick one or send the seconds (1 to 120).",
  askFollowUp: "Anything to enjoy afterwards? A reward, one of your pleasant habits, or nothing.",
  askReward: "Send the reward, e.g. <i>a cup of tea</i>.",
  badTime: "Send the time as HH:MM (00:00 to 23:59), e.g. 07:30.",
  badNumber: "Send a whole number, or press a button.",
  useButtons: "Press one of the buttons above, or /cancel.",
  created: (action: string) => `✅ Created: ${b(action)}. I'll remind you at its time.`,
  cancelled: "OK, cancelled. Nothing was changed.",
  nothingToCancel: "There is nothing to cancel.",
  everyDays: (days: number) => days === 1 ? "Every day" : days === 7 ? "Every week" : `Every ${days} days`,
  seconds: (n: number) => `${n} s`,
  noFollowUp: "Nothing",
  rewardButton: "🎁 A reward",
  cancelButton: "✖ Cancel",
  previous: "◀ Previous",
  next: "Next ▶",
  pickHeading: {
    edit: "Which habit do you want to change?",
    pause: "Which habit do you want to pause?",
    resume: "Which habit do you want to resume?",
    delete: "Which habit do you want to delete?",
  },
  noneToPick: {
    edit: "You have no habits yet. Send /new to create one.",
    pause: "No running habit to pause.",
    resume: "No paused habit to resume.",
    delete: "You have no habits yet. Send /new to create one.",
  },
  page: (page: number, pages: number) => pages > 1 ? ` (page ${page} of ${pages})` : "",
  askField: (action: string) => `What do you want to change in ${b(action)}?`,
  fields: {
    action: "Action",
    time: "Time",
    place: "Place",
    interval: "How often",
    duration: "Duration",
  },
  edited: (action: string) => `✅ Saved: ${b(action)}.`,
  paused: (action: string) => `⏸ Paused: ${b(action)}. No reminders until you /resume it.`,
  resumed: (action: string) => `▶ Resumed: ${b(action)}. The next reminder comes at its next time.`,
  deleteQuestion: (action: string) => `Delete ${b(action)} and its history? This cannot be undone.`,
  deleteYes: "Yes, delete",
  deleteNo: "No, keep it",
  deleted: (action: string) => `🗑 Deleted: ${b(action)}.`,
  kept: "OK, the habit stays.",
  gone: "This habit no longer exists.",
  statsHeading: "Your streaks",
  statsLine: (
    action: string,
    streak: number,
    best: number,
    marks: string,
    paused: boolean,
  ) => `${b(action)}${paused ? " ⏸" : ""}\n   streak ${streak}, best ${best}  ${marks || "—"}`,
  statsEmpty: "You have no habits yet. Send /new to create one.",
  streakNow: (streak: number) => `🔥 Streak: ${streak} in a row.`,
  unknownRule: "This breaks one of the habit rules. Try another answer.",
  weekdays: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
  digestOn: (day: string, clock: string) =>
    `📅 Weekly digest on: every ${day} at ${clock} (your time). Change the day and time in the settings.`,
  digestOff: "Weekly digest off.",
  digestUsage: (on: boolean, day: string, clock: string) =>
    `The weekly digest is ${on ? `on (${day} at ${clock})` : "off"}. Send /digest on or /digest off.`,
};

export type Catalogue = typeof en;

const ru: Catalogue = {
  askAction:
    "🆕 Новая привычка. Что вы будете делать? Отправьте действие, например <i>прочитать одну страницу</i>.\n\n/cancel — отмена.",
  askTime: "В какое время (по вашему местному времени)? Выберите или отправьте ЧЧ:ММ, например 07:30.",
  askPlace: "Где? Отправьте место, например <i>на кухне</i>.",
  askInterval: "Как часто?",
  askDuration: "Сколько это занимает? Выберите или отправьте число секунд (от 1 до 120).",
  askFollowUp: "Чем порадовать себя после? Награда, одна из ваших приятных привычек или ничего.",
  askReward: "Отправьте награду, например <i>чашка чая</i>.",
  badTime: "Отправьте время как ЧЧ:ММ (от 00:00 до 23:59), например 07:30.",
  badNumber: "Отправьте целое число или нажмите кнопку.",
  useButtons: "Нажмите одну из кнопок выше или /cancel.",
  created: (action) => `✅ Создано: ${b(action)}. Я напомню в назначенное время.`,
  cancelled: "Хорошо, отменено. Ничего не изменилось.",
  nothingToCancel: "Нечего отменять.",
  everyDays: (days) => days === 1 ? "Каждый день" : days === 7 ? "Каждую неделю" : `Раз в ${days} дн.`,
  seconds: (n) => `${n} с`,
  noFollowUp: "Ничего",
  rewardButton: "🎁 Награда",
  cancelButton: "✖ Отмена",
  previous: "◀ Назад",
  next: "Далее ▶",
  pickHeading: {
    edit: "Какую привычку изменить?",
    pause: "Какую привычку приостановить?",
    resume: "Какую привычку возобновить?",
    delete: "Какую привычку удалить?",
  },
  noneToPick: {
    edit: "У вас пока нет привычек. Отправьте /new, чтобы создать.",
    pause: "Нет активных привычек, которые можно приостановить.",
    resume: "Нет приостановленных привычек.",
    delete: "У вас пока нет привычек. Отправьте /new, чтобы создать.",
  },
  page: (page, pages) => pages > 1 ? ` (страница ${page} из ${pages})` : "",
  askField: (action) => `Что изменить в ${b(action)}?`,
  fields: {
    action: "Действие",
    time: "Время",
    place: "Место",
    interval: "Как часто",
    duration: "Длительность",
  },
  edited: (action) => `✅ Сохранено: ${b(action)}.`,
  paused: (action) => `⏸ Приостановлено: ${b(action)}. Напоминаний не будет, пока вы не отправите /resume.`,
  resumed: (action) => `▶ Возобновлено: ${b(action)}. Следующее напоминание придёт в назначенное время.`,
  deleteQuestion: (action) => `Удалить ${b(action)} вместе с историей? Это нельзя отменить.`,
  deleteYes: "Да, удалить",
  deleteNo: "Нет, оставить",
  deleted: (action) => `🗑 Удалено: ${b(action)}.`,
  kept: "Хорошо, привычка остаётся.",
  gone: "Этой привычки больше нет.",
  statsHeading: "Ваши серии",
  statsLine: (action, streak, best, marks, paused) =>
    `${b(action)}${paused ? " ⏸" : ""}\n   серия ${streak}, лучшая ${best}  ${marks || "—"}`,
  statsEmpty: "У вас пока нет привычек. Отправьте /new, чтобы создать.",
  streakNow: (streak) => `🔥 Серия: ${streak} подряд.`,
  unknownRule: "Это нарушает одно из правил привычек. Попробуйте другой ответ.",
  weekdays: ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
  digestOn: (day, clock) =>
    `📅 Еженедельная сводка включена: каждое ${day} в ${clock} (по вашему времени). День и время меняются в настройках.`,
  digestOff: "Еженедельная сводка выключена.",
  digestUsage: (on, day, clock) =>
    `Еженедельная сводка ${
      on ? `включена (${day}, ${clock})` : "выключена"
    }. Отправьте /digest on или /digest off.`,
};

export const CATALOGUES: Record<Language, Catalogue> = { en, ru };

/** The sentence for a broken habit rule, in `language`. */
export function ruleSentence(rule: string, language: Language): string {
  const sentences = language === "ru" ? RULE_SENTENCES_RU : RULE_SENTENCES;
  return sentences[rule] ?? CATALOGUES[language].unknownRule;
}
