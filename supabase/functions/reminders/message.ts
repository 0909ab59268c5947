import { InlineKeyboard } from "grammy";
import { callBotApi, type TelegramSettings } from "../_shared/telegram.ts";
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
