-- =====================================================================================
-- Telegram: linking a chat to an account, and what the bot's buttons change
-- The telegram-webhook edge function calls the private functions below over its database
-- connection; signed-in users call create_telegram_link_code through the Data API.
-- =====================================================================================

-- Updates already handled, so that Telegram's redeliveries are answered without acting twice.
create table private.telegram_updates (
  update_id bigint primary key,
  received_at timestamptz not null default now()
);
create index telegram_updates_received_at_idx on private.telegram_updates (received_at);

-- Which occurrence a message is about (the Done button completes it), and which message a
-- snoozed reminder repeats (one snooze per message).
alter table public.notifications
  add column occurrence_at timestamptz,
  add column snoozed_from_id bigint
    constraint notifications_snoozed_from_id_fkey references public.notifications (id) on delete cascade,
  add constraint notifications_snoozed_once unique (snoozed_from_id);
update public.notifications set occurrence_at = due_at where kind = 'reminder';

-- ------------------------------------------------------------------ link codes (RPC)

-- A fresh one-time code for the caller, and the t.me deep link that carries it when the bot's
-- username is configured (Vault secret `telegram_bot_username`). At most 5 codes an hour.
create function public.create_telegram_link_code()
returns table (code text, expires_at timestamptz, deep_link text)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  new_code text := translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_');
  bot_username text;
  created public.telegram_link_codes;
begin
  if caller is null then
    raise exception using errcode = '42501', message = 'Sign in to connect a Telegram chat.';
  end if;
  if (select count(*) from public.telegram_link_codes c
      where c.user_id = caller and c.created_at > now() - interval '1 hour') >= 5 then
    raise exception using
      errcode = 'PT429',
      message = 'Too many Telegram link codes requested; try again in an hour.',
      hint = 'telegram_link_codes_per_hour';
  end if;
  insert into public.telegram_link_codes (code, user_id) values (new_code, caller) returning * into created;
  select s.decrypted_secret into bot_username from vault.decrypted_secrets s where s.name = 'telegram_bot_username';
  return query select created.code, created.expires_at,
    case when nullif(bot_username, '') is not null then 'https://t.me/' || bot_username || '?start=' || created.code end;
end
$$;
revoke all on function public.create_telegram_link_code() from public, anon;
grant execute on function public.create_telegram_link_code() to authenticated, service_role;

-- ------------------------------------------------------------------ linking and unlinking

-- Links `chat_id` to the account that requested `link_code`.
-- outcome: linked | unknown_code | expired_code | used_code.
-- A chat holds one account: linking it to a second account unlinks the first (the person holding
-- the chat decides), and previous_user_id names that account.
create function private.link_telegram_chat(link_code text, chat_id bigint, username text)
returns table (outcome text, user_id uuid, previous_user_id uuid)
language plpgsql
volatile
set search_path = ''
as $$
declare
  found_code public.telegram_link_codes;
  previous uuid;
begin
  select * into found_code from public.telegram_link_codes c where c.code = link_code for update;
  if not found then
    return query select 'unknown_code', null::uuid, null::uuid;
    return;
  end if;
  if found_code.used_at is not null then
    return query select 'used_code', found_code.user_id, null::uuid;
    return;
  end if;
  if found_code.expires_at <= now() then
    return query select 'expired_code', found_code.user_id, null::uuid;
    return;
  end if;

  update public.profiles p
  set telegram_chat_id = null, telegram_username = null, telegram_linked_at = null
  where p.telegram_chat_id = link_telegram_chat.chat_id and p.id <> found_code.user_id
  returning p.id into previous;

  update public.profiles p
  set telegram_chat_id = link_telegram_chat.chat_id,
      telegram_username = nullif(username, ''),
      telegram_linked_at = now(),
      telegram_blocked_at = null
  where p.id = found_code.user_id;

  update public.telegram_link_codes c set used_at = now() where c.code = link_code;
  return query select 'linked', found_code.user_id, previous;
end
$$;

-- Unlinks the chat (the /stop command). Returns the account it was linked to, or null.
create function private.unlink_telegram_chat(chat_id bigint)
returns uuid
language sql
volatile
set search_path = ''
as $$
  update public.profiles p
  set telegram_chat_id = null, telegram_username = null, telegram_linked_at = null
  where p.telegram_chat_id = unlink_telegram_chat.chat_id
  returning p.id
$$;

-- The signed-in user disconnects their chat from the web app (the /stop command does the same
-- from Telegram). Returns the chat id that was linked, or null.
create function public.disconnect_telegram()
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  previous_chat bigint;
begin
  if caller is null then
    raise exception using errcode = '42501', message = 'Sign in to disconnect a Telegram chat.';
  end if;
  select p.telegram_chat_id into previous_chat from public.profiles p where p.id = caller for update;
  update public.profiles p
  set telegram_chat_id = null, telegram_username = null, telegram_linked_at = null
  where p.id = caller;
  return previous_chat;
end
$$;
revoke all on function public.disconnect_telegram() from public, anon;
grant execute on function public.disconnect_telegram() to authenticated, service_role;

-- Telegram answered 403 (the user blocked the bot): unlink and remember why, so the SPA can say so.
create function private.mark_telegram_chat_blocked(chat_id bigint)
returns uuid
language sql
volatile
set search_path = ''
as $$
  update public.profiles p
  set telegram_chat_id = null, telegram_linked_at = null, telegram_blocked_at = now()
  where p.telegram_chat_id = mark_telegram_chat_blocked.chat_id
  returning p.id
$$;

-- ------------------------------------------------------------------ reminder buttons

-- The reminder a button refers to, if `chat_id` may press it.
-- outcome: ok | not_found (message or habit gone) | other_chat | not_a_reminder.
create function private.reminder_for_button(chat_id bigint, notification_id bigint)
returns table (outcome text, notification public.notifications)
language plpgsql
stable
set search_path = ''
as $$
declare
  found_notification public.notifications;
  owner_chat bigint;
begin
  select n.* into found_notification from public.notifications n where n.id = notification_id;
  if not found then
    return query select 'not_found', null::public.notifications;
    return;
  end if;
  select p.telegram_chat_id into owner_chat from public.profiles p where p.id = found_notification.owner_id;
  if owner_chat is distinct from chat_id then
    return query select 'other_chat', null::public.notifications;
  elsif found_notification.kind not in ('reminder', 'snoozed_reminder') or found_notification.occurrence_at is null then
    return query select 'not_a_reminder', null::public.notifications;
  else
    return query select 'ok', found_notification;
  end if;
end
$$;

-- Done: records one completion per occurrence however often it is pressed, and returns what
-- follows the habit: its reward or its linked pleasant habit.
-- outcome: recorded | already_recorded | not_found | other_chat | not_a_reminder.
create function private.complete_habit_from_telegram(chat_id bigint, notification_id bigint)
returns table (outcome text, habit_action text, reward text, pleasant_action text, pleasant_place text)
language plpgsql
volatile
set search_path = ''
as $$
declare
  button record;
  inserted boolean;
begin
  select * into button from private.reminder_for_button(chat_id, notification_id);
  if button.outcome <> 'ok' then
    return query select button.outcome, null::text, null::text, null::text, null::text;
    return;
  end if;
  insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
  values ((button.notification).habit_id, (button.notification).owner_id, (button.notification).occurrence_at, 'telegram')
  on conflict on constraint habit_completions_once_per_occurrence do nothing;
  inserted := found;
  return query
  select case when inserted then 'recorded' else 'already_recorded' end, h.action, h.reward, pleasant.action, pleasant.place
  from public.habits h
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  where h.id = (button.notification).habit_id;
end
$$;

-- Snooze: the reminder comes again after `delay`, once per message.
-- outcome: snoozed | already_snoozed | not_found | other_chat | not_a_reminder.
create function private.snooze_reminder_from_telegram(chat_id bigint, notification_id bigint, delay interval default '15 minutes')
returns table (outcome text, due_at timestamptz)
language plpgsql
volatile
set search_path = ''
as $$
declare
  button record;
  snoozed_due timestamptz := date_trunc('second', now() + delay);
begin
  select * into button from private.reminder_for_button(chat_id, notification_id);
  if button.outcome <> 'ok' then
    return query select button.outcome, null::timestamptz;
    return;
  end if;
  insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at, occurrence_at, snoozed_from_id)
  values ((button.notification).habit_id, (button.notification).owner_id, 'snoozed_reminder', snoozed_due, snoozed_due,
          (button.notification).occurrence_at, (button.notification).id)
  on conflict do nothing;
  if found then
    return query select 'snoozed', snoozed_due;
  else
    return query select 'already_snoozed', (select n.due_at from public.notifications n where n.snoozed_from_id = notification_id);
  end if;
end
$$;

-- ------------------------------------------------------------------ what the bot shows

-- The habits due on the chat owner's local today, with whether each is done.
create function private.habits_due_today_for_chat(chat_id bigint)
returns table (habit_id uuid, action text, place text, local_time time, duration_seconds smallint, done boolean)
language sql
stable
set search_path = ''
as $$
  with owner as (
    select p.id, (now() at time zone p.timezone)::date as today, p.timezone
    from public.profiles p where p.telegram_chat_id = habits_due_today_for_chat.chat_id
  )
  select h.id, h.action, h.place, h.time, h.duration_seconds,
    exists (
      select from public.habit_completions c
      where c.habit_id = h.id
        and c.occurrence_at >= (owner.today::timestamp at time zone owner.timezone)
        and c.occurrence_at < ((owner.today + 1)::timestamp at time zone owner.timezone)
    )
  from owner
  join public.habits h on h.owner_id = owner.id
  where h.starts_on <= owner.today and (owner.today - h.starts_on) % h.interval_days = 0
  order by h.time, h.action
$$;
