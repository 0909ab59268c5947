-- Live updates (issue 26): every change a person's open screens show is broadcast from the
-- database on that person's private Realtime topic `user:<their id>`, and RLS on
-- realtime.messages lets only that person (in a session good enough for their account) join it.
-- Screens treat an event as "this changed, read it again", so a payload never has to carry more
-- than the row it is about.

-- Who may join a topic: Realtime inserts a probe row for the topic as the joining person and
-- keeps the join only if this policy lets them read it back.
create policy "People receive the broadcasts of their own topic"
  on realtime.messages
  for select
  to authenticated
  using (
    extension = 'broadcast'
    and (select realtime.topic()) = 'user:' || (select auth.uid())::text
  );

-- Same rule as every exposed table: a two-factor account listens only from a two-factor session.
create policy "Two-factor accounts need a two-factor session for live updates"
  on realtime.messages
  as restrictive
  for select
  to authenticated
  using (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  );

-- Security definer: the write that causes a broadcast runs as the person (or the bot's service
-- role), and neither may insert into realtime.messages themselves.
create function private.broadcast_owner_row_change()
returns trigger
language plpgsql
security definer
set search_path = ''
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
revoke execute on function private.broadcast_owner_row_change() from public, anon, authenticated, service_role;

create trigger habit_completions_broadcast
after insert or update or delete on public.habit_completions
for each row execute function private.broadcast_owner_row_change();

create trigger habits_broadcast
after insert or update or delete on public.habits
for each row execute function private.broadcast_owner_row_change();

-- Only delivery-status changes: the dispatcher's leases and retries would be noise.
create trigger notifications_broadcast_insert_delete
after insert or delete on public.notifications
for each row execute function private.broadcast_owner_row_change();

create trigger notifications_broadcast_status
after update of status on public.notifications
for each row when (old.status is distinct from new.status)
execute function private.broadcast_owner_row_change();

-- The Telegram page needs only whether a chat is linked, not the chat itself.
create function private.broadcast_telegram_link_change()
returns trigger
language plpgsql
security definer
set search_path = ''
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
revoke execute on function private.broadcast_telegram_link_change() from public, anon, authenticated, service_role;

create trigger profiles_broadcast_telegram_link
after update of telegram_chat_id, telegram_username, telegram_blocked_at on public.profiles
for each row
when (
  old.telegram_chat_id is distinct from new.telegram_chat_id
  or old.telegram_username is distinct from new.telegram_username
  or old.telegram_blocked_at is distinct from new.telegram_blocked_at
)
execute function private.broadcast_telegram_link_change();
