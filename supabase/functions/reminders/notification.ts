/** The shapes a claimed outbox row takes on its way to Telegram (store.ts claims, message.ts writes). */
import type { InlineKeyboard } from "grammy";
import type { DigestHabit } from "./digest.ts";

/** A claimed outbox row with what is needed to write its message. */
export interface ClaimedNotification {
  id: bigint;
  kind:
    | "habit_created"
    | "reminder"
    | "snoozed_reminder"
    | "weekly_digest"
    | "reply";
  attempts: number;
  due_at: Date;
  habit_id: string;
  chat_id: bigint | null;
  timezone: string;
  action: string;
  place: string;
  local_time: string;
  interval_days: number;
  duration_seconds: number;
  reward: string | null;
  is_pleasant: boolean;
  is_paused: boolean;
  pleasant_action: string | null;
  pleasant_place: string | null;
  /** The profile's language (null: not chosen, English). */
  language: string | null;
  /** The profile's time format (null when the chat was unlinked meanwhile: the language's). */
  time_format: string | null;
  /** The habit's current streak: what is at stake if this one is missed (0 for a "created" note, or
   * when it could not be computed). */
  streak: number;
  /** A weekly digest's habits and their week (null for other kinds, or when it could not be computed). */
  digest: DigestHabit[] | null;
  /** A reply part's text and buttons (kind `reply` only; reply-message.ts). */
  reply?: ReplyPart | null;
}

/** A part of a long reply to a Telegram update, queued by the webhook (kind `reply`). */
export interface ReplyPart {
  text: string;
  reply_markup: {
    inline_keyboard: NonNullable<
      ConstructorParameters<typeof InlineKeyboard>[0]
    >;
  } | null;
}

/** A message ready for Telegram: its HTML and optional buttons. */
export interface OutgoingMessage {
  text: string;
  keyboard?: InlineKeyboard;
}

/** What happened to a claimed message, as private.record_delivery records it. */
export type DeliveryOutcome =
  | { outcome: "sent"; telegramMessageId: number }
  | { outcome: "retry"; error: string; retryAfterSeconds?: number }
  | { outcome: "uncertain"; error: string }
  | { outcome: "rate_limited"; error: string; retryAfterSeconds: number }
  | { outcome: "dead"; error: string }
  | { outcome: "skipped"; error: string }
  | { outcome: "released"; error: string; retryAfterSeconds: number };
