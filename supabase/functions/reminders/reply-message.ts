import { InlineKeyboard } from "grammy";
import type { Database } from "../_shared/db.ts";
import type { ClaimedNotification, OutgoingMessage, ReplyPart } from "./notification.ts";

/** Adds to each claimed `reply` its text and buttons: one query per claim, none without replies. */
export async function withReplyParts(
  db: Database,
  claimed: ClaimedNotification[],
): Promise<ClaimedNotification[]> {
  const ids = claimed.filter((n) => n.kind === "reply").map((n) => n.id.toString());
  if (ids.length === 0) return claimed;
  const rows = await db<({ notification_id: bigint } & ReplyPart)[]>`
    select notification_id, text, reply_markup from private.reply_parts(${ids}::bigint[])`;
  const byId = new Map(rows.map((row) => [row.notification_id.toString(), row]));
  return claimed.map((n) => n.kind === "reply" ? { ...n, reply: byId.get(n.id.toString()) ?? null } : n);
}

/** The message of a queued reply part: its HTML as the webhook wrote it, and its buttons. */
export function composeReply(notification: ClaimedNotification): OutgoingMessage {
  const part = notification.reply;
  if (!part) throw new Error(`reply ${notification.id}: its text is missing`);
  return {
    text: part.text,
    ...(part.reply_markup ? { keyboard: new InlineKeyboard(part.reply_markup.inline_keyboard) } : {}),
  };
}
