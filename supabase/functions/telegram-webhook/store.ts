import type { Database } from "../_shared/db.ts";
import type { HabitWords } from "../_shared/habit-text.ts";

/** The database calls of the Telegram webhook. Rules live in the private SQL functions. */
export function createWebhookStore(db: Database) {
  return {
    ...updateLedgerQueries(db),
    ...chatLinkQueries(db),
    ...chatHabitQueries(db),
    ...replyQueueQueries(db),
  };
}

/** A part of a long reply, as the reminders dispatcher sends it (HTML, buttons on the last part). */
export type ReplyPart = {
  text: string;
  reply_markup?: { inline_keyboard: unknown[][] };
};

/** Long replies, queued through the outbox once per update. */
function replyQueueQueries(db: Database) {
  return {
    /** Queues the parts; how many were queued (0: this update's reply was queued before; null: chat not linked). */
    async queueReply(
      updateId: number,
      chatId: number,
      parts: ReplyPart[],
    ): Promise<number | null> {
      const [row] = await db<{ queued: number | null }[]>`
        select private.queue_telegram_reply(${updateId}, ${chatId}, ${
        JSON.stringify(parts)
      }::text::jsonb) as queued`;
      return row.queued;
    },
  };
}

/** Each update taken with a lease, and marked handled or released. */
function updateLedgerQueries(db: Database) {
  return {
    /** Takes an update for handling: handle it, or it was handled, or another request has it. */
    async beginUpdate(
      updateId: number,
      leaseSeconds: number,
    ): Promise<"handle" | "handled" | "in_progress"> {
      const [row] = await db<{ state: "handle" | "handled" | "in_progress" }[]>`
        select private.begin_telegram_update(${updateId}, make_interval(secs => ${leaseSeconds})) as state`;
      return row.state;
    },

    /** The update's handling succeeded: Telegram's redeliveries are not handled again. */
    async finishUpdate(updateId: number): Promise<void> {
      await db`select private.finish_telegram_update(${updateId})`;
    },

    /** The update's handling failed: Telegram's redelivery is handled at once. */
    async releaseUpdate(updateId: number): Promise<void> {
      await db`select private.release_telegram_update(${updateId})`;
    },
  };
}

/** Linking and unlinking chats, and the profile a chat is linked to. */
function chatLinkQueries(db: Database) {
  return {
    /**
     * Links the chat to the code's account. A chat linked to another account moves only with
     * `moveConfirmed` (the person pressed Move); without it nothing changes: "linked_elsewhere".
     */
    async linkChat(
      code: string,
      chatId: number,
      username: string | undefined,
      moveConfirmed = false,
    ) {
      const [row] = await db<
        { outcome: LinkOutcome; previous_user_id: string | null }[]
      >`
        select outcome, previous_user_id
        from private.link_telegram_chat(${code}, ${chatId}, ${username ?? null}, ${moveConfirmed})`;
      return row;
    },

    async unlinkChat(chatId: number): Promise<boolean> {
      const [row] = await db<
        { user_id: string | null }[]
      >`select private.unlink_telegram_chat(${chatId}) as user_id`;
      return row.user_id !== null;
    },

    /** Telegram answered 403 for the chat: unlinked, the profile remembers when, its queue stopped. */
    async markChatBlocked(chatId: number): Promise<void> {
      await db`select private.mark_telegram_chat_blocked(${chatId})`;
    },

    async linkedProfile(chatId: number): Promise<LinkedProfile | null> {
      const [row] = await db<LinkedProfile[]>`
        select id, timezone, language, time_format, weekly_digest, digest_weekday,
               digest_time::text as digest_time
        from public.profiles where telegram_chat_id = ${chatId}`;
      return row ?? null;
    },
  };
}

/** The habits of a chat: its list, what is due today, and its Done and Snooze buttons. */
function chatHabitQueries(db: Database) {
  return {
    async habitsOf(userId: string): Promise<HabitWords[]> {
      return await db<HabitWords[]>`
        select h.action, h.place, h.time::text as time, h.interval_days, h.duration_seconds, h.reward,
          pleasant.action as pleasant_action, pleasant.place as pleasant_place
        from public.habits h
        left join public.habits pleasant on pleasant.id = h.related_habit_id
        where h.owner_id = ${userId}
        order by h.time, h.action`;
    },

    async dueToday(chatId: number) {
      return await db<
        {
          habit_id: string;
          action: string;
          place: string;
          local_time: string;
          done: boolean;
        }[]
      >`
        select habit_id, action, place, local_time::text as local_time, done
        from private.habits_due_today_for_chat(${chatId})`;
    },

    /** Done from /today: today's occurrence, early if its time is still ahead. */
    async completeToday(chatId: number, habitId: string) {
      const [row] = await db<
        {
          outcome:
            | "recorded"
            | "already_recorded"
            | "not_found"
            | "paused"
            | "not_due_today";
          habit_action: string | null;
          reward: string | null;
          pleasant_action: string | null;
          pleasant_place: string | null;
        }[]
      >`select * from private.complete_today_from_telegram(${chatId}, ${habitId}::uuid)`;
      return row;
    },

    async completeFromButton(chatId: number, notificationId: bigint) {
      const [row] = await db<
        {
          outcome: ButtonOutcome | "recorded" | "already_recorded" | "paused" | "not_due_today";
          habit_action: string | null;
          reward: string | null;
          pleasant_action: string | null;
          pleasant_place: string | null;
        }[]
      >`select * from private.complete_habit_from_telegram(${chatId}, ${notificationId.toString()}::bigint)`;
      return row;
    },

    async snoozeFromButton(chatId: number, notificationId: bigint) {
      const [row] = await db<
        {
          outcome:
            | ButtonOutcome
            | "snoozed"
            | "already_snoozed"
            | "already_done"
            | "paused";
          due_at: Date | null;
        }[]
      >`
        select * from private.snooze_reminder_from_telegram(${chatId}, ${notificationId.toString()}::bigint)`;
      return row;
    },
  };
}

export type LinkOutcome =
  | "linked"
  | "already_linked"
  | "linked_elsewhere"
  | "not_private_chat"
  | "unknown_code"
  | "expired_code"
  | "used_code";
/** What the handlers read of the chat's profile: read once per update (context.ts `loadProfile`). */
export type LinkedProfile = {
  id: string;
  timezone: string;
  language: string | null;
  time_format: string;
  weekly_digest: boolean;
  /** The digest's local day, 0 = Sunday, and time "HH:MM:SS". */
  digest_weekday: number;
  digest_time: string;
};
export type ButtonOutcome = "not_found" | "other_chat" | "not_a_reminder";
export type WebhookStore = ReturnType<typeof createWebhookStore>;
