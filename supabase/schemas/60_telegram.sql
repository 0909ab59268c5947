-- Telegram: link codes, linking, updates taken once, conversations and reminder buttons.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- Takes update `id` for handling.
-- outcome: handle (go ahead, within `lease`) | handled (done before: a redelivery) |
-- in_progress (another request is handling it right now: ask Telegram to come back later).
create function private.begin_telegram_update(id bigint, lease interval default '00:00:30'::interval) returns text
    language plpgsql
    set search_path to ''
    as $$
declare
  taken bigint;
  done_at timestamptz;
begin
  insert into private.telegram_updates as u (update_id, lease_until)
  values (begin_telegram_update.id, now() + lease)
  on conflict (update_id) do update
    set lease_until = now() + lease
    where u.handled_at is null and u.lease_until <= now()
  returning u.update_id into taken;
  if taken is not null then
    return 'handle';
  end if;
  select u.handled_at into done_at from private.telegram_updates u where u.update_id = begin_telegram_update.id;
  return case when done_at is not null then 'handled' else 'in_progress' end;
end
$$;

create function private.complete_habit_from_telegram(chat_id bigint, notification_id bigint) returns table(outcome text, habit_action text, reward text, pleasant_action text, pleasant_place text)
    language plpgsql
    set search_path to ''
    as $$
declare
  button record;
  inserted boolean;
begin
  perform from public.notifications n where n.id = notification_id for update;
  select * into button from private.reminder_for_button(chat_id, notification_id);
  if button.outcome <> 'ok' then
    return query select button.outcome, null::text, null::text, null::text, null::text;
    return;
  end if;
  if exists (select from public.habits h where h.id = (button.notification).habit_id and h.is_paused) then
    return query select 'paused', null::text, null::text, null::text, null::text;
    return;
  end if;
  -- A reminder on demand (private.send_reminder_now) names the next occurrence when today is not
  -- on the habit's grid: it cannot be done yet, as on the web (occurrence_not_after_today). Only
  -- an occurrence still to come is converted: a scheduled reminder's never is.
  if (button.notification).occurrence_at > now() and exists (
    select from public.profiles p
    where p.id = (button.notification).owner_id
      and ((button.notification).occurrence_at at time zone p.timezone)::date > (now() at time zone p.timezone)::date
  ) then
    return query select 'not_due_today', null::text, null::text, null::text, null::text;
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

-- Done from /today in Telegram: completes today's occurrence of the chat owner's habit, early
-- if need be. outcome: recorded | already_recorded | not_found (no such habit of this chat's
-- owner) | paused (paused since the list was sent: nothing recorded, as a reminder's Done) |
-- not_due_today.
create function private.complete_today_from_telegram(chat_id bigint, habit_id uuid) returns table(outcome text, habit_action text, reward text, pleasant_action text, pleasant_place text)
    language plpgsql
    set search_path to ''
    as $$
declare
  found_habit record;
  occurrence timestamptz;
  inserted boolean;
begin
  select h.id, h.owner_id, h.time, h.interval_days, h.starts_on, h.is_paused, p.timezone into found_habit
  from public.habits h
  join public.profiles p on p.id = h.owner_id
  where h.id = complete_today_from_telegram.habit_id and p.telegram_chat_id = complete_today_from_telegram.chat_id;
  if not found then
    return query select 'not_found', null::text, null::text, null::text, null::text;
    return;
  end if;
  if found_habit.is_paused then
    return query select 'paused', null::text, null::text, null::text, null::text;
    return;
  end if;
  occurrence := private.todays_occurrence(found_habit.time, found_habit.interval_days, found_habit.starts_on, found_habit.timezone);
  if occurrence is null then
    return query select 'not_due_today', null::text, null::text, null::text, null::text;
    return;
  end if;
  insert into public.habit_completions (habit_id, owner_id, occurrence_at, source)
  values (found_habit.id, found_habit.owner_id, occurrence, 'telegram')
  on conflict on constraint habit_completions_once_per_occurrence do nothing;
  inserted := found;
  return query
  select case when inserted then 'recorded' else 'already_recorded' end, h.action, h.reward, pleasant.action, pleasant.place
  from public.habits h
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  where h.id = found_habit.id;
end
$$;

-- The update's handling succeeded: its redeliveries are answered without acting again.
create function private.finish_telegram_update(id bigint) returns void
    language sql
    set search_path to ''
    as $$
  update private.telegram_updates u
  set handled_at = now(), lease_until = null
  where u.update_id = finish_telegram_update.id
$$;

create function private.habits_due_today_for_chat(chat_id bigint) returns table(habit_id uuid, action text, place text, local_time time without time zone, duration_seconds smallint, done boolean)
    language sql stable
    set search_path to ''
    as $$
  with owner as (
    select p.id, (now() at time zone p.timezone)::date as today, p.timezone
    from public.profiles p where p.telegram_chat_id = habits_due_today_for_chat.chat_id
  )
  select h.id, h.action, h.place, h.time, h.duration_seconds::smallint,
    exists (
      select from public.habit_completions c
      where c.habit_id = h.id
        and c.occurrence_at >= (owner.today::timestamp at time zone owner.timezone)
        and c.occurrence_at < ((owner.today + 1)::timestamp at time zone owner.timezone)
    )
  from owner
  join public.habits h on h.owner_id = owner.id
  where not h.is_paused
    and h.starts_on <= owner.today and (owner.today - h.starts_on) % h.interval_days = 0
  order by h.time, h.action
$$;

-- Links `chat_id` to the account that requested `link_code`.
-- outcome:
--   linked            the chat is linked (previous_user_id: the account it moved from, if any);
--   already_linked    the chat already belongs to the code's account: nothing changes;
--   linked_elsewhere  the chat belongs to another account (previous_user_id) and the move was not
--                     confirmed: nothing changes and the code stays valid until it expires;
--   not_private_chat  a group, supergroup or channel: nothing changes;
--   unknown_code | expired_code | used_code: nothing changes.
-- A move ends the chat's unfinished /new or /edit: its answers belong to the previous account.
create function private.link_telegram_chat(link_code text, chat_id bigint, username text, move_from_other_account boolean default false) returns table(outcome text, user_id uuid, previous_user_id uuid)
    language plpgsql
    set search_path to ''
    as $$
declare
  found_code public.telegram_link_codes;
  holder uuid;
begin
  if link_telegram_chat.chat_id is null or link_telegram_chat.chat_id <= 0 then
    return query select 'not_private_chat', null::uuid, null::uuid;
    return;
  end if;
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

  select p.id into holder from public.profiles p where p.telegram_chat_id = link_telegram_chat.chat_id for update;
  if holder = found_code.user_id then
    return query select 'already_linked', found_code.user_id, null::uuid;
    return;
  end if;
  if holder is not null and not coalesce(move_from_other_account, false) then
    return query select 'linked_elsewhere', found_code.user_id, holder;
    return;
  end if;

  if holder is not null then
    update public.profiles p
    set telegram_chat_id = null, telegram_username = null, telegram_linked_at = null
    where p.id = holder;
    delete from private.telegram_conversations c where c.chat_id = link_telegram_chat.chat_id;
  end if;

  update public.profiles p
  set telegram_chat_id = link_telegram_chat.chat_id,
      telegram_username = nullif(username, ''),
      telegram_linked_at = now(),
      telegram_blocked_at = null
  where p.id = found_code.user_id;

  update public.telegram_link_codes c set used_at = now() where c.code = link_code;
  return query select 'linked', found_code.user_id, holder;
end
$$;

-- Telegram answered 403 (the user blocked the bot): unlink, remember why (the SPA says so), and
-- stop everything still queued for that chat.
create function private.mark_telegram_chat_blocked(chat_id bigint) returns uuid
    language sql
    set search_path to ''
    as $$
  with unlinked as (
    update public.profiles p
    set telegram_chat_id = null, telegram_linked_at = null, telegram_blocked_at = now()
    where p.telegram_chat_id = mark_telegram_chat_blocked.chat_id
    returning p.id
  ),
  stopped as (
    update public.notifications n
    set status = 'skipped', last_error = 'the chat blocked the bot (403)', lease_until = null
    from unlinked
    where n.owner_id = unlinked.id and n.status in ('pending', 'retry', 'sending')
    returning 1
  )
  select id from unlinked
$$;

-- Ends the conversation of the chat a profile was linked to, once the profile no longer has it.
-- SECURITY DEFINER: the web app's Disconnect runs as `authenticated`, which cannot touch private.
create function private.profiles_end_conversation_of_previous_chat() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  delete from private.telegram_conversations c
  where c.chat_id = old.telegram_chat_id and c.user_id = old.id;
  return null;
end
$$;

create function private.profiles_guard_telegram_link() returns trigger
    language plpgsql
    set search_path to ''
    as $$
begin
  if current_user in ('anon', 'authenticated') and (
       (new.telegram_chat_id is not null and new.telegram_chat_id is distinct from old.telegram_chat_id)
    or (new.telegram_username is not null and new.telegram_username is distinct from old.telegram_username)
    or (new.telegram_linked_at is not null and new.telegram_linked_at is distinct from old.telegram_linked_at)) then
    raise exception using
      errcode = 'insufficient_privilege',
      message = 'permission denied to set the Telegram link of a profile',
      detail = 'A Telegram chat is connected from Telegram; the web app can only disconnect it.';
  end if;
  return new;
end
$$;

-- The update's handling failed: its redelivery may be handled at once.
create function private.release_telegram_update(id bigint) returns void
    language sql
    set search_path to ''
    as $$
  update private.telegram_updates u
  set lease_until = now()
  where u.update_id = release_telegram_update.id and u.handled_at is null
$$;

-- The reminder a button refers to, if `chat_id` may press it.
-- outcome: ok | not_found (message or habit gone) | other_chat | not_a_reminder.
create function private.reminder_for_button(chat_id bigint, notification_id bigint) returns table(outcome text, notification public.notifications)
    language plpgsql stable
    set search_path to ''
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

create function private.snooze_reminder_from_telegram(chat_id bigint, notification_id bigint, delay interval default '00:15:00'::interval) returns table(outcome text, due_at timestamp with time zone)
    language plpgsql
    set search_path to ''
    as $$
declare
  button record;
  habit public.habits;
  snoozed_due timestamptz := date_trunc('second', now() + delay);
begin
  perform from public.notifications n where n.id = notification_id for update;
  select * into button from private.reminder_for_button(chat_id, notification_id);
  if button.outcome <> 'ok' then
    return query select button.outcome, null::timestamptz;
    return;
  end if;
  select h.* into habit from public.habits h where h.id = (button.notification).habit_id for share;
  if not found then
    return query select 'not_found', null::timestamptz;
    return;
  end if;
  if habit.is_paused then
    return query select 'paused', null::timestamptz;
    return;
  end if;
  if exists (
    select from public.habit_completions c
    where c.habit_id = habit.id and c.occurrence_at = (button.notification).occurrence_at
  ) then
    return query select 'already_done', null::timestamptz;
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

-- A conversation is written only for a chat linked to its account (errcode 23514, the rule's name
-- as the constraint), so a handler racing an unlink cannot start one for the previous account.
create function private.telegram_conversations_of_linked_chat() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  -- FOR SHARE: an unlink still in progress is waited for, then seen; one that comes after waits
  -- for this row and its trigger ends the conversation.
  if not exists (
    select from public.profiles p where p.id = new.user_id and p.telegram_chat_id = new.chat_id for share
  ) then
    raise exception using
      errcode = 'check_violation',
      constraint = 'telegram_conversations_of_linked_chat',
      table = 'telegram_conversations',
      schema = 'private',
      message = 'a Telegram conversation belongs to an account the chat is linked to',
      detail = format('chat %s is not linked to account %s', new.chat_id, new.user_id);
  end if;
  return new;
end
$$;

-- The deep link that carries `code`, or null while the bot's username is not configured.
create function private.telegram_deep_link(code text) returns text
    language sql stable security definer
    set search_path to ''
    as $$
  select case when nullif(bot.decrypted_secret, '') is not null then
    rtrim(coalesce(nullif(base.decrypted_secret, ''), 'https://t.me'), '/') || '/' || bot.decrypted_secret
      || '?start=' || code
  end
  from (select 1) one
  left join vault.decrypted_secrets bot on bot.name = 'telegram_bot_username'
  left join vault.decrypted_secrets base on base.name = 'telegram_deep_link_base'
$$;

create function private.telegram_link_codes_issue() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  if new.code is not null then
    return new;
  end if;
  if new.user_id is null then
    raise exception using errcode = '42501', message = 'Sign in to connect a Telegram chat.';
  end if;
  -- One request at a time per person: a request that overlaps waits here for the other to end,
  -- then counts its code too (read committed: each statement sees what committed before it).
  perform from public.profiles p where p.id = new.user_id for no key update;
  if (select count(*) from public.telegram_link_codes c
      where c.user_id = new.user_id and c.created_at > now() - interval '1 hour') >= 5 then
    raise exception using
      errcode = 'PT429',
      message = 'Too many Telegram link codes requested; try again in an hour.',
      hint = 'telegram_link_codes_per_hour';
  end if;
  new.code := translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_');
  new.deep_link := private.telegram_deep_link(new.code);
  return new;
end
$$;

-- Unlinks the chat (the /stop command). Returns the account it was linked to, or null.
create function private.unlink_telegram_chat(chat_id bigint) returns uuid
    language sql
    set search_path to ''
    as $$
  update public.profiles p
  set telegram_chat_id = null, telegram_username = null, telegram_linked_at = null
  where p.telegram_chat_id = unlink_telegram_chat.chat_id
  returning p.id
$$;

create function public.create_telegram_link_code() returns table(code text, expires_at timestamp with time zone, deep_link text)
    language plpgsql
    set search_path to ''
    as $$
begin
  if (select auth.uid()) is null then
    raise exception using errcode = '42501', message = 'Sign in to connect a Telegram chat.';
  end if;
  return query
  insert into public.telegram_link_codes as c default values
  returning c.code, c.expires_at, c.deep_link;
end
$$;

create function public.disconnect_telegram() returns bigint
    language plpgsql
    set search_path to ''
    as $$
declare
  caller uuid := (select auth.uid());
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

create table private.telegram_conversations (
    chat_id bigint not null,
    user_id uuid not null,
    flow text not null,
    step text not null,
    draft jsonb default '{}'::jsonb not null,
    habit_id uuid,
    updated_at timestamp with time zone default now() not null,
    constraint telegram_conversations_draft_object check (((jsonb_typeof(draft) = 'object'::text) and (pg_column_size(draft) <= 8192))),
    constraint telegram_conversations_flow_known check ((flow = any (array['new'::text, 'edit'::text]))),
    constraint telegram_conversations_step_known check ((step = any (array['action'::text, 'time'::text, 'place'::text, 'interval'::text, 'duration'::text, 'follow_up'::text, 'reward'::text, 'field'::text])))
);

-- Updates already handled, so that Telegram's redeliveries are answered without acting twice.
create table private.telegram_updates (
    update_id bigint not null,
    received_at timestamp with time zone default now() not null,
    handled_at timestamp with time zone,
    lease_until timestamp with time zone
);

create table public.telegram_link_codes (
    code text not null,
    user_id uuid default auth.uid() not null,
    expires_at timestamp with time zone default (now() + '00:15:00'::interval) not null,
    used_at timestamp with time zone,
    created_at timestamp with time zone default now() not null,
    deep_link text,
    constraint telegram_link_codes_code_format check ((code ~ '^[A-Za-z0-9_-]{16,64}$'::text)),
    constraint telegram_link_codes_expiry_after_creation check ((expires_at > created_at))
);

comment on function private.telegram_deep_link(code text) is 'The t.me-style deep link for a link code: Vault telegram_deep_link_base (default https://t.me) / telegram_bot_username ?start=code.';

comment on table private.telegram_conversations is 'The step a Telegram chat is at in /new or /edit, with the answers so far (survives cold starts).';

comment on table public.telegram_link_codes is 'One-time codes that link a Telegram chat to an account.';

comment on column public.telegram_link_codes.deep_link is 'The t.me deep link carrying the code, when the bot''s username is configured.';

alter table only private.telegram_conversations
    add constraint telegram_conversations_pkey primary key (chat_id);

alter table only private.telegram_updates
    add constraint telegram_updates_pkey primary key (update_id);

alter table only public.telegram_link_codes
    add constraint telegram_link_codes_pkey primary key (code);

alter table only private.telegram_conversations
    add constraint telegram_conversations_habit_id_fkey foreign key (habit_id) references public.habits(id) on delete cascade;

alter table only private.telegram_conversations
    add constraint telegram_conversations_user_id_fkey foreign key (user_id) references public.profiles(id) on delete cascade;

alter table only public.telegram_link_codes
    add constraint telegram_link_codes_user_id_fkey foreign key (user_id) references public.profiles(id) on delete cascade;

create index telegram_conversations_habit_id_idx on private.telegram_conversations using btree (habit_id);

create index telegram_conversations_user_id_idx on private.telegram_conversations using btree (user_id);

create index telegram_updates_received_at_idx on private.telegram_updates using btree (received_at);

create index telegram_link_codes_user_id_idx on public.telegram_link_codes using btree (user_id, created_at desc);

create trigger profiles_end_conversation_of_previous_chat after update of telegram_chat_id on public.profiles for each row when (((old.telegram_chat_id is not null) and (old.telegram_chat_id is distinct from new.telegram_chat_id))) execute function private.profiles_end_conversation_of_previous_chat();

create trigger profiles_guard_telegram_link before update of telegram_chat_id, telegram_username, telegram_linked_at on public.profiles for each row execute function private.profiles_guard_telegram_link();

create trigger telegram_conversations_of_linked_chat before insert or update of chat_id, user_id on private.telegram_conversations for each row execute function private.telegram_conversations_of_linked_chat();

create trigger telegram_link_codes_issue before insert on public.telegram_link_codes for each row execute function private.telegram_link_codes_issue();

alter table public.telegram_link_codes enable row level security;

create policy "Link codes are viewable by their owner" on public.telegram_link_codes for select to authenticated using ((user_id = ( select auth.uid() as uid)));

create policy "Link codes can be requested by their owner" on public.telegram_link_codes for insert to authenticated with check ((user_id = ( select auth.uid() as uid)));
