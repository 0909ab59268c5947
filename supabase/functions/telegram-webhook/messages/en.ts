import { escapeHtml } from "../../_shared/html.ts";
import { HABIT_WORDS } from "../../_shared/habit-text.ts";

const b = (text: string) => `<b>${escapeHtml(text)}</b>`;

/**
 * Everything the bot says, in English. All strings are Telegram HTML. `ru.ts` has the same keys
 * (its type is this one's, so a missing key fails `deno check`); `index.ts` fills in the site's
 * address and assembles the longer replies.
 */
export const en = {
  connectHint: (link: string) =>
    `Open ${link}, sign in and press <b>Connect Telegram</b>: the link brings you back here and ` +
    `connects this chat.`,
  help: (site: string) =>
    [
      "I remind you of your habits at the time you chose, in your time zone.",
      "",
      "/habits: your habits",
      "/today: what is due today",
      "/new: create a habit (/cancel stops)",
      "/edit, /pause, /resume, /delete: change a habit",
      "/stats: streaks and the last 7 times",
      "/digest on|off: a weekly summary",
      "/stop: disconnect this chat",
      "/help: this message",
      "",
      `Everything else is at ${site}`,
    ].join("\n"),
  welcomeUnlinked: "👋 Hi! I'm your habit reminder bot.",
  welcomeLinked:
    "👋 This chat is connected. I'll remind you of your habits here.\n\nSend /help to see what I can do.",
  notLinked: "This chat isn't connected to a habits account yet.",
  linked: "✅ Connected! This chat now gets your habit reminders.",
  movedFromAnotherAccount:
    "It was connected to another account before; that account no longer gets reminders here.",
  seeHabits: "Send /habits to see your habits.",
  alreadyLinked: "This chat is already connected to this account; nothing changed.",
  moveQuestion: "🔐 This chat is connected to another account. Move it to the account that made this link? " +
    "That account would get the reminders here and everything you create here; the other account would " +
    "no longer get reminders here. Nothing changes unless you press Move.",
  moveYes: "Move this chat",
  moveNo: "Cancel",
  moveNeedsStop: "To move it, send /stop first, then open the link again.",
  nothingChanged: "Nothing changed.",
  stillConnected: "This chat is still connected to its account.",
  privateChatsOnly: (bot: string) =>
    `I only work in a private chat, where nobody else can act for you: open @${escapeHtml(bot)} and send ` +
    "/start there.",
  expired_code: "⌛ That link has expired (links last 15 minutes).",
  used_code: "That link was already used.",
  unknown_code: "I don't know that link.",
  noHabits: (site: string) => `You have no habits yet. Send /new or create one at ${site}`,
  zoneUnknown: (zone: string, settings: string) =>
    `🌍 Your time zone, ${b(zone)}, is no longer known here, so I can't work out your days and times. ` +
    `Choose it again in the settings: ${settings}`,
  yourHabits: "Your habits",
  listPage: (page: number, pages: number) => ` (page ${page} of ${pages})`,
  nothingToday: (zone: string) => `Nothing is due today (${escapeHtml(zone)}). Enjoy your day!`,
  today: "Today",
  inPlace: HABIT_WORDS.en.inPlace,
  previous: "◀ Previous",
  next: "Next ▶",
  recorded: "✅ Recorded",
  // The button a Done press leaves on its message: the person sees it even if the press's answer is lost.
  doneMark: (action: string) => `☑️ Done: ${action}`,
  stopQuestion: "Disconnect this chat? You will get no more reminders here until you connect it again.",
  stopYes: "Yes, disconnect",
  stopNo: "Cancel",
  stopped: "Disconnected. You'll get no more reminders here. Connect again any time from the website.",
  stopCancelled: "OK, this chat stays connected.",
  unknownMessage: "I didn't understand that. Send /help to see what I can do.",
  doneRecorded: (action: string) => `✅ Well done: <b>${escapeHtml(action)}</b> is recorded.`,
  buttonAlert: {
    already_recorded: "Already recorded. Well done!",
    snoozed: "OK, I'll remind you again in 15 minutes.",
    already_snoozed: "Already snoozed: the reminder is on its way.",
    already_done: "Already done: there is nothing to snooze. Well done!",
    paused: "This habit is paused, so this button does nothing. Send /resume to get its reminders again.",
    not_found: "This habit no longer exists.",
    other_chat: "This button belongs to another chat.",
    not_a_reminder: "There is nothing to do with this message.",
    not_due_today: "This habit is not due today.",
    stale: "This button is no longer valid.",
    habits_changed: "Your habits changed; here is the list as it is now.",
  },

  // The habit conversations, the pickers, /stats and /digest.
  askAction: "🆕 New habit. What will you do? Send the action, e.g. <i>read one page</i>.\n\n/cancel stops.",
  askTime: (example: string) => `At what time (your local time)? Pick one or send it, e.g. ${example}.`,
  askPlace: "Where? Send the place, e.g. <i>the kitchen</i>.",
  askInterval: "How often?",
  askDuration: "How long does it take? Pick one or send the seconds (1 to 120).",
  askFollowUp: "Anything to enjoy afterwards? A reward, one of your pleasant habits, or nothing.",
  askReward: "Send the reward, e.g. <i>a cup of tea</i>.",
  badTime: (twelveHour: boolean): string =>
    twelveHour
      ? "I can't read that time. Send it like 7:30 PM or 7 pm, or in 24-hour time like 19:30."
      : "I can't read that time. Send it like 19:30 (00:00 to 23:59), or like 7:30 PM or 7 pm.",
  badNumber: "Send a whole number, or press a button.",
  useButtons: "Press one of the buttons above, or /cancel.",
  created: (action: string) => `✅ Created: ${b(action)}. I'll remind you at its time.`,
  cancelled: "OK, cancelled. Nothing was changed.",
  nothingToCancel: "There is nothing to cancel.",
  everyDays: (days: number) => days === 1 ? "Every day" : days === 7 ? "Every week" : `Every ${days} days`,
  seconds: (n: number) => `${n} s`,
  noFollowUp: "Nothing",
  rewardButton: "🎁 A reward",
  cancelButton: "✖ Cancel",
  pickHeading: {
    edit: "Which habit do you want to change?",
    pause: "Which habit do you want to pause?",
    resume: "Which habit do you want to resume?",
    delete: "Which habit do you want to delete?",
  },
  noneToPick: {
    edit: "You have no habits yet. Send /new to create one.",
    pause: "No running habit to pause.",
    resume: "No paused habit to resume.",
    delete: "You have no habits yet. Send /new to create one.",
  },
  page: (page: number, pages: number) => pages > 1 ? ` (page ${page} of ${pages})` : "",
  askField: (action: string) => `What do you want to change in ${b(action)}?`,
  fields: {
    action: "Action",
    time: "Time",
    place: "Place",
    interval: "How often",
    duration: "Duration",
  },
  edited: (action: string) => `✅ Saved: ${b(action)}.`,
  paused: (action: string) => `⏸ Paused: ${b(action)}. No reminders until you /resume it.`,
  resumed: (action: string) => `▶ Resumed: ${b(action)}. The next reminder comes at its next time.`,
  deleteQuestion: (action: string) => `Delete ${b(action)} and its history? This cannot be undone.`,
  deleteYes: "Yes, delete",
  deleteNo: "No, keep it",
  deleted: (action: string) => `🗑 Deleted: ${b(action)}.`,
  kept: "OK, the habit stays.",
  gone: "This habit no longer exists.",
  statsHeading: "Your streaks",
  statsLine: (
    action: string,
    streak: number,
    best: number,
    marks: string,
    paused: boolean,
  ) => `${b(action)}${paused ? " ⏸" : ""}\n   streak ${streak}, best ${best}  ${marks || "—"}`,
  statsEmpty: "You have no habits yet. Send /new to create one.",
  streakNow: (streak: number) => `🔥 Streak: ${streak} in a row.`,
  unknownRule: "This breaks one of the habit rules. Try another answer.",
  weekdays: [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
  ],
  digestOn: (day: string, clock: string) =>
    `📅 Weekly digest on: every ${day} at ${clock} (your time). Change the day and time in the settings.`,
  digestOff: "Weekly digest off.",
  digestUsage: (on: boolean, day: string, clock: string) =>
    `The weekly digest is ${on ? `on (${day} at ${clock})` : "off"}. Send /digest on or /digest off.`,
};

export type Catalogue = typeof en;
