-- Live updates: row changes broadcast to the owner's private topic, and who may receive them.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- Security definer: the write that causes a broadcast runs as the person (or the bot's service
-- role), and neither may insert into realtime.messages themselves.
create function private.broadcast_owner_row_change() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  owner uuid := coalesce(new.owner_id, old.owner_id);
begin
  perform realtime.broadcast_changes(
    'user:' || owner::text, tg_table_name, tg_op, tg_table_name, tg_table_schema, new, old
  );
  return null;
end;
$$;

-- The Telegram page needs only whether a chat is linked, not the chat itself.
create function private.broadcast_telegram_link_change() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  perform realtime.send(
    jsonb_build_object(
      'telegram_linked', new.telegram_chat_id is not null,
      'telegram_username', new.telegram_username
    ),
    'telegram_link',
    'user:' || new.id::text
  );
  return null;
end;
$$;

create trigger habit_completions_broadcast after insert or delete or update on public.habit_completions for each row execute function private.broadcast_owner_row_change();

create trigger habits_broadcast_insert_delete after insert or delete on public.habits for each row execute function private.broadcast_owner_row_change();

-- UPDATE OF fires when the statement names one of these columns in its SET list; the tick's
-- updates name only next_reminder_at (and the pause columns, which people do see).
create trigger habits_broadcast_update after update of owner_id, action, place, "time", interval_days, duration_seconds, is_pleasant, related_habit_id, reward, is_public, is_paused, starts_on, paused_reason on public.habits for each row execute function private.broadcast_owner_row_change();

create trigger notifications_broadcast_settled_insert after insert on public.notifications for each row when ((new.status = any (array['sent'::text, 'dead'::text, 'skipped'::text, 'unconfirmed'::text]))) execute function private.broadcast_owner_row_change();

create trigger notifications_broadcast_settled_status after update of status on public.notifications for each row when (((old.status is distinct from new.status) and (new.status = any (array['sent'::text, 'dead'::text, 'skipped'::text, 'unconfirmed'::text])))) execute function private.broadcast_owner_row_change();

create trigger profiles_broadcast_telegram_link after update of telegram_chat_id, telegram_username, telegram_blocked_at on public.profiles for each row when (((old.telegram_chat_id is distinct from new.telegram_chat_id) or (old.telegram_username is distinct from new.telegram_username) or (old.telegram_blocked_at is distinct from new.telegram_blocked_at))) execute function private.broadcast_telegram_link_change();

-- A person receives only the broadcasts of their own topic, user:<their id>.
create policy "People receive the broadcasts of their own topic" on realtime.messages for select to authenticated using (((extension = 'broadcast'::text) and (( select realtime.topic() as topic) = ('user:'::text || (( select auth.uid() as uid))::text))));

-- An account with a second factor receives live updates only in a two-factor session.
create policy "Two-factor accounts need a two-factor session for live updates" on realtime.messages as restrictive for select to authenticated using (( select private.session_meets_two_factor() as session_meets_two_factor));
