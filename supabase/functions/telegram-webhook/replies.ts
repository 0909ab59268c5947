import { escapeHtml } from "../_shared/html.ts";
import { formatClock, HABIT_WORDS, habitSummary, type HabitWords } from "../_shared/habit-text.ts";
import type { Language } from "../_shared/language.ts";
import { pageLines } from "./paging.ts";
import type { LinkOutcome } from "./store.ts";

/** The link outcomes answered in words (a move to confirm and a group chat have their own). */
type LinkAnswer = Exclude<LinkOutcome, "linked_elsewhere" | "not_private_chat">;

type DueHabit = { action: string; place: string; local_time: string; done: boolean };

/** Everything the bot says outside the habit conversations, per language. All strings are Telegram HTML. */
export function createReplies(siteUrl: string) {
  const site = escapeHtml(siteUrl);
  const connectUrl = escapeHtml(`${siteUrl.replace(/\/$/, "")}/telegram`);
  const link = `<a href="${connectUrl}">${connectUrl}</a>`;

  const en = {
    connectHint:
      `Open ${link}, sign in and press <b>Connect Telegram</b>: the link brings you back here and ` +
      `connects this chat.`,
    help: [
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
    moveQuestion:
      "🔐 This chat is connected to another account. Move it to the account that made this link? " +
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
    noHabits: `You have no habits yet. Send /new or create one at ${site}`,
    yourHabits: "Your habits",
    page: (page: number, pages: number) => ` (page ${page} of ${pages})`,
    nothingToday: (zone: string) => `Nothing is due today (${escapeHtml(zone)}). Enjoy your day!`,
    today: "Today",
    inPlace: HABIT_WORDS.en.inPlace,
    previous: "◀ Previous",
    next: "Next ▶",
    recorded: "✅ Recorded",
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
  };

  const ru: typeof en = {
    connectHint: `Откройте ${link}, войдите и нажмите <b>Подключить Telegram</b>: ссылка вернёт вас сюда и ` +
      `подключит этот чат.`,
    help: [
      "Я напоминаю о ваших привычках в выбранное время, в вашем часовом поясе.",
      "",
      "/habits — ваши привычки",
      "/today — что сегодня по плану",
      "/new — создать привычку (/cancel — отмена)",
      "/edit, /pause, /resume, /delete — изменить привычку",
      "/stats — серии и последние 7 раз",
      "/digest on|off — еженедельная сводка",
      "/stop — отключить этот чат",
      "/help — это сообщение",
      "",
      `Всё остальное — на ${site}`,
    ].join("\n"),
    welcomeUnlinked: "👋 Привет! Я бот-напоминалка о привычках.",
    welcomeLinked:
      "👋 Этот чат подключён. Я буду напоминать здесь о ваших привычках.\n\nОтправьте /help, чтобы " +
      "узнать, что я умею.",
    notLinked: "Этот чат ещё не подключён к аккаунту.",
    linked: "✅ Подключено! Теперь напоминания о привычках приходят в этот чат.",
    movedFromAnotherAccount:
      "Раньше чат был подключён к другому аккаунту; тот аккаунт здесь больше напоминаний не получает.",
    seeHabits: "Отправьте /habits, чтобы увидеть свои привычки.",
    alreadyLinked: "Этот чат уже подключён к этому аккаунту; ничего не изменилось.",
    moveQuestion:
      "🔐 Этот чат подключён к другому аккаунту. Перенести его в аккаунт, создавший эту ссылку? " +
      "Тот аккаунт будет получать здесь напоминания и всё, что вы здесь создадите; другой аккаунт больше не " +
      "будет получать здесь напоминаний. Пока вы не нажмёте «Перенести», ничего не изменится.",
    moveYes: "Перенести",
    moveNo: "Отмена",
    moveNeedsStop: "Чтобы перенести чат, сначала отправьте /stop, затем снова откройте ссылку.",
    nothingChanged: "Ничего не изменилось.",
    stillConnected: "Этот чат по-прежнему подключён к своему аккаунту.",
    privateChatsOnly: (bot) =>
      `Я работаю только в личном чате, где никто другой не может действовать за вас: откройте @${
        escapeHtml(bot)
      } и отправьте там /start.`,
    expired_code: "⌛ Срок ссылки истёк (ссылка действует 15 минут).",
    used_code: "Эта ссылка уже использована.",
    unknown_code: "Я не знаю такой ссылки.",
    noHabits: `У вас пока нет привычек. Отправьте /new или создайте её на ${site}`,
    yourHabits: "Ваши привычки",
    page: (page, pages) => ` (страница ${page} из ${pages})`,
    nothingToday: (zone) => `Сегодня ничего не запланировано (${escapeHtml(zone)}). Хорошего дня!`,
    today: "Сегодня",
    inPlace: HABIT_WORDS.ru.inPlace,
    previous: "◀ Назад",
    next: "Далее ▶",
    recorded: "✅ Записано",
    stopQuestion: "Отключить этот чат? Напоминаний здесь не будет, пока вы не подключите его снова.",
    stopYes: "Да, отключить",
    stopNo: "Отмена",
    stopped: "Отключено. Напоминаний здесь больше не будет. Подключить снова можно в любой момент на сайте.",
    stopCancelled: "Хорошо, чат остаётся подключённым.",
    unknownMessage: "Я не понял. Отправьте /help, чтобы узнать, что я умею.",
    doneRecorded: (action) => `✅ Отлично: <b>${escapeHtml(action)}</b> — записано.`,
    buttonAlert: {
      already_recorded: "Уже записано. Отлично!",
      snoozed: "Хорошо, напомню снова через 15 минут.",
      already_snoozed: "Уже отложено: напоминание придёт.",
      already_done: "Уже выполнено: откладывать нечего. Отлично!",
      paused:
        "Эта привычка на паузе, кнопка ничего не делает. Отправьте /resume, чтобы снова получать напоминания.",
      not_found: "Этой привычки больше нет.",
      other_chat: "Эта кнопка из другого чата.",
      not_a_reminder: "С этим сообщением ничего делать не нужно.",
      not_due_today: "Эта привычка сегодня не запланирована.",
      stale: "Эта кнопка больше не действует.",
      habits_changed: "Ваши привычки изменились; вот актуальный список.",
    },
  };

  return (language: Language) => {
    const w = language === "ru" ? ru : en;
    return {
      ...w,
      welcomeUnlinked: `${w.welcomeUnlinked}\n\n${w.connectHint}`,
      notLinked: `${w.notLinked}\n\n${w.connectHint}`,

      linkResult(outcome: LinkAnswer, movedFromAnotherAccount: boolean): string {
        if (outcome === "linked") {
          return w.linked + (movedFromAnotherAccount ? `\n\n${w.movedFromAnotherAccount}` : "") +
            `\n\n${w.seeHabits}`;
        }
        if (outcome === "already_linked") return `${w.alreadyLinked}\n\n${w.seeHabits}`;
        return `${w[outcome]}\n\n${w.connectHint}`;
      },

      /** A move that did not happen (cancelled, or its code expired or was used meanwhile), and how the chat stands. */
      moveNotDone(
        reason: "unknown_code" | "expired_code" | "used_code" | null,
        stillLinked: boolean,
      ): string {
        const state = `${w.nothingChanged} ${stillLinked ? w.stillConnected : w.notLinked}`;
        return reason ? `${w[reason]}\n\n${state}` : state;
      },

      /** The /habits list as pages that each fit one Telegram message; page buttons move between them. */
      habitPages(habits: HabitWords[]): string[] {
        if (habits.length === 0) return [w.noHabits];
        const lines = habits.map((habit, index) => `${index + 1}. ${habitSummary(habit, language)}`);
        const pages = pageLines(lines, 64);
        return pages.map((page, index) =>
          `<b>${w.yourHabits}</b>${pages.length > 1 ? w.page(index + 1, pages.length) : ""}\n\n` +
          page.join("\n")
        );
      },

      /** What is due today, split into as many messages as Telegram's size limit needs. */
      today(timezone: string, due: DueHabit[]): string[] {
        if (due.length === 0) return [w.nothingToday(timezone)];
        const lines = due.map((habit) =>
          `${habit.done ? "✅" : "⏳"} ${formatClock(habit.local_time)} ${escapeHtml(habit.action)} ${
            w.inPlace(habit.place)
          }`
        );
        const heading = `<b>${w.today}</b> (${escapeHtml(timezone)})\n\n`;
        return pageLines(lines, heading.length).map((page, index) =>
          (index === 0 ? heading : "") + page.join("\n")
        );
      },

      /** The label of /today's Done button for one habit (Telegram shows up to about 64 characters). */
      doneTodayButton(action: string): string {
        const label = `✅ ${action}`;
        return label.length > 40 ? `${label.slice(0, 39)}…` : label;
      },

      doneRecorded(habitAction: string, followUp: string | null): string {
        return w.doneRecorded(habitAction) + (followUp ? `\n\n${followUp}` : "");
      },
    };
  };
}

export type RepliesFor = ReturnType<typeof createReplies>;
export type Replies = ReturnType<RepliesFor>;
