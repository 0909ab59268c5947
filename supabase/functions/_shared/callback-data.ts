import { z } from "zod";

/**
 * The inline buttons reminders carry. Telegram limits callback_data to 64 bytes, so a button
 * names only its action and the notification (the reminder message) it belongs to; the
 * notification leads to the habit, the occurrence and the chat allowed to press it.
 */
export type ReminderButton = { action: "done" | "snooze"; notificationId: bigint };

const buttonPattern = z.string().regex(/^(done|snooze):([1-9][0-9]{0,18})$/);

export function encodeReminderButton(button: ReminderButton): string {
  return `${button.action}:${button.notificationId}`;
}

/** The button a callback names, or null when the data is not a reminder button. */
export function decodeReminderButton(data: string | undefined): ReminderButton | null {
  const parsed = buttonPattern.safeParse(data);
  if (!parsed.success) return null;
  const [action, id] = parsed.data.split(":");
  return { action: action as ReminderButton["action"], notificationId: BigInt(id) };
}
