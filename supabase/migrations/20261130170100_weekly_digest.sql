-- =====================================================================================
-- The weekly digest: an opt-in Telegram message at a local day and time (default Sunday 19:00)
-- with each habit's week. Queued by the same tick into the same outbox (public.notifications,
-- kind weekly_digest, no habit), so it has the outbox's guarantees: one row per person and
-- scheduled instant (and none within 6 days of the last), the local time resolved in the
-- person's zone on that date (DST-correct), and skipped rather than sent late when the tick was
-- down for longer than the grace period.
-- =====================================================================================

alter table public.profiles
  add column weekly_digest boolean not null default false,
  -- 0 = Sunday ... 6 = Saturday, as extract(dow).
  add column digest_weekday smallint not null default 0
    constraint profiles_digest_weekday_range check (digest_weekday between 0 and 6),
  add column digest_time time not null default '19:00';
comment on column public.profiles.weekly_digest is 'Whether the person gets the weekly digest in Telegram (opt-in).';
comment on column public.profiles.digest_weekday is 'The local day of the weekly digest: 0 = Sunday ... 6 = Saturday.';
comment on column public.profiles.digest_time is 'The local time of the weekly digest, in profiles.timezone.';
grant update (weekly_digest, digest_weekday, digest_time) on public.profiles to authenticated;
create index profiles_weekly_digest_idx on public.profiles (id) where weekly_digest and telegram_chat_id is not null;

-- The outbox carries digests: a digest belongs to a person, not to a habit.
alter table public.notifications alter column habit_id drop not null;
alter table public.notifications drop constraint notifications_kind_known;
alter table public.notifications add constraint notifications_kind_known
  check (kind in ('habit_created', 'reminder', 'snoozed_reminder', 'weekly_digest'));
alter table public.notifications add constraint notifications_habit_unless_digest
  check ((kind = 'weekly_digest') = (habit_id is null));
create unique index notifications_digest_once_per_instant on public.notifications (owner_id, due_at)
  where kind = 'weekly_digest';

-- The latest digest instant at or before `at`: `weekday` at `local_time` in `time_zone`. A local
-- time skipped by a DST change resolves as Postgres resolves it (an hour later).
create function private.digest_due_at(weekday integer, local_time time, time_zone text, at timestamptz)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select case when candidate <= at then candidate
    else ((local_day - 7 + local_time) at time zone time_zone) end
  from (
    select local_day, (local_day + local_time) at time zone time_zone as candidate
    from (
      select today - ((extract(dow from today)::integer - weekday + 7) % 7) as local_day
      from (select (at at time zone time_zone)::date as today) t
    ) d
  ) c
$$;

-- Queues the digests due at `at` (at most `grace` late) for everyone who opted in, has a linked
-- chat and at least one habit. Returns how many were queued.
create function private.enqueue_weekly_digests(at timestamptz default now(), grace interval default '1 hour')
returns integer
language sql
volatile
set search_path = ''
as $$
  with due as (
    select p.id, private.digest_due_at(p.digest_weekday, p.digest_time, p.timezone, at) as due_at
    from public.profiles p
    where p.weekly_digest and p.telegram_chat_id is not null
      and exists (select 1 from public.habits h where h.owner_id = p.id)
  ),
  queued as (
    insert into public.notifications (habit_id, owner_id, kind, due_at, next_attempt_at)
    select null, due.id, 'weekly_digest', due.due_at, due.due_at
    from due
    where due.due_at > at - grace
      and not exists (
        select 1 from public.notifications n
        where n.owner_id = due.id and n.kind = 'weekly_digest' and n.due_at > due.due_at - interval '6 days'
      )
    on conflict (owner_id, due_at) where kind = 'weekly_digest' do nothing
    returning 1
  )
  select count(*)::integer from queued
$$;
revoke execute on function private.digest_due_at(integer, time, text, timestamptz) from public, anon, authenticated;
revoke execute on function private.enqueue_weekly_digests(timestamptz, interval) from public, anon, authenticated;
grant execute on function private.digest_due_at(integer, time, text, timestamptz) to service_role;
grant execute on function private.enqueue_weekly_digests(timestamptz, interval) to service_role;

-- The tick queues digests as a separate step after the reminders (whatever enqueue_due_reminders
-- does, it is called as before).
create or replace function private.run_reminder_tick()
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform private.pause_habits_with_unresolvable_zones(now());
  perform private.enqueue_due_reminders(now());
  perform private.enqueue_weekly_digests(now());
  if private.has_deliverable_notifications(now()) then
    perform private.invoke_reminders_function();
  end if;
end
$$;

-- Claims as before; a digest has no habit, so the habit's columns are null for it.
create or replace function private.claim_notifications(batch_size integer default 50, lease interval default '2 minutes')
returns table (
  id bigint,
  kind text,
  attempts integer,
  due_at timestamptz,
  occurrence_at timestamptz,
  habit_id uuid,
  chat_id bigint,
  timezone text,
  action text,
  place text,
  local_time time,
  interval_days smallint,
  duration_seconds smallint,
  reward text,
  is_pleasant boolean,
  is_paused boolean,
  pleasant_action text,
  pleasant_place text
)
language sql
volatile
set search_path = ''
as $$
  with queue as (
    select n.id, n.next_attempt_at, n.kind,
      n.status = 'sending' and n.next_attempt_at > now() as in_flight,
      row_number() over (
        partition by n.owner_id
        order by n.status = 'sending' and n.next_attempt_at > now() desc,
          n.kind <> 'habit_created', n.next_attempt_at, n.id
      ) as place_in_chat
    from public.notifications n
    where n.status in ('pending', 'retry', 'sending')
      and (n.next_attempt_at <= now() or n.status = 'sending')
  ),
  claimable as (
    select n.id from public.notifications n
    join queue q on q.id = n.id
    where not q.in_flight and q.place_in_chat <= 2
      and n.status in ('pending', 'retry', 'sending') and n.next_attempt_at <= now()
    order by q.place_in_chat, n.kind <> 'habit_created', n.next_attempt_at, n.id
    limit batch_size
    for update of n skip locked
  ),
  claimed as (
    update public.notifications n
    set status = 'sending', attempts = n.attempts + 1, next_attempt_at = now() + lease, lease_until = now() + lease,
      -- Still 'sending': the run that claimed it died, perhaps after sending it.
      maybe_delivered_attempts = n.maybe_delivered_attempts + case when n.status = 'sending' then 1 else 0 end
    from claimable
    where n.id = claimable.id
    returning n.*
  )
  select c.id, c.kind, c.attempts, c.due_at, c.occurrence_at, c.habit_id, p.telegram_chat_id, p.timezone,
    h.action, h.place, h.time, h.interval_days, h.duration_seconds, h.reward, h.is_pleasant, h.is_paused,
    pleasant.action, pleasant.place
  from claimed c
  left join public.habits h on h.id = c.habit_id
  join public.profiles p on p.id = c.owner_id
  left join public.habits pleasant on pleasant.id = h.related_habit_id
  order by c.kind <> 'habit_created', c.due_at
$$;
