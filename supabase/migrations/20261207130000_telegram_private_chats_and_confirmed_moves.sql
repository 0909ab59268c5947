-- =====================================================================================
-- Telegram: private chats only, and a chat moves to another account only when its person says so.
--
-- A group, supergroup or channel linked to an account let any member act for the owner (/stop,
-- delete:yes). Telegram's private chat id is the user's id, always positive; groups, supergroups
-- and channels have negative ids. So a linked chat id must be positive, whichever path writes it.
--
-- Opening someone else's deep link (t.me/<bot>?start=<code>) moved the chat to that account at
-- once: the owner's reminders stopped and their next /new went to the other account. Now the link
-- function changes nothing for a chat linked elsewhere unless it is told the person confirmed.
-- =====================================================================================

-- Chats linked before this rule that are not private are unlinked: their members could act for
-- the owner. The owner connects a private chat again from the web app.
update public.profiles
set telegram_chat_id = null, telegram_username = null, telegram_linked_at = null
where telegram_chat_id <= 0;

alter table public.profiles
  add constraint profiles_telegram_chat_private check (telegram_chat_id > 0);
comment on constraint profiles_telegram_chat_private on public.profiles is
  'Only a private chat (a positive Telegram id) can be linked: in a group any member could act for the owner.';

drop function private.link_telegram_chat(text, bigint, text);

-- Links `chat_id` to the account that requested `link_code`.
-- outcome:
--   linked            the chat is linked (previous_user_id: the account it moved from, if any);
--   already_linked    the chat already belongs to the code's account: nothing changes;
--   linked_elsewhere  the chat belongs to another account (previous_user_id) and the move was not
--                     confirmed: nothing changes and the code stays valid until it expires;
--   not_private_chat  a group, supergroup or channel: nothing changes;
--   unknown_code | expired_code | used_code: nothing changes.
-- A move ends the chat's unfinished /new or /edit: its answers belong to the previous account.
create function private.link_telegram_chat(
  link_code text,
  chat_id bigint,
  username text,
  move_from_other_account boolean default false
)
returns table (outcome text, user_id uuid, previous_user_id uuid)
language plpgsql
volatile
set search_path = ''
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
revoke execute on function private.link_telegram_chat(text, bigint, text, boolean) from public, anon, authenticated;
grant execute on function private.link_telegram_chat(text, bigint, text, boolean) to service_role;
