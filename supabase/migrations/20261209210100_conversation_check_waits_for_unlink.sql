-- A conversation is written only for a chat linked to its account, but the check read the
-- profile without a lock: a handler saving a /new answer while a 403, /stop or Disconnect was
-- unlinking the chat passed it, and the unlink's trigger could not see the uncommitted row, so
-- the previous account's conversation outlived the unlink. The profile row is now read FOR SHARE
-- (tests/functions/conversation_unlink_race_test.ts).

create or replace function private.telegram_conversations_of_linked_chat() returns trigger
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
