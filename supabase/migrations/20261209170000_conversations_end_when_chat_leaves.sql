-- A chat's unfinished /new or /edit belongs to the account the chat is linked to. Only the Move
-- button ended it when the chat changed hands (private.link_telegram_chat); after /stop, the web
-- app's Disconnect, a 403 or the account linking another chat, the next account to link the chat
-- went on with the previous account's answers (and /edit with its habit). The rule is now the
-- table's: a conversation is only of a chat linked to its account, and it ends whenever the chat
-- leaves that account, by any path.

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

-- A conversation is written only for a chat linked to its account (errcode 23514, the rule's name
-- as the constraint), so a handler racing an unlink cannot start one for the previous account.
create function private.telegram_conversations_of_linked_chat() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  if not exists (
    select from public.profiles p where p.id = new.user_id and p.telegram_chat_id = new.chat_id
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

create trigger profiles_end_conversation_of_previous_chat after update of telegram_chat_id on public.profiles
  for each row when (old.telegram_chat_id is not null and old.telegram_chat_id is distinct from new.telegram_chat_id)
  execute function private.profiles_end_conversation_of_previous_chat();

create trigger telegram_conversations_of_linked_chat before insert or update of chat_id, user_id on private.telegram_conversations
  for each row execute function private.telegram_conversations_of_linked_chat();

revoke all on function private.profiles_end_conversation_of_previous_chat() from public;
grant all on function private.profiles_end_conversation_of_previous_chat() to service_role;
revoke all on function private.telegram_conversations_of_linked_chat() from public;
grant all on function private.telegram_conversations_of_linked_chat() to service_role;

-- Conversations the old paths left behind: of a chat no longer linked to their account.
delete from private.telegram_conversations c
where not exists (select from public.profiles p where p.id = c.user_id and p.telegram_chat_id = c.chat_id);
