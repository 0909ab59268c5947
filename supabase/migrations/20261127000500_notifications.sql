-- =====================================================================================
-- Notifications: the outbox of Telegram messages (habit created, reminders)
-- Written by the scheduler and the reminders function (service role); owners can read their
-- own delivery history.
-- =====================================================================================

create table public.notifications (
  id bigint generated always as identity primary key,
  habit_id uuid not null references public.habits (id) on delete cascade,
  owner_id uuid not null references public.profiles (id) on delete cascade,
  kind text not null
    constraint notifications_kind_known check (kind in ('habit_created', 'reminder', 'snoozed_reminder')),
  -- The occurrence this message is about; with habit and kind it makes the message unique.
  due_at timestamptz not null,
  status text not null default 'pending'
    constraint notifications_status_known check (status in ('pending', 'sending', 'sent', 'retry', 'dead', 'skipped')),
  attempts integer not null default 0 constraint notifications_attempts_non_negative check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  lease_until timestamptz,
  telegram_message_id bigint,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint notifications_once_per_occurrence unique (habit_id, kind, due_at)
);
comment on table public.notifications is 'Outbox of Telegram messages: one row per message, with its delivery state.';

create index notifications_owner_id_created_at_idx on public.notifications (owner_id, created_at desc);
-- The dispatcher's queue: only rows still to send are indexed.
create index notifications_deliverable_idx on public.notifications (next_attempt_at)
  where status in ('pending', 'retry', 'sending');

create trigger notifications_set_updated_at
before update on public.notifications
for each row execute function private.set_updated_at();

alter table public.notifications enable row level security;

create policy "Notifications are viewable by their owner"
on public.notifications for select
to authenticated
using (owner_id = (select auth.uid()));

revoke all on public.notifications from anon, authenticated;
grant select on public.notifications to authenticated;
grant all on public.notifications to service_role;
