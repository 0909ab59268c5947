-- Long replies to Telegram updates, queued through the outbox once per update (issue 27 item 7).
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- One row per queued reply part: what the dispatcher sends for its outbox row.
create table private.telegram_reply_parts (
  notification_id bigint not null,
  update_id bigint not null,
  part smallint not null,
  parts smallint not null,
  text text not null,
  reply_markup jsonb,
  constraint telegram_reply_parts_part_in_range check (part >= 1 and part <= parts and parts <= 100),
  constraint telegram_reply_parts_text_size check (octet_length(text) between 1 and 32768),
  constraint telegram_reply_parts_markup_object check (reply_markup is null or jsonb_typeof(reply_markup) = 'object')
);

comment on table private.telegram_reply_parts is 'The parts of a long reply to a Telegram update, each sent through its outbox row; once per (update, part).';

alter table only private.telegram_reply_parts
  add constraint telegram_reply_parts_pkey primary key (notification_id);

alter table only private.telegram_reply_parts
  add constraint telegram_reply_parts_once_per_update unique (update_id, part);

alter table only private.telegram_reply_parts
  add constraint telegram_reply_parts_notification_id_fkey foreign key (notification_id) references public.notifications(id) on delete cascade;

-- Queues the parts of the reply to update `update_id` (a JSON array of {text, reply_markup?}) for
-- the account linked to `chat_id`, in order, and asks the dispatcher to send them. Returns how many
-- were queued: 0 when this update's reply was queued before (a redelivery), null when the chat is
-- linked to no account. A second handling of the same update running at the same time waits on
-- the unique key and then queues nothing.
create function private.queue_telegram_reply(update_id bigint, chat_id bigint, parts jsonb) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  owner uuid;
  part jsonb;
  part_number integer := 0;
  total integer := jsonb_array_length(parts);
  queued bigint;
  violated text;
begin
  select p.id into owner from public.profiles p where p.telegram_chat_id = queue_telegram_reply.chat_id;
  if owner is null then
    return null;
  end if;
  if exists (select from private.telegram_reply_parts r where r.update_id = queue_telegram_reply.update_id) then
    return 0;
  end if;
  begin
    for part in select e.value from jsonb_array_elements(parts) e loop
      part_number := part_number + 1;
      -- The clock, not the transaction's start, keeps every part apart in the outbox's
      -- per-occurrence key; next_attempt_at is the same for all, so they go out in id order.
      insert into public.notifications (owner_id, kind, due_at, next_attempt_at)
      values (owner, 'reply', clock_timestamp(), now())
      returning id into queued;
      insert into private.telegram_reply_parts (notification_id, update_id, part, parts, text, reply_markup)
      values (queued, queue_telegram_reply.update_id, part_number, total, part ->> 'text', part -> 'reply_markup');
    end loop;
  exception when unique_violation then
    get stacked diagnostics violated = constraint_name;
    if violated = 'telegram_reply_parts_once_per_update' then
      return 0;
    end if;
    raise;
  end;
  perform private.invoke_reminders_function();
  return total;
end
$$;

-- The dispatcher's read of the parts it claimed.
create function private.reply_parts(notification_ids bigint[]) returns table(notification_id bigint, text text, reply_markup jsonb)
    language sql stable
    set search_path to ''
    as $$
  select r.notification_id, r.text, r.reply_markup
  from private.telegram_reply_parts r
  where r.notification_id = any (notification_ids)
$$;
