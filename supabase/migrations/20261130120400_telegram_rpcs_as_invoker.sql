-- =====================================================================================
-- The two Telegram RPCs run with the caller's rights
-- create_telegram_link_code and disconnect_telegram were SECURITY DEFINER functions that every
-- signed-in user could execute (Supabase's advisor:
-- authenticated_security_definer_function_executable). They are now SECURITY INVOKER, and what
-- needed elevated rights moved into triggers, which run whoever writes but which no role can call:
-- - a link code is a row the user inserts (RLS: only for themselves); a BEFORE INSERT trigger
--   draws the code, applies the hourly limit and writes the deep link from Vault;
-- - a user may clear, never set, their own Telegram link columns (column privileges + a trigger).
-- =====================================================================================

alter table public.telegram_link_codes add column deep_link text;
comment on column public.telegram_link_codes.deep_link is 'The t.me deep link carrying the code, when the bot''s username is configured.';

-- For codes the caller requests (no code given): at most 5 an hour, a fresh random code, and
-- the deep link. The service role may insert a given code (the bot's tests, support).
create function private.telegram_link_codes_issue()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  bot_username text;
begin
  if new.code is not null then
    return new;
  end if;
  if new.user_id is null then
    raise exception using errcode = '42501', message = 'Sign in to connect a Telegram chat.';
  end if;
  if (select count(*) from public.telegram_link_codes c
      where c.user_id = new.user_id and c.created_at > now() - interval '1 hour') >= 5 then
    raise exception using
      errcode = 'PT429',
      message = 'Too many Telegram link codes requested; try again in an hour.',
      hint = 'telegram_link_codes_per_hour';
  end if;
  new.code := translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_');
  select nullif(s.decrypted_secret, '') into bot_username
  from vault.decrypted_secrets s where s.name = 'telegram_bot_username';
  new.deep_link := case when bot_username is not null then 'https://t.me/' || bot_username || '?start=' || new.code end;
  return new;
end
$$;

create trigger telegram_link_codes_issue
before insert on public.telegram_link_codes
for each row execute function private.telegram_link_codes_issue();

create policy "Link codes can be requested by their owner"
on public.telegram_link_codes for insert
to authenticated
with check (user_id = (select auth.uid()));

-- The only column a user names is user_id (defaulting to themselves); the code is drawn above.
grant insert (user_id) on public.telegram_link_codes to authenticated;

create or replace function public.create_telegram_link_code()
returns table (code text, expires_at timestamptz, deep_link text)
language plpgsql
volatile
security invoker
set search_path = ''
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
revoke all on function public.create_telegram_link_code() from public, anon;
grant execute on function public.create_telegram_link_code() to authenticated, service_role;

-- Users may clear their Telegram link (disconnect); only the linking functions set it.
grant update (telegram_chat_id, telegram_username, telegram_linked_at) on public.profiles to authenticated;

create function private.profiles_guard_telegram_link()
returns trigger
language plpgsql
set search_path = ''
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

create trigger profiles_guard_telegram_link
before update of telegram_chat_id, telegram_username, telegram_linked_at on public.profiles
for each row execute function private.profiles_guard_telegram_link();

create or replace function public.disconnect_telegram()
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
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
revoke all on function public.disconnect_telegram() from public, anon;
grant execute on function public.disconnect_telegram() to authenticated, service_role;
