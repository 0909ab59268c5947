/**
 * Every stable error identifier the database can raise, mapped to a sentence a person can act on.
 * An identifier is a constraint name or a rule name (private.raise_rule_violation) and appears in
 * the error message as `violates check constraint "X"`, `violates rule "X"`, `violates unique
 * constraint "X"` or `violates foreign key constraint "X"`; a few errors carry it in their hint.
 * tests/e2e/error_messages_test.ts fails when the database has an identifier missing here.
 *
 * The Russian sentences are in rule-sentences-ru.ts, fetched with the rest of the Russian ones when
 * the app speaks Russian (lib/data-error.ts hands them over), not on every first load.
 * This module imports nothing, so that Deno tests can load it as it is.
 */

export type SentenceLanguage = "en" | "ru";
export const RULE_SENTENCES: Readonly<Record<string, string>> = {
  // habits: CHECK constraints
  habits_action_length: "Describe the action in 1 to 200 characters.",
  habits_place_length: "Name the place in 1 to 200 characters.",
  habits_reward_length: "Keep the reward to 1 to 200 characters, or leave it empty.",
  habits_interval_days_range: "Choose how often: every 1 to 7 days (at least once a week).",
  habits_duration_seconds_range: "A habit takes at most 120 seconds: choose 1 to 120 seconds.",
  habits_reward_or_related_habit: "Choose either a reward or a linked pleasant habit, not both.",
  habits_pleasant_has_no_reward_or_link:
    "A pleasant habit is its own reward: it has no reward and no linked habit.",
  // habits: rules enforced by the trigger
  habits_require_telegram: "Connect your Telegram chat first: reminders are sent there.",
  habits_related_habit_must_be_pleasant:
    "Only a pleasant habit can be linked. Choose one of your pleasant habits.",
  habits_related_habit_must_be_own: "The linked habit no longer exists. Choose another pleasant habit.",
  habits_related_habit_not_itself: "A habit cannot be linked to itself.",
  habits_linked_habit_must_stay_pleasant:
    "Other habits link to this one, so it must stay pleasant. Unlink them first, then change it.",
  habits_owner_is_immutable: "A habit cannot be moved to another account.",
  habits_paused_reason_known: "Unknown reason for pausing a habit.",
  habits_starts_on_range: "A habit starts between 1 January 2000 and one year from today.",
  habits_created_at_range: "A habit's history begins between 1 January 2000 and now.",
  habits_time_of_day: "Choose a time of day from 00:00 to 23:59.",
  habits_per_account_limit:
    "You have reached the most habits one account can have. Delete one you no longer need first.",
  // habits: keys
  habits_id_owner_key: "This habit already exists.",
  habits_owner_id_fkey: "Your profile is missing. Sign out and sign in again.",
  habits_related_habit_same_owner_fkey: "The linked habit no longer exists. Choose another pleasant habit.",
  // profiles
  profiles_display_name_length: "Keep the display name to 80 characters.",
  profiles_timezone_is_known: "Choose a time zone from the list, e.g. Europe/Berlin.",
  profiles_digest_weekday_range: "Choose the digest's day of the week.",
  profiles_digest_time_of_day: "Choose the digest's time of day, from 00:00 to 23:59.",
  profiles_language_known: "Choose English or Russian.",
  profiles_time_format_known: "Choose 24-hour time, 12-hour time or your language's usual format.",
  profiles_telegram_chat_id_key: "This Telegram chat is already connected to another account.",
  profiles_telegram_chat_private:
    "Only a private chat with the bot can be connected, not a group or channel: there anyone could act for you.",
  profiles_id_fkey: "Your account no longer exists. Sign up again.",
  // completions
  habit_completions_once_per_occurrence: "You already marked this one as done.",
  habit_completions_source_known: "A completion comes from the web app or from Telegram.",
  habit_completions_habit_same_owner_fkey: "This habit no longer exists. Reload the page.",
  habit_completions_owner_id_fkey: "Your profile is missing. Sign out and sign in again.",
  habit_completions_occurrence_on_schedule:
    "That is not one of the habit's due times. Reload the page and mark the listed one.",
  habit_completions_occurrence_not_after_today: "Only today's and earlier occurrences can be marked as done.",
  habit_completions_occurrence_at_range:
    "A completion is for an occurrence between 1 January 2000 and today (today's may be marked early).",
  habit_completions_completed_at_range: "A completion is recorded between 1 January 2000 and now.",
  // public habits (a listing the service keeps)
  public_habits_id_fkey: "This public habit no longer exists. Reload the page.",
  // notifications (written by the service, shown for completeness)
  notifications_once_per_occurrence: "This reminder was already queued.",
  notifications_kind_known: "Unknown kind of message.",
  notifications_status_known: "Unknown delivery status.",
  notifications_attempts_non_negative: "The number of delivery attempts cannot be negative.",
  notifications_snoozed_once: "This reminder was already snoozed.",
  notifications_habit_unless_digest: "A reminder belongs to a habit; a weekly digest to no habit.",
  notifications_snoozed_from_id_fkey: "The snoozed reminder no longer exists.",
  notifications_habit_id_fkey: "This habit no longer exists. Reload the page.",
  notifications_owner_id_fkey: "Your profile is missing. Sign out and sign in again.",
  // Telegram link codes
  telegram_link_codes_code_format: "That link code is not valid. Get a new one.",
  telegram_link_codes_expiry_after_creation: "That link code has expired. Get a new one.",
  telegram_link_codes_user_id_fkey: "Your profile is missing. Sign out and sign in again.",
  telegram_link_codes_pkey: "Creating the link code failed. Try again.",
  telegram_link_codes_per_hour:
    "You asked for 5 link codes in the last hour. Try again later, or use the last one.",
};

/** The parts of a PostgREST (or fetch) error the mapping needs. */
export interface DataErrorLike {
  code?: string | null;
  message?: string | null;
  hint?: string | null;
  status?: number | null;
}

const IDENTIFIER_IN_MESSAGE =
  /violates (?:check constraint|rule|unique constraint|foreign key constraint|exclusion constraint) "([^"]+)"/;

/** The stable identifier carried by an error, if any. */
export function errorIdentifier(error: DataErrorLike): string | undefined {
  const fromMessage = IDENTIFIER_IN_MESSAGE.exec(error.message ?? "")?.[1];
  if (fromMessage) return fromMessage;
  if (error.hint && error.hint in RULE_SENTENCES) return error.hint;
  return undefined;
}

/** The sentences of errors without an identifier, by SQLSTATE, HTTP status or kind. */
const FALLBACKS: Record<SentenceLanguage, Record<string, string>> = {
  en: {
    "23514": "This breaks one of the habit rules. Check the form and try again.",
    "23505": "This already exists.",
    "23503": "Something this refers to no longer exists. Reload the page and try again.",
    "42501": "You are not allowed to do that. If your session expired, sign in again.",
    // A value the column's type cannot read (an empty time, a date like 31.02.): say so, not Postgres's words.
    "22007": "A date or time is missing or not valid. Enter it like 19:00 or 2026-12-31.",
    "22008": "A date or time is missing or not valid. Enter it like 19:00 or 2026-12-31.",
    "22P02": "A value is missing or not in the expected form. Check the fields and try again.",
    tooMany: "Too many requests. Wait a little and try again.",
    expired: "Your session has expired. Sign in again.",
    offline: "The server cannot be reached. Check your connection and try again.",
    unknown: "Something went wrong. Try again.",
    unknownWith: "Something went wrong: ",
  },
  ru: {
    "23514": "Это нарушает одно из правил привычки. Проверьте форму и попробуйте ещё раз.",
    "23505": "Это уже существует.",
    "23503": "То, на что это ссылается, больше не существует. Обновите страницу и попробуйте ещё раз.",
    "42501": "Это действие вам недоступно. Если сессия истекла, войдите снова.",
    "22007": "Дата или время не указаны или неверны. Укажите их так: 19:00 или 2026-12-31.",
    "22008": "Дата или время не указаны или неверны. Укажите их так: 19:00 или 2026-12-31.",
    "22P02": "Значение не указано или имеет неверный вид. Проверьте поля и попробуйте ещё раз.",
    tooMany: "Слишком много запросов. Подождите немного и попробуйте ещё раз.",
    expired: "Сессия истекла. Войдите снова.",
    offline: "Сервер недоступен. Проверьте подключение и попробуйте ещё раз.",
    unknown: "Что-то пошло не так. Попробуйте ещё раз.",
    unknownWith: "Что-то пошло не так: ",
  },
};

const sentencesByLanguage: Record<SentenceLanguage, Readonly<Record<string, string>>> = {
  en: RULE_SENTENCES,
  ru: {},
};
export const RULE_SENTENCES_BY_LANGUAGE: Readonly<
  Record<SentenceLanguage, Readonly<Record<string, string>>>
> = sentencesByLanguage;

/** Hands over a language's rule sentences once they are fetched (English is always here). */
export function addRuleSentences(
  language: SentenceLanguage,
  sentences: Readonly<Record<string, string>>,
): void {
  sentencesByLanguage[language] = sentences;
}

/**
 * The sentence of a rule in `language`, given its English sentence (as the form's zod schema
 * reports it); undefined when the sentence is not a rule's.
 */
export function ruleSentenceIn(english: string, language: SentenceLanguage): string | undefined {
  const identifier = Object.keys(RULE_SENTENCES).find((key) => RULE_SENTENCES[key] === english);
  return identifier ? RULE_SENTENCES_BY_LANGUAGE[language][identifier] : undefined;
}

/** True when the error means the session is gone (sign in again). */
export function isSessionExpired(error: DataErrorLike): boolean {
  return error.code === "PGRST301" || error.code === "PGRST303" || error.status === 401;
}

/** A sentence for any error of the Data API; identifiers first, then the SQLSTATE or HTTP status. */
export function dataErrorSentence(error: DataErrorLike, language: SentenceLanguage = "en"): string {
  const identifier = errorIdentifier(error);
  const known = identifier ? RULE_SENTENCES_BY_LANGUAGE[language][identifier] : undefined;
  if (known) return known;
  const words = FALLBACKS[language];
  const message = error.message ?? "";
  if (error.code && error.code in words && /^\d/.test(error.code)) return words[error.code] ?? "";
  if (error.code === "PT429" || error.status === 429) return words.tooMany ?? "";
  if (isSessionExpired(error)) return words.expired ?? "";
  // A request cut by the client's bound (lib/timed-fetch.ts) says "AbortError: ..." through postgrest-js.
  if (/failed to fetch|networkerror|load failed|^(?:abort|timeout)error\b/i.test(message)) {
    return words.offline ?? "";
  }
  return message ? `${words.unknownWith}${message}` : words.unknown ?? "";
}
