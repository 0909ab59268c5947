import { InlineKeyboard } from "grammy";
import { encodeReminderButton } from "../_shared/callback-data.ts";
import { escapeHtml } from "../_shared/html.ts";
import { formatClock, formatInterval, habitFollowUp, habitSentence } from "../_shared/habit-text.ts";
import type { ClaimedNotification } from "./store.ts";

export interface OutgoingMessage {
  text: string;
  keyboard?: InlineKeyboard;
}

/** The Telegram message for an outbox row: the "habit created" note or a reminder with buttons. */
export function composeMessage(notification: ClaimedNotification): OutgoingMessage {
  const habit = { ...notification, time: notification.local_time };
  const followUp = habitFollowUp(habit);
  if (notification.kind === "habit_created") {
    return {
      text: [
        `🆕 <b>New habit</b>`,
        `${habitSentence(habit)}, ${formatInterval(notification.interval_days)}.`,
        `It takes ${notification.duration_seconds} s. I'll remind you here at ${
          formatClock(notification.local_time)
        } (${escapeHtml(notification.timezone)}).`,
        ...(followUp ? [followUp] : []),
      ].join("\n"),
    };
  }
  const heading = notification.kind === "snoozed_reminder"
    ? "⏰ <b>Reminder (snoozed)</b>"
    : "⏰ <b>Time for your habit</b>";
  return {
    text: [
      heading,
      `${habitSentence(habit)}.`,
      `It takes just ${notification.duration_seconds} s.`,
      ...(followUp ? [`Afterwards: ${followUp}`] : []),
    ].join("\n"),
    keyboard: new InlineKeyboard()
      .text("✅ Done", encodeReminderButton({ action: "done", notificationId: notification.id }))
      .text("⏰ Snooze 15 min", encodeReminderButton({ action: "snooze", notificationId: notification.id })),
  };
}
