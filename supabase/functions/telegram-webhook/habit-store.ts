import type { Database } from "../_shared/db.ts";
import { ruleOf } from "../_shared/rule-error.ts";

/** The answers of /new (or the one field /edit changes), as the habits table names them. */
export interface HabitDraft {
  action?: string;
  time?: string;
  place?: string;
  interval_days?: number;
  duration_seconds?: number;
  reward?: string | null;
  related_habit_id?: string | null;
}

export type Flow = "new" | "edit";
export type Step =
  | "action"
  | "time"
  | "place"
  | "interval"
  | "duration"
  | "follow_up"
  | "reward"
  | "field";

export interface Conversation {
  flow: Flow;
  step: Step;
  draft: HabitDraft;
  habit_id: string | null;
}

/** A draft's missing fields, filled with values every rule accepts, for checking one answer. */
const PLACEHOLDER = {
  action: "x",
  time: "12:00",
  place: "x",
  interval_days: 1,
  duration_seconds: 60,
};

/** Thrown on purpose to undo a dry-run insert. */
class DryRun extends Error {}

const values = (draft: HabitDraft) => ({
  ...PLACEHOLDER,
  reward: null,
  related_habit_id: null,
  ...draft,
});

/** Runs `write` and returns the rule it broke (null when it passed), keeping nothing if `dryRun`. */
const underRules = async (
  db: Database,
  write: (tx: Database) => Promise<unknown>,
  dryRun: boolean,
) => {
  try {
    await db.begin(async (tx) => {
      await write(tx as unknown as Database);
      if (dryRun) throw new DryRun();
    });
    return null;
  } catch (error) {
    if (error instanceof DryRun) return null;
    const rule = ruleOf(error);
    if (rule) return rule;
    throw error;
  }
};

const insert = (userId: string, draft: HabitDraft) => (tx: Database) => {
  const v = values(draft);
  return tx`insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, reward,
      related_habit_id)
    values (${userId}, ${v.action}, ${v.place}, ${v.time}::time, ${v.interval_days}, ${v.duration_seconds},
      ${v.reward}, ${v.related_habit_id})`;
};

const update = (userId: string, habitId: string, draft: HabitDraft) => (tx: Database) =>
  tx`update public.habits set ${tx(draft as Record<string, unknown>)}
    where id = ${habitId} and owner_id = ${userId}`;

/**
 * The database calls of the habit conversations. Every answer is checked by inserting (or
 * updating) the habit in a transaction that is then undone, so the table's own constraints and
 * triggers decide, and a refusal names the rule.
 */
export function createHabitStore(db: Database) {
  return {
    ...conversationQueries(db),
    ...habitQueries(db),
    ...progressQueries(db),
  };
}

/** The conversation a chat is in (/new or /edit), kept between updates. */
function conversationQueries(db: Database) {
  return {
    async conversation(chatId: number): Promise<Conversation | null> {
      const [row] = await db<Conversation[]>`
        select flow, step, draft, habit_id from private.telegram_conversations where chat_id = ${chatId}`;
      return row ?? null;
    },

    async saveConversation(
      chatId: number,
      userId: string,
      conversation: Conversation,
    ): Promise<void> {
      await db`
        insert into private.telegram_conversations (chat_id, user_id, flow, step, draft, habit_id)
        values (${chatId}, ${userId}, ${conversation.flow}, ${conversation.step},
          ${db.json(conversation.draft as Record<string, string | number | null>)}, ${conversation.habit_id})
        on conflict (chat_id) do update
          set user_id = excluded.user_id, flow = excluded.flow, step = excluded.step, draft = excluded.draft,
            habit_id = excluded.habit_id, updated_at = now()`;
    },

    async endConversation(chatId: number): Promise<boolean> {
      const rows = await db`delete from private.telegram_conversations where chat_id = ${chatId} returning 1`;
      return rows.length > 0;
    },
  };
}

/** Habits checked under the table's rules, and changed, read and listed for the pickers. */
function habitQueries(db: Database) {
  return {
    /** The rule a new habit made of `draft` (missing fields filled in) would break, or null. */
    checkNew: (userId: string, draft: HabitDraft) => underRules(db, insert(userId, draft), true),
    createHabit: (userId: string, draft: HabitDraft) => underRules(db, insert(userId, draft), false),
    checkEdit: (userId: string, habitId: string, draft: HabitDraft) =>
      underRules(db, update(userId, habitId, draft), true),
    editHabit: (userId: string, habitId: string, draft: HabitDraft) =>
      underRules(db, update(userId, habitId, draft), false),

    async setPaused(
      userId: string,
      habitId: string,
      paused: boolean,
    ): Promise<string | null> {
      const [row] = await db<{ action: string }[]>`
        update public.habits set is_paused = ${paused} where id = ${habitId} and owner_id = ${userId}
        returning action`;
      return row?.action ?? null;
    },

    async deleteHabit(userId: string, habitId: string): Promise<string | null> {
      const [row] = await db<{ action: string }[]>`
        delete from public.habits where id = ${habitId} and owner_id = ${userId} returning action`;
      return row?.action ?? null;
    },

    async habit(userId: string, habitId: string) {
      const [row] = await db<
        { id: string; action: string; is_paused: boolean }[]
      >`
        select id, action, is_paused from public.habits where id = ${habitId} and owner_id = ${userId}`;
      return row ?? null;
    },

    /** The habits a picker lists: all, or only the running (paused = false) or paused ones. */
    async pickable(userId: string, paused: boolean | null) {
      return await db<{ id: string; action: string; time: string }[]>`
        select id, action, time::text as time from public.habits
        where owner_id = ${userId} and (${paused}::boolean is null or is_paused = ${paused})
        order by time, action, id`;
    },

    async pleasantHabits(userId: string) {
      return await db<{ id: string; action: string }[]>`
        select id, action from public.habits where owner_id = ${userId} and is_pleasant
        order by action, id limit 8`;
    },
  };
}

/** Streaks, the weekly digest's setting, and the habit a reminder belongs to. */
function progressQueries(db: Database) {
  return {
    async streaks(userId: string, habitId: string | null = null) {
      return await db<
        {
          habit_id: string;
          action: string;
          is_paused: boolean;
          streak: number;
          best_streak: number;
          last_marks: string;
        }[]
      >`select * from private.habit_streaks(${userId}, ${habitId})`;
    },

    /** Turns the weekly digest on or off; returns its local day (0 = Sunday) and time. */
    async setDigest(userId: string, enabled: boolean) {
      const [row] = await db<{ digest_weekday: number; digest_time: string }[]>`
        update public.profiles set weekly_digest = ${enabled} where id = ${userId}
        returning digest_weekday, digest_time::text as digest_time`;
      return row;
    },

    /** The habit a reminder message belongs to, for its streak. */
    async habitOfNotification(notificationId: bigint): Promise<string | null> {
      const [row] = await db<{ habit_id: string | null }[]>`
        select habit_id from public.notifications where id = ${notificationId.toString()}::bigint`;
      return row?.habit_id ?? null;
    },
  };
}

export type HabitStore = ReturnType<typeof createHabitStore>;
