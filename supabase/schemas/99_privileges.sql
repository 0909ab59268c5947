-- Privileges: every grant and revoke on the objects above, and the default privileges. Last, so
-- every object it names exists.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- Supabase's default privileges grant anon, authenticated and service_role everything on what is
-- created in public; that is taken back first, so the grants below are all there is.
revoke all on all tables in schema public from anon, authenticated, service_role;
revoke all on all sequences in schema public from anon, authenticated, service_role;
revoke all on all functions in schema public from public, anon, authenticated, service_role;

-- A sequence created later is not usable by the client roles either.
alter default privileges for role postgres in schema public revoke all on sequences from anon, authenticated;

--

grant usage on schema private to service_role;
grant usage on schema private to supabase_auth_admin;

grant usage on schema public to postgres;
grant usage on schema public to anon;
grant usage on schema public to authenticated;
grant usage on schema public to service_role;

revoke all on function private.recover_claims_of_stopped_runs(stopped_by timestamp with time zone) from public;
grant all on function private.recover_claims_of_stopped_runs(stopped_by timestamp with time zone) to service_role;
revoke all on function private.hold_dispatcher_lease(holder uuid, lease interval) from public;
grant all on function private.hold_dispatcher_lease(holder uuid, lease interval) to service_role;
revoke all on function private.check_dispatcher_generation(lease_generation bigint) from public;
grant all on function private.check_dispatcher_generation(lease_generation bigint) to service_role;
revoke all on function private.choose_claimable(batch_size integer) from public;
grant all on function private.choose_claimable(batch_size integer) to service_role;

revoke all on function private.claim_messages_fenced(lease_generation bigint, batch_size integer, lease interval) from public;
grant all on function private.claim_messages_fenced(lease_generation bigint, batch_size integer, lease interval) to service_role;
revoke all on function private.record_delivery_fenced(lease_generation bigint, notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) from public;
grant all on function private.record_delivery_fenced(lease_generation bigint, notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) to service_role;

grant usage on sequence private.reminder_dispatcher_generation to service_role;

revoke all on function private.acquire_dispatcher_lease(holder uuid, lease interval) from public;
grant all on function private.acquire_dispatcher_lease(holder uuid, lease interval) to service_role;

revoke all on function private.begin_telegram_update(id bigint, lease interval) from public;
grant all on function private.begin_telegram_update(id bigint, lease interval) to service_role;

revoke all on function private.broadcast_owner_row_change() from public;

revoke all on function private.broadcast_telegram_link_change() from public;

revoke all on function private.claim_messages(batch_size integer, lease interval) from public;
grant all on function private.claim_messages(batch_size integer, lease interval) to service_role;

revoke all on function private.claim_notifications(batch_size integer, lease interval) from public;
grant all on function private.claim_notifications(batch_size integer, lease interval) to service_role;

revoke all on function private.complete_habit_from_telegram(chat_id bigint, notification_id bigint) from public;
grant all on function private.complete_habit_from_telegram(chat_id bigint, notification_id bigint) to service_role;

revoke all on function private.complete_today_from_telegram(chat_id bigint, habit_id uuid) from public;
grant all on function private.complete_today_from_telegram(chat_id bigint, habit_id uuid) to service_role;

revoke all on function private.current_streak(habit uuid) from public;
grant all on function private.current_streak(habit uuid) to service_role;

revoke all on function private.current_streaks(habits uuid[]) from public;
grant all on function private.current_streaks(habits uuid[]) to service_role;

revoke all on function private.digest_due_at(weekday integer, local_time time without time zone, time_zone text, at timestamp with time zone) from public;
grant all on function private.digest_due_at(weekday integer, local_time time without time zone, time_zone text, at timestamp with time zone) to service_role;

revoke all on function private.digest_for_message(owner uuid) from public;
grant all on function private.digest_for_message(owner uuid) to service_role;

revoke all on function private.digests_for_messages(owners uuid[]) from public;
grant all on function private.digests_for_messages(owners uuid[]) to service_role;

revoke all on function private.due_reminders(at timestamp with time zone, fast_path boolean, max_rows integer) from public;
grant all on function private.due_reminders(at timestamp with time zone, fast_path boolean, max_rows integer) to service_role;

revoke all on function private.enqueue_due_reminders(at timestamp with time zone) from public;
grant all on function private.enqueue_due_reminders(at timestamp with time zone) to service_role;

revoke all on function private.enqueue_weekly_digests(at timestamp with time zone) from public;
grant all on function private.enqueue_weekly_digests(at timestamp with time zone) to service_role;

revoke all on function private.finish_telegram_update(id bigint) from public;
grant all on function private.finish_telegram_update(id bigint) to service_role;

revoke all on function private.guard_first_email_confirmation() from public;
grant all on function private.guard_first_email_confirmation() to supabase_auth_admin;

revoke all on function private.habit_completions_check_completed_at() from public;

revoke all on function private.habit_completions_check_occurrence() from public;
grant all on function private.habit_completions_check_occurrence() to service_role;
revoke all on function private.habit_occurs_at(local_time time without time zone, interval_days integer, starts_on date, time_zone text, occurrence_at timestamp with time zone) from public;
grant all on function private.habit_occurs_at(local_time time without time zone, interval_days integer, starts_on date, time_zone text, occurrence_at timestamp with time zone) to service_role;

revoke all on function private.habit_streaks(owner uuid, only_habit uuid) from public;
grant all on function private.habit_streaks(owner uuid, only_habit uuid) to service_role;

revoke all on function private.habits_check_created_at() from public;

revoke all on function private.habits_check_starts_on() from public;

revoke all on function private.habits_clear_paused_reason() from public;
grant all on function private.habits_clear_paused_reason() to service_role;

revoke all on function private.habits_due_today_for_chat(chat_id bigint) from public;
grant all on function private.habits_due_today_for_chat(chat_id bigint) to service_role;

revoke all on function private.habits_enforce_account_limit() from public;
grant all on function private.habits_enforce_account_limit() to service_role;

revoke all on function private.habits_enforce_rules_and_schedule() from public;
grant all on function private.habits_enforce_rules_and_schedule() to service_role;

revoke all on function private.habits_normalize_text() from public;
grant all on function private.habits_normalize_text() to service_role;

revoke all on function private.habits_queue_created_messages() from public;
grant all on function private.habits_queue_created_messages() to service_role;

revoke all on function private.habits_require_numbers() from public;
grant all on function private.habits_require_numbers() to service_role;

revoke all on function private.habits_sync_public_listing() from public;
grant all on function private.habits_sync_public_listing() to service_role;

revoke all on function private.handle_new_user() from public;
grant all on function private.handle_new_user() to service_role;

revoke all on function private.has_deliverable_notifications(at timestamp with time zone) from public;
grant all on function private.has_deliverable_notifications(at timestamp with time zone) to service_role;

revoke all on function private.invoke_reminders_function() from public;
grant all on function private.invoke_reminders_function() to service_role;

revoke all on function private.is_known_time_zone(zone text) from public;
grant all on function private.is_known_time_zone(zone text) to service_role;
grant all on function private.is_known_time_zone(zone text) to authenticated;

revoke all on function private.latest_occurrence_at_or_before(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, at timestamp with time zone) from public;
grant all on function private.latest_occurrence_at_or_before(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, at timestamp with time zone) to service_role;

revoke all on function private.link_telegram_chat(link_code text, chat_id bigint, username text, move_from_other_account boolean) from public;
grant all on function private.link_telegram_chat(link_code text, chat_id bigint, username text, move_from_other_account boolean) to service_role;

revoke all on function private.mark_password_set_in_this_transaction(user_id uuid) from public;
grant all on function private.mark_password_set_in_this_transaction(user_id uuid) to supabase_auth_admin;

revoke all on function private.mark_telegram_chat_blocked(chat_id bigint) from public;
grant all on function private.mark_telegram_chat_blocked(chat_id bigint) to service_role;

revoke all on function private.next_deliverable_in() from public;
grant all on function private.next_deliverable_in() to service_role;

revoke all on function private.next_occurrence(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, after timestamp with time zone) from public;
grant all on function private.next_occurrence(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, after timestamp with time zone) to service_role;

revoke all on function private.note_user_created() from public;
grant all on function private.note_user_created() to supabase_auth_admin;

revoke all on function private.password_set_in_this_transaction(user_id uuid) from public;
grant all on function private.password_set_in_this_transaction(user_id uuid) to supabase_auth_admin;

revoke all on function private.pause_habits_with_unresolvable_zones(at timestamp with time zone) from public;
grant all on function private.pause_habits_with_unresolvable_zones(at timestamp with time zone) to service_role;

revoke all on function private.profiles_end_conversation_of_previous_chat() from public;
grant all on function private.profiles_end_conversation_of_previous_chat() to service_role;
revoke all on function private.profiles_guard_telegram_link() from public;
grant all on function private.profiles_guard_telegram_link() to service_role;

revoke all on function private.profiles_reschedule_habits() from public;
grant all on function private.profiles_reschedule_habits() to service_role;

revoke all on function private.profiles_resume_habits_paused_for_zone() from public;
grant all on function private.profiles_resume_habits_paused_for_zone() to service_role;

revoke all on function private.prune_housekeeping() from public;
grant all on function private.prune_housekeeping() to service_role;

revoke all on function private.queue_upcoming_reminders(at timestamp with time zone) from public;
grant all on function private.queue_upcoming_reminders(at timestamp with time zone) to service_role;

revoke all on function private.raise_rule_violation(relation text, rule text, explanation text) from public;
grant all on function private.raise_rule_violation(relation text, rule text, explanation text) to service_role;


revoke all on function private.record_delivery(notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) from public;
grant all on function private.record_delivery(notification_id bigint, outcome text, telegram_message_id bigint, error text, retry_after_seconds integer, max_attempts integer) to service_role;

revoke all on function private.record_two_factor_standing() from public;

revoke all on function private.release_dispatcher_lease(holder uuid, force boolean) from public;
grant all on function private.release_dispatcher_lease(holder uuid, force boolean) to service_role;

revoke all on function private.release_telegram_update(id bigint) from public;
grant all on function private.release_telegram_update(id bigint) to service_role;

grant all on table public.notifications to service_role;
grant select on table public.notifications to authenticated;

revoke all on function private.reminder_for_button(chat_id bigint, notification_id bigint) from public;
grant all on function private.reminder_for_button(chat_id bigint, notification_id bigint) to service_role;

revoke all on function private.requeue_dead_notifications(ids bigint[], died_since timestamp with time zone) from public;
grant all on function private.requeue_dead_notifications(ids bigint[], died_since timestamp with time zone) to service_role;

revoke all on function private.run_reminder_tick() from public;
grant all on function private.run_reminder_tick() to service_role;

revoke all on function private.queue_due_batch(tick_started timestamp with time zone) from public;
grant all on function private.queue_due_batch(tick_started timestamp with time zone) to service_role;

revoke all on function private.reminder_tick_setting(setting text) from public;
grant all on function private.reminder_tick_setting(setting text) to service_role;

revoke all on function private.send_reminder_now(habit_id uuid) from public;
grant all on function private.send_reminder_now(habit_id uuid) to service_role;

revoke all on function private.session_meets_two_factor() from public;
grant all on function private.session_meets_two_factor() to authenticated;
grant all on function private.session_meets_two_factor() to service_role;

revoke all on function private.set_must_choose_password(user_id uuid, required boolean) from public;
grant all on function private.set_must_choose_password(user_id uuid, required boolean) to supabase_auth_admin;

revoke all on function private.set_updated_at() from public;
grant all on function private.set_updated_at() to service_role;

revoke all on function private.skip_reminders_missed_while_down(at timestamp with time zone) from public;
grant all on function private.skip_reminders_missed_while_down(at timestamp with time zone) to service_role;

revoke all on function private.snooze_reminder_from_telegram(chat_id bigint, notification_id bigint, delay interval) from public;
grant all on function private.snooze_reminder_from_telegram(chat_id bigint, notification_id bigint, delay interval) to service_role;

revoke all on function private.streak_for_message(habit uuid) from public;
grant all on function private.streak_for_message(habit uuid) to service_role;

revoke all on function private.streak_marks_of(habits uuid[], at timestamp with time zone, depth integer) from public;
grant all on function private.streak_marks_of(habits uuid[], at timestamp with time zone, depth integer) to service_role;

revoke all on function private.streaks_for_messages(habits uuid[]) from public;
grant all on function private.streaks_for_messages(habits uuid[]) to service_role;

revoke all on function private.streak_lookback() from public;
grant all on function private.streak_lookback() to service_role;

revoke all on function private.streak_marks(habit uuid, at timestamp with time zone, depth integer) from public;
grant all on function private.streak_marks(habit uuid, at timestamp with time zone, depth integer) to service_role;


revoke all on function private.telegram_deep_link(code text) from public;
grant all on function private.telegram_deep_link(code text) to service_role;

revoke all on function private.telegram_conversations_of_linked_chat() from public;
grant all on function private.telegram_conversations_of_linked_chat() to service_role;
revoke all on function private.telegram_link_codes_issue() from public;
grant all on function private.telegram_link_codes_issue() to service_role;

revoke all on function private.time_zone_resolves(zone text) from public;
grant all on function private.time_zone_resolves(zone text) to service_role;

revoke all on function private.todays_occurrence(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, at timestamp with time zone) from public;
grant all on function private.todays_occurrence(local_time time without time zone, interval_days integer, anchor_date date, time_zone text, at timestamp with time zone) to service_role;

revoke all on function private.trim_blank(value text) from public;
grant all on function private.trim_blank(value text) to service_role;

revoke all on function private.unlink_telegram_chat(chat_id bigint) from public;
grant all on function private.unlink_telegram_chat(chat_id bigint) to service_role;

revoke all on function private.withdraw_reminders_queued_ahead() from public;

revoke all on function public.create_telegram_link_code() from public;
grant all on function public.create_telegram_link_code() to authenticated;
grant all on function public.create_telegram_link_code() to service_role;

revoke all on function public.disconnect_telegram() from public;
grant all on function public.disconnect_telegram() to authenticated;
grant all on function public.disconnect_telegram() to service_role;

grant select,insert,delete,update on table private.notification_send_slots to service_role;

grant select,insert,delete,update on table private.reminder_dispatcher to service_role;

grant select,insert,delete,update on table private.reminder_tick_clock to service_role;

grant select,update on table private.settings to service_role;

grant select,insert,delete,update on table private.telegram_chat_send_slots to service_role;

grant select,insert,delete,update on table private.telegram_conversations to service_role;

grant select on table private.two_factor_accounts to authenticated;

grant all on table public.habit_completions to service_role;
grant select,delete on table public.habit_completions to authenticated;

grant insert(habit_id) on table public.habit_completions to authenticated;

grant insert(occurrence_at) on table public.habit_completions to authenticated;

grant all on sequence public.habit_completions_id_seq to service_role;

grant all on table public.habits to service_role;
grant select,delete on table public.habits to authenticated;

grant insert(action),update(action) on table public.habits to authenticated;

grant insert(place),update(place) on table public.habits to authenticated;

grant insert("time"),update("time") on table public.habits to authenticated;

grant insert(interval_days),update(interval_days) on table public.habits to authenticated;

grant insert(duration_seconds),update(duration_seconds) on table public.habits to authenticated;

grant insert(is_pleasant),update(is_pleasant) on table public.habits to authenticated;

grant insert(related_habit_id),update(related_habit_id) on table public.habits to authenticated;

grant insert(reward),update(reward) on table public.habits to authenticated;

grant insert(is_public),update(is_public) on table public.habits to authenticated;

grant insert(is_paused),update(is_paused) on table public.habits to authenticated;

grant all on sequence public.notifications_id_seq to service_role;

grant all on table public.profiles to service_role;
grant select on table public.profiles to authenticated;

grant update(display_name) on table public.profiles to authenticated;

grant update(timezone) on table public.profiles to authenticated;

grant update(telegram_chat_id) on table public.profiles to authenticated;

grant update(telegram_username) on table public.profiles to authenticated;

grant update(telegram_linked_at) on table public.profiles to authenticated;

grant update(language) on table public.profiles to authenticated;

grant update(weekly_digest) on table public.profiles to authenticated;

grant update(digest_weekday) on table public.profiles to authenticated;

grant update(digest_time) on table public.profiles to authenticated;

grant update(time_format) on table public.profiles to authenticated;

grant select on table public.public_habits to anon;
grant select on table public.public_habits to authenticated;
grant select on table public.public_habits to service_role;

grant all on table public.telegram_link_codes to service_role;
grant select on table public.telegram_link_codes to authenticated;

grant insert(user_id) on table public.telegram_link_codes to authenticated;

-- pg_cron's jobs are read and run as postgres.
grant usage on schema cron to postgres;

-- The bot's send budget (issue 27).
revoke all on function private.setting(text, text) from public;
grant all on function private.setting(text, text) to service_role;
revoke all on function private.telegram_send_setting(text) from public;
grant all on function private.telegram_send_setting(text) to service_role;
revoke all on function private.take_telegram_send_slots(bigint[], boolean, timestamp with time zone) from public;
grant all on function private.take_telegram_send_slots(bigint[], boolean, timestamp with time zone) to service_role;
revoke all on function private.pause_telegram_sends(numeric) from public;
grant all on function private.pause_telegram_sends(numeric) to service_role;
revoke all on function private.telegram_sends_paused_for() from public;
grant all on function private.telegram_sends_paused_for() to service_role;
grant select, insert, update on table private.telegram_send_budget to service_role;
revoke all on function private.record_deliveries(bigint[], text[], bigint[], text[], integer[], integer) from public;
grant all on function private.record_deliveries(bigint[], text[], bigint[], text[], integer[], integer) to service_role;
-- Long replies through the outbox (65_telegram_replies.sql).
revoke all on function private.queue_telegram_reply(update_id bigint, chat_id bigint, parts jsonb) from public;
grant all on function private.queue_telegram_reply(update_id bigint, chat_id bigint, parts jsonb) to service_role;
grant select,insert,delete,update on table private.telegram_reply_parts to service_role;
revoke all on function private.reply_parts(notification_ids bigint[]) from public;
grant all on function private.reply_parts(notification_ids bigint[]) to service_role;
revoke all on function private.take_notification_send_slots(bigint, bigint[], boolean, timestamp with time zone) from public;
grant all on function private.take_notification_send_slots(bigint, bigint[], boolean, timestamp with time zone) to service_role;
revoke all on function private.note_departing_sends(bigint, bigint[], timestamp with time zone[]) from public;
grant all on function private.note_departing_sends(bigint, bigint[], timestamp with time zone[]) to service_role;
revoke all on function private.record_deliveries_fenced(bigint, bigint[], text[], bigint[], text[], integer[], integer) from public;
grant all on function private.record_deliveries_fenced(bigint, bigint[], text[], bigint[], text[], integer[], integer) to service_role;

revoke all on function private.weekly_digests(owners uuid[]) from public;
grant all on function private.weekly_digests(owners uuid[]) to service_role;
