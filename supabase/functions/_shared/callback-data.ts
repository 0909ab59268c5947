import { z } from "zod";

/**
 * The inline buttons reminders carry. Telegram limits callback_data to 64 bytes, so a button
 * names only its action and the notification (the reminder message) it belongs to; the
 * notification leads to the habit, the occurrence and the chat allowed to press it.
 */
export type ReminderButton = { action: "done" | "snooze"; notificationId: bigint };

/** The largest notification id: Postgres bigint. Larger numbers are refused before any SQL. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

const buttonPattern = z.string().regex(/^(done|snooze):([1-9][0-9]{0,18})$/);

export function encodeReminderButton(button: ReminderButton): string {
  return `${button.action}:${button.notificationId}`;
}

/** The button a callback names, or null when the data is not a valid reminder button. */
export function decodeReminderButton(data: string | undefined): ReminderButton | null {
  const parsed = buttonPattern.safeParse(data);
  if (!parsed.success) return null;
  const [action, id] = parsed.data.split(":");
  const notificationId = BigInt(id);
  if (notificationId > MAX_BIGINT) return null;
  return { action: action as ReminderButton["action"], notificationId };
}

/** The /habits page buttons: "habits:<page>", page 0-999. */
export function encodeHabitsPage(page: number): string {
  return `habits:${page}`;
}

export function decodeHabitsPage(data: string | undefined): number | null {
  const match = data?.match(/^habits:([0-9]{1,3})$/);
  return match ? Number(match[1]) : null;
}
