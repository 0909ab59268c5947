/**
 * The Russian sentence for every identifier of RULE_SENTENCES (error-messages.ts), and for the
 * generic fallbacks. tests/e2e/error_messages_test.ts fails when an identifier has none.
 * No imports, like error-messages.ts.
 */
export const RULE_SENTENCES_RU: Readonly<Record<string, string>> = {
  habits_action_length: "Опишите действие: от 1 до 200 символов.",
  habits_place_length: "Назовите место: от 1 до 200 символов.",
  habits_reward_length: "Награда — от 1 до 200 символов, или оставьте поле пустым.",
  habits_interval_days_range: "Выберите периодичность: раз в 1–7 дней (не реже раза в неделю).",
  habits_duration_seconds_range: "Привычка занимает не больше 120 секунд: выберите от 1 до 120 секунд.",
  habits_reward_or_related_habit: "Выберите либо награду, либо связанную приятную привычку, но не обе сразу.",
  habits_pleasant_has_no_reward_or_link:
    "Приятная привычка сама себе награда: у неё нет ни награды, ни связанной привычки.",
  habits_require_telegram: "Сначала подключите чат Telegram: напоминания приходят туда.",
  habits_related_habit_must_be_pleasant:
    "Связать можно только приятную привычку. Выберите одну из своих приятных привычек.",
  habits_related_habit_must_be_own: "Связанной привычки больше нет. Выберите другую приятную привычку.",
  habits_related_habit_not_itself: "Привычку нельзя связать с ней самой.",
  habits_linked_habit_must_stay_pleasant:
    "С этой привычкой связаны другие, поэтому она должна остаться приятной. Сначала отвяжите их.",
  habits_owner_is_immutable: "Привычку нельзя перенести в другой аккаунт.",
  habits_paused_reason_known: "Неизвестная причина паузы.",
  habits_starts_on_range: "Привычка начинается не раньше 1 января 2000 года и не позже чем через год.",
  habits_created_at_range:
    "История привычки начинается не раньше 1 января 2000 года и не позже текущего момента.",
  habits_time_of_day: "Выберите время суток от 00:00 до 23:59.",
  habits_per_account_limit:
    "У вас уже максимальное число привычек для одного аккаунта. Сначала удалите ненужную.",
  habits_id_owner_key: "Такая привычка уже есть.",
  habits_owner_id_fkey: "Ваш профиль не найден. Выйдите и войдите снова.",
  habits_related_habit_same_owner_fkey: "Связанной привычки больше нет. Выберите другую приятную привычку.",
  profiles_display_name_length: "Имя — не длиннее 80 символов.",
  profiles_timezone_is_known: "Выберите часовой пояс из списка, например Europe/Moscow.",
  profiles_language_known: "Выберите английский или русский.",
  profiles_time_format_known: "Выберите 24-часовой формат, 12-часовой или обычный для вашего языка.",
  profiles_digest_weekday_range: "Выберите день недели для сводки.",
  profiles_digest_time_of_day: "Выберите время сводки от 00:00 до 23:59.",
  profiles_telegram_chat_private:
    "Подключить можно только личный чат с ботом, не группу и не канал: там кто угодно мог бы действовать за вас.",
  profiles_telegram_chat_id_key: "Этот чат Telegram уже подключён к другому аккаунту.",
  profiles_id_fkey: "Вашего аккаунта больше нет. Зарегистрируйтесь снова.",
  habit_completions_once_per_occurrence: "Вы уже отметили это выполнение.",
  habit_completions_source_known: "Выполнение отмечается в веб-приложении или в Telegram.",
  habit_completions_habit_same_owner_fkey: "Этой привычки больше нет. Обновите страницу.",
  habit_completions_owner_id_fkey: "Ваш профиль не найден. Выйдите и войдите снова.",
  habit_completions_occurrence_on_schedule:
    "Это не одно из назначенных времён привычки. Обновите страницу и отметьте показанное.",
  habit_completions_occurrence_not_after_today:
    "Отметить можно только сегодняшние и более ранние выполнения.",
  habit_completions_occurrence_at_range:
    "Выполнение — за день с 1 января 2000 года по сегодня (сегодняшнее можно отметить заранее).",
  habit_completions_completed_at_range:
    "Выполнение отмечается не раньше 1 января 2000 года и не позже текущего момента.",
  public_habits_id_fkey: "Этой публичной привычки больше нет. Обновите страницу.",
  notifications_once_per_occurrence: "Это напоминание уже в очереди.",
  notifications_kind_known: "Неизвестный вид сообщения.",
  notifications_status_known: "Неизвестный статус доставки.",
  notifications_attempts_non_negative: "Число попыток доставки не может быть отрицательным.",
  notifications_snoozed_once: "Это напоминание уже отложено.",
  notifications_snoozed_from_id_fkey: "Отложенного напоминания больше нет.",
  notifications_habit_id_fkey: "Этой привычки больше нет. Обновите страницу.",
  notifications_owner_id_fkey: "Ваш профиль не найден. Выйдите и войдите снова.",
  telegram_link_codes_code_format: "Код привязки недействителен. Получите новый.",
  telegram_link_codes_expiry_after_creation: "Срок действия кода привязки истёк. Получите новый.",
  telegram_link_codes_user_id_fkey: "Ваш профиль не найден. Выйдите и войдите снова.",
  telegram_link_codes_pkey: "Не удалось создать код привязки. Попробуйте ещё раз.",
  telegram_link_codes_per_hour:
    "За последний час вы запросили 5 кодов привязки. Попробуйте позже или используйте последний код.",
  notifications_habit_unless_digest: "Напоминание относится к привычке, а недельная сводка — ни к одной.",
};
