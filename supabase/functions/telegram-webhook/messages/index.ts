import { escapeHtml } from "../../_shared/html.ts";
import { formatWallClock, type TimeFormat, usesTwelveHours } from "../../_shared/clock.ts";
import { habitSummary, type HabitWords } from "../../_shared/habit-text.ts";
import type { Language } from "../../_shared/language.ts";
import { RULE_SENTENCES, RULE_SENTENCES_RU } from "../../_shared/rule-sentences.ts";
import { shorten, visibleLength } from "../../_shared/telegram-length.ts";
import { pageLines } from "../paging.ts";
import type { LinkOutcome } from "../store.ts";
import { type Catalogue, en } from "./en.ts";
import { ru } from "./ru.ts";

export { type Language, pickLanguage } from "../../_shared/language.ts";
export { pickTimeFormat, type TimeFormat } from "../../_shared/clock.ts";
export { RULE_SENTENCES_RU };
export type { Catalogue };

export const CATALOGUES: Record<Language, Catalogue> = { en, ru };

/** The link outcomes answered in words (a move to confirm and a group chat have their own). */
type LinkAnswer = Exclude<LinkOutcome, "linked_elsewhere" | "not_private_chat">;

type DueHabit = {
  action: string;
  place: string;
  local_time: string;
  done: boolean;
};

/** The sentence for a broken habit rule, in `language`. */
export function ruleSentence(rule: string, language: Language): string {
  const sentences = language === "ru" ? RULE_SENTENCES_RU : RULE_SENTENCES;
  return sentences[rule] ?? CATALOGUES[language].unknownRule;
}

/**
 * The bot's messages in each language and time format (the profile's; an unlinked chat follows its
 * language), with the site's address filled in and the long replies assembled.
 */
export function createMessages(siteUrl: string) {
  const site = escapeHtml(siteUrl);
  const connectUrl = escapeHtml(`${siteUrl.replace(/\/$/, "")}/telegram`);
  const link = `<a href="${connectUrl}">${connectUrl}</a>`;
  const settingsUrl = escapeHtml(`${siteUrl.replace(/\/$/, "")}/settings`);
  const settings = `<a href="${settingsUrl}">${settingsUrl}</a>`;
  const built = new Map<string, ReturnType<typeof assemble>>();
  return (language: Language, format: TimeFormat = "locale") => {
    const key = `${language} ${format}`;
    let messages = built.get(key);
    if (!messages) {
      messages = assemble(CATALOGUES[language], language, format, { site, link, settings });
      built.set(key, messages);
    }
    return messages;
  };
}

function assemble(
  w: Catalogue,
  language: Language,
  format: TimeFormat,
  { site, link, settings }: { site: string; link: string; settings: string },
) {
  const connectHint = w.connectHint(link);
  const clock = (time: string) => formatWallClock(time, language, format);
  return {
    ...w,
    /** A wall-clock time "HH:MM[:SS]" in the person's time format. */
    clock,
    connectHint,
    help: w.help(site),
    noHabits: w.noHabits(site),
    /** The profile's zone no longer resolves (tzdata changed): the person is asked to choose it again. */
    zoneUnknown: (zone: string) => w.zoneUnknown(zone, settings),
    welcomeUnlinked: `${w.welcomeUnlinked}\n\n${connectHint}`,
    notLinked: `${w.notLinked}\n\n${connectHint}`,
    /** /new's time question and its refusal: the person's format first, both accepted. */
    askTime: w.askTime(clock("19:30")),
    badTime: w.badTime(usesTwelveHours(format, language)),

    linkResult(outcome: LinkAnswer, movedFromAnotherAccount: boolean): string {
      if (outcome === "linked") {
        return w.linked +
          (movedFromAnotherAccount ? `\n\n${w.movedFromAnotherAccount}` : "") +
          `\n\n${w.seeHabits}`;
      }
      if (outcome === "already_linked") {
        return `${w.alreadyLinked}\n\n${w.seeHabits}`;
      }
      return `${w[outcome]}\n\n${connectHint}`;
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
      if (habits.length === 0) return [w.noHabits(site)];
      const lines = habits.map((habit, index) => `${index + 1}. ${habitSummary(habit, language, format)}`);
      const pages = pageLines(lines, 64);
      return pages.map((page, index) =>
        `<b>${w.yourHabits}</b>${pages.length > 1 ? w.listPage(index + 1, pages.length) : ""}\n\n` +
        page.join("\n")
      );
    },

    /** What is due today, split into as many messages as Telegram's size limit needs. */
    today(timezone: string, due: DueHabit[]): string[] {
      if (due.length === 0) return [w.nothingToday(timezone)];
      const lines = due.map((habit) =>
        `${habit.done ? "✅" : "⏳"} ${clock(habit.local_time)} ${escapeHtml(habit.action)} ${
          w.inPlace(habit.place)
        }`
      );
      const heading = `<b>${w.today}</b> (${escapeHtml(timezone)})\n\n`;
      return pageLines(lines, visibleLength(heading)).map((page, index) =>
        (index === 0 ? heading : "") + page.join("\n")
      );
    },

    /** The label of /today's Done button for one habit (Telegram shows up to about 64 characters). */
    doneTodayButton(action: string): string {
      return shorten(`✅ ${action}`, 40);
    },

    doneRecorded(habitAction: string, followUp: string | null): string {
      return w.doneRecorded(habitAction) + (followUp ? `\n\n${followUp}` : "");
    },
  };
}

export type MessagesFor = ReturnType<typeof createMessages>;
export type Messages = ReturnType<MessagesFor>;
