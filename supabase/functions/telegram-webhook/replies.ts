import { escapeHtml } from "../_shared/html.ts";
import { formatClock, habitSummary, type HabitWords } from "../_shared/habit-text.ts";
import { pageLines } from "./paging.ts";
import type { LinkOutcome } from "./store.ts";

/** Everything the bot says, in one place. All strings are Telegram HTML. */
export function createReplies(siteUrl: string) {
  const connectUrl = `${siteUrl.replace(/\/$/, "")}/telegram`;
  const connectHint =
    `Open <a href="${escapeHtml(connectUrl)}">${escapeHtml(connectUrl)}</a>, sign in and press ` +
    `<b>Connect Telegram</b>: the link brings you back here and connects this chat.`;

  return {
    help: [
      "I remind you of your habits at the time you chose, in your time zone.",
      "",
      "/habits: your habits",
      "/today: what is due today",
      "/new: create a habit (/cancel stops)",
      "/edit, /pause, /resume, /delete: change a habit",
      "/stats: streaks and the last 7 times",
      "/stop: disconnect this chat",
      "/help: this message",
      "",
      `Everything else is at ${escapeHtml(siteUrl)}`,
    ].join("\n"),

    welcomeUnlinked: `👋 Hi! I'm your habit reminder bot.\n\n${connectHint}`,
    welcomeLinked:
      "👋 This chat is connected. I'll remind you of your habits here.\n\nSend /help to see what I can do.",
    notLinked: `This chat isn't connected to a habits account yet.\n\n${connectHint}`,

    linkResult(outcome: LinkOutcome, movedFromAnotherAccount: boolean): string {
      switch (outcome) {
        case "linked":
          return "✅ Connected! This chat now gets your habit reminders." +
            (movedFromAnotherAccount
              ? "\n\nIt was connected to another account before; that account no longer gets reminders here."
              : "") +
            "\n\nSend /habits to see your habits.";
        case "expired_code":
          return `⌛ That link has expired (links last 15 minutes).\n\n${connectHint}`;
        case "used_code":
          return `That link was already used.\n\n${connectHint}`;
        case "unknown_code":
          return `I don't know that link.\n\n${connectHint}`;
      }
    },

    /** The /habits list as pages that each fit one Telegram message; page buttons move between them. */
    habitPages(habits: HabitWords[]): string[] {
      if (habits.length === 0) {
        return [`You have no habits yet. Create one at ${escapeHtml(siteUrl)}`];
      }
      const lines = habits.map((habit, index) => `${index + 1}. ${habitSummary(habit)}`);
      const pages = pageLines(lines, 64);
      return pages.map((page, index) =>
        `<b>Your habits</b>${pages.length > 1 ? ` (page ${index + 1} of ${pages.length})` : ""}\n\n` +
        page.join("\n")
      );
    },

    /** What is due today, split into as many messages as Telegram's size limit needs. */
    today(
      timezone: string,
      due: {
        action: string;
        place: string;
        local_time: string;
        done: boolean;
      }[],
    ): string[] {
      if (due.length === 0) {
        return [
          `Nothing is due today (${escapeHtml(timezone)}). Enjoy your day!`,
        ];
      }
      const lines = due.map((habit) =>
        `${habit.done ? "✅" : "⏳"} ${formatClock(habit.local_time)} ${escapeHtml(habit.action)} in ${
          escapeHtml(habit.place)
        }`
      );
      const heading = `<b>Today</b> (${escapeHtml(timezone)})\n\n`;
      return pageLines(lines, heading.length).map((page, index) =>
        (index === 0 ? heading : "") + page.join("\n")
      );
    },

    /** The label of /today's Done button for one habit (Telegram shows up to about 64 characters). */
    doneTodayButton(action: string): string {
      const label = `✅ ${action}`;
      return label.length > 40 ? `${label.slice(0, 39)}…` : label;
    },

    stopQuestion: "Disconnect this chat? You will get no more reminders here until you connect it again.",
    stopped: "Disconnected. You'll get no more reminders here. Connect again any time from the website.",
    stopCancelled: "OK, this chat stays connected.",
    unknownMessage: "I didn't understand that. Send /help to see what I can do.",

    doneRecorded(habitAction: string, followUp: string | null): string {
      return `✅ Well done: <b>${escapeHtml(habitAction)}</b> is recorded.` +
        (followUp ? `\n\n${followUp}` : "");
    },
    buttonAlert: {
      already_recorded: "Already recorded. Well done!",
      snoozed: "OK, I'll remind you again in 15 minutes.",
      already_snoozed: "Already snoozed: the reminder is on its way.",
      not_found: "This habit no longer exists.",
      other_chat: "This button belongs to another chat.",
      not_a_reminder: "There is nothing to do with this message.",
      not_due_today: "This habit is not due today.",
      stale: "This button is no longer valid.",
      habits_changed: "Your habits changed; here is the list as it is now.",
    },
  };
}

export type Replies = ReturnType<typeof createReplies>;
