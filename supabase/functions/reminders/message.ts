import { InlineKeyboard } from "grammy";
import { callBotApi, type TelegramSettings } from "../_shared/telegram.ts";
import { encodeReminderButton } from "../_shared/callback-data.ts";
import { escapeHtml } from "../_shared/html.ts";
import { pickTimeFormat } from "../_shared/clock.ts";
import { formatClock, formatInterval, habitFollowUp, habitSentence } from "../_shared/habit-text.ts";
import { type Language, pickLanguage } from "../_shared/language.ts";
import type { ClaimedNotification, OutgoingMessage } from "./notification.ts";
import { composeDigest } from "./digest.ts";
import { composeReply } from "./reply-message.ts";

export type { OutgoingMessage };

/** What reminders say, per language (tests/functions/bot_language_test.ts checks both exist). */
export const REMINDER_WORDS = {
  en: {
    created: "🆕 <b>New habit</b>",
    remindAt: (seconds: number, clock: string, zone: string) =>
      `It takes ${seconds} s. I'll remind you here at ${clock} (${escapeHtml(zone)}).`,
    snoozed: "⏰ <b>Reminder (snoozed)</b>",
    due: "⏰ <b>Time for your habit</b>",
    takes: (seconds: number) => `It takes just ${seconds} s.`,
    afterwards: (followUp: string) => `Afterwards: ${followUp}`,
    atStake: (streak: number) => `🔥 Your streak of ${streak} is at stake.`,
    done: "✅ Done",
    snooze: "⏰ Snooze 15 min",
  },
  ru: {
    created: "🆕 <b>Новая привычка</b>",
    remindAt: (seconds: number, clock: string, zone: string) =>
      `Это займёт ${seconds} с. Я напомню здесь в ${clock} (${escapeHtml(zone)}).`,
    snoozed: "⏰ <b>Напоминание (отложенное)</b>",
    due: "⏰ <b>Время для привычки</b>",
    takes: (seconds: number) => `Это займёт всего ${seconds} с.`,
    afterwards: (followUp: string) => `Потом: ${followUp}`,
    atStake: (streak: number) => `🔥 На кону ваша серия: ${streak} подряд.`,
    done: "✅ Готово",
    snooze: "⏰ Отложить на 15 мин",
  },
} satisfies Record<Language, unknown>;

/** The Telegram message for an outbox row: the "habit created" note, a reminder with buttons, a digest, or a reply part. */
export function composeMessage(notification: ClaimedNotification): OutgoingMessage {
  if (notification.kind === "reply") return composeReply(notification);
  const language = pickLanguage(notification.language, undefined);
  if (notification.kind === "weekly_digest") {
    return { text: composeDigest(notification.digest ?? [], language) };
  }
  const w = REMINDER_WORDS[language];
  const format = pickTimeFormat(notification.time_format);
  const habit = { ...notification, time: notification.local_time };
  const followUp = habitFollowUp(habit, language);
  if (notification.kind === "habit_created") {
    return {
      text: [
        w.created,
        `${habitSentence(habit, language, format)}, ${formatInterval(notification.interval_days, language)}.`,
        w.remindAt(
          notification.duration_seconds,
          formatClock(notification.local_time, language, format),
          notification.timezone,
        ),
        ...(followUp ? [followUp] : []),
      ].join("\n"),
    };
  }
  return {
    text: [
      notification.kind === "snoozed_reminder" ? w.snoozed : w.due,
      `${habitSentence(habit, language, format)}.`,
      w.takes(notification.duration_seconds),
      ...(followUp ? [w.afterwards(followUp)] : []),
      ...(notification.streak > 0 ? [w.atStake(notification.streak)] : []),
    ].join("\n"),
    keyboard: new InlineKeyboard()
      .text(w.done, encodeReminderButton({ action: "done", notificationId: notification.id }))
      .text(w.snooze, encodeReminderButton({ action: "snooze", notificationId: notification.id })),
  };
}
/** Sends one message with native fetch and a deadline (exactly one request); returns its id. */
export async function sendTelegramMessage(
  telegram: TelegramSettings,
  chatId: string,
  message: OutgoingMessage,
  paidBroadcast = false,
): Promise<number> {
  const sent = await callBotApi<{ message_id: number }>(telegram, "sendMessage", {
    chat_id: chatId,
    text: message.text,
    parse_mode: "HTML",
    link_preview_options: { is_disabled: true },
    ...(message.keyboard ? { reply_markup: message.keyboard } : {}),
    ...(paidBroadcast ? { allow_paid_broadcast: true } : {}),
  });
  return sent.message_id;
}
