-- The tick's fast path (private.due_reminders): on a random sample of due habits in many zones,
-- every interval 1-7 and times around DST changes, it gives exactly the slow path's answers;
-- a time in a spring-forward gap and a time repeated at fall-back go through it as
-- private.next_occurrence says; an owner's zone that stops resolving does not stop the tick.
begin;
set local search_path = public, extensions;
select * from no_plan();

-- A fresh seed each run, printed so that a failure can be replayed with it.
create temp table sample_seed as select random() * 2 - 1 as seed;
select setseed((select seed from sample_seed));
select diag('random sample seed: ' || (select seed from sample_seed));

create temp table zones (zone text primary key, owner_id uuid);
insert into zones (zone) values
  ('UTC'), ('Europe/Berlin'), ('Europe/London'), ('Europe/Chisinau'), ('America/New_York'),
  ('America/St_Johns'), ('America/Havana'), ('America/Santiago'), ('America/Nuuk'), ('America/Asuncion'),
  ('Australia/Sydney'), ('Australia/Lord_Howe'), ('Pacific/Chatham'), ('Pacific/Auckland'), ('Africa/Cairo'),
  ('Asia/Beirut'), ('Asia/Gaza'), ('Antarctica/Troll'), ('Asia/Kolkata'), ('Asia/Kathmandu');
select tests.create_supabase_user('fast-path-' || zone, zone) from zones;
select tests.link_telegram('fast-path-' || zone, 880000 + row_number() over (order by zone)) from zones;
update zones set owner_id = tests.get_supabase_uid('fast-path-' || zone);
select is((select count(*) from zones z join public.profiles p on p.id = z.owner_id and p.timezone = z.zone), 20::bigint,
  'twenty owners, one in each zone of the sample (most with DST, some at midnight, 30 or 45 minutes)');

-- The instants of 2026-2027 at which a zone's UTC offset changes (found hour by hour).
create temp table transitions as
select z.zone, h as instant
from zones z
cross join generate_series('2026-01-01 01:00Z'::timestamptz, '2028-01-01 00:00Z', interval '1 hour') h
where (h at time zone z.zone) - ((h - interval '1 hour') at time zone z.zone) <> interval '1 hour';
select ok((select count(distinct zone) from transitions) >= 12, 'the sample''s zones change offset in 2026-2027');

-- 64 ticks, each within 36 hours of a random transition, with 25 habits each: mostly in that
-- transition's zone and at a local time within 90 minutes of it, every interval 1-7, anchors up to
-- two weeks back (a few in the future). next_reminder_at is what a punctual tick leaves (the
-- latest occurrence at or before the tick) or, for a fifth, what an earlier tick left (catch-up).
create temp table ticks as
select b as batch, t.zone, t.instant,
  date_trunc('second', t.instant + (random() * 72 - 36) * interval '1 hour') as at
from generate_series(1, 64) b
cross join lateral (select * from transitions where b > 0 order by random() limit 1) t;

create temp table cases as
with drawn as (
  select k.batch, k.at, k.zone as tick_zone, k.instant,
    random() < 0.2 as catch_up, random() < 0.7 as same_zone, random() < 0.6 as near,
    1 + floor(random() * 7)::int as interval_days, random() as zone_draw, random() as time_draw,
    floor(random() * 15)::int as days_back, random() < 0.05 as future_anchor
  from ticks k
  cross join generate_series(1, 25)
),
placed as (
  select d.*, case when d.same_zone then d.tick_zone
    else (select array_agg(zone order by zone) from zones)[1 + floor(d.zone_draw * 20)::int] end as zone
  from drawn d
)
select row_number() over () as case_id, p.batch, p.at, p.zone, z.owner_id, p.interval_days, p.catch_up,
  case when p.near
    then date_trunc('minute', (p.instant at time zone p.zone)::time + (p.time_draw * 180 - 90) * interval '1 minute')
    else date_trunc('minute', time '00:00' + p.time_draw * interval '24 hours') end::time as local_time,
  (p.at at time zone p.zone)::date - p.days_back + case when p.future_anchor then 3 else 0 end as anchor,
  null::uuid as habit_id, null::timestamptz as next_reminder_at
from placed p
join zones z on z.zone = p.zone;

update cases c set next_reminder_at = case
  when not c.catch_up then private.latest_occurrence_at_or_before(c.local_time, c.interval_days, c.anchor, c.zone, c.at)
  else private.next_occurrence(c.local_time, c.interval_days, c.anchor, c.zone,
    c.at - random() * make_interval(days => c.interval_days * 3, hours => 3)) end;

-- One habit per case, written as it stands (no triggers), not due until its tick.
set local session_replication_role = replica;
with created as (
  insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, starts_on)
  select owner_id, 'fast-path-' || case_id, 'anywhere', local_time, interval_days, 60, anchor from cases
  returning id, action
)
update cases c set habit_id = created.id from created where created.action = 'fast-path-' || c.case_id;
set local session_replication_role = origin;
-- Statistics for the rows just written: planned for the empty table that a vacuum after earlier
-- runs can leave in the statistics, the loop below takes 40 s instead of 1 s.
analyze public.habits;

create temp table answers (batch integer, path text, habit_id uuid, occurrence_at timestamptz,
  next_reminder_at timestamptz, by_fast_path boolean);

create function pg_temp.run_both_paths()
returns void
language plpgsql
as $$
declare
  tick record;
begin
  for tick in select batch, at from ticks order by batch loop
    update public.habits h set next_reminder_at = c.next_reminder_at
    from cases c where c.habit_id = h.id and c.batch = tick.batch;
    insert into answers select tick.batch, 'fast', d.habit_id, d.occurrence_at, d.next_reminder_at, d.by_fast_path
    from private.due_reminders(tick.at) d;
    insert into answers select tick.batch, 'slow', d.habit_id, d.occurrence_at, d.next_reminder_at, d.by_fast_path
    from private.due_reminders(tick.at, fast_path => false) d;
    update public.habits h set next_reminder_at = null from cases c where c.habit_id = h.id and c.batch = tick.batch;
  end loop;
end
$$;
select pg_temp.run_both_paths();
select diag(format('%s due habits, %s of them by the fast path', (select count(*) from answers where path = 'slow'),
  (select count(*) from answers where by_fast_path)));

select ok((select count(*) from answers where path = 'slow') >= 1000,
  'the sample has at least 1,000 due habits (' || (select count(*) from answers where path = 'slow') || ')');
select is_empty($$
  select f.batch, f.habit_id, f.occurrence_at, s.occurrence_at, f.next_reminder_at, s.next_reminder_at
  from (select * from answers where path = 'fast') f
  full join (select * from answers where path = 'slow') s using (batch, habit_id)
  where f.habit_id is null or s.habit_id is null
    or f.occurrence_at is distinct from s.occurrence_at or f.next_reminder_at is distinct from s.next_reminder_at $$,
  'the fast and slow paths give the same occurrence and next reminder for every due habit of the sample');
select ok((select count(*) filter (where by_fast_path) * 2 > count(*) from answers where path = 'fast'),
  'most of the sample takes the fast path');
select ok((select bool_and(not by_fast_path) from answers where path = 'slow'), 'fast_path => false takes the slow path for all');
select ok((select count(*) from answers a join cases c using (batch, habit_id)
           where a.path = 'fast' and not a.by_fast_path and c.catch_up) > 0,
  'catch-up cases (an earlier tick''s next reminder) are in the sample and take the slow path');
select ok((select count(distinct c.interval_days) from answers a join cases c using (batch, habit_id) where a.by_fast_path) = 7,
  'every interval from 1 to 7 takes the fast path in the sample');
select ok(exists (
  select from answers a join cases c using (batch, habit_id)
  where a.by_fast_path and (a.occurrence_at at time zone c.zone)::time <> c.local_time),
  'the sample includes a reminder whose local time fell in a spring-forward gap, taking the fast path');
select ok(exists (
  select from answers a join cases c using (batch, habit_id)
  where a.by_fast_path and ((a.occurrence_at - interval '1 hour') at time zone c.zone)::time = c.local_time),
  'the sample includes a reminder whose local time happened twice at fall-back, taking the fast path');

-- ---------------------------------------------------------------- DST edges through the whole tick
select tests.create_supabase_user('gap', 'Europe/Berlin');
select tests.link_telegram('gap', 880100);
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('gap'), 'berlin-0230', 'home', '02:30', 60);
update public.habits set starts_on = '2026-03-27' where action = 'berlin-0230';
update public.habits set next_reminder_at = '2026-03-29 01:30Z' where action = 'berlin-0230';
select results_eq(
  $$ select occurrence_at, next_reminder_at, by_fast_path from private.due_reminders('2026-03-29 01:30:20Z')
     where habit_id = (select id from public.habits where action = 'berlin-0230') $$,
  $$ values ('2026-03-29 01:30Z'::timestamptz, '2026-03-30 00:30Z'::timestamptz, true) $$,
  'Berlin 02:30 on the spring-forward day (03:30 local) is reminded by the fast path, and the next is 02:30 local');
update public.habits set next_reminder_at = '2026-10-24 00:30Z' where action = 'berlin-0230';
select private.enqueue_due_reminders(tick)
from generate_series('2026-10-24 00:00Z'::timestamptz, '2026-10-27 00:00Z', interval '1 minute') tick;
select results_eq(
  $$ select n.due_at from public.notifications n join public.habits h on h.id = n.habit_id
     where h.action = 'berlin-0230' and n.kind = 'reminder' order by 1 $$,
  $$ values ('2026-10-24 00:30Z'::timestamptz), ('2026-10-25 01:30Z'), ('2026-10-26 01:30Z') $$,
  'Berlin 02:30 happens twice on 2026-10-25: minute ticks remind it once');

-- ---------------------------------------------------------------- a zone that no longer resolves
-- run_reminder_tick pauses such habits first (090); the fast path must still never convert in a
-- zone that does not resolve, should one stop resolving between the two.
select tests.create_supabase_user('gone', 'UTC');
select tests.link_telegram('gone', 880101);
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('gone'), 'gone-zone', 'home', '07:00', 60),
       (tests.get_supabase_uid('gap'), 'healthy', 'home', '07:00', 60);
alter table public.profiles drop constraint profiles_timezone_is_known;
alter table public.profiles disable trigger user;
update public.profiles set timezone = 'Mars/Olympus_Mons' where id = tests.get_supabase_uid('gone');
alter table public.profiles enable trigger user;
update public.habits set next_reminder_at = '2026-12-01 06:00Z' where action in ('gone-zone', 'healthy');
select lives_ok($$ select private.enqueue_due_reminders('2026-12-01 06:00:30Z') $$,
  'enqueue_due_reminders succeeds with a due habit whose owner''s zone does not resolve');
select is((select count(*) from public.notifications n join public.habits h on h.id = n.habit_id
           where h.action = 'healthy' and n.kind = 'reminder' and n.due_at = '2026-12-01 06:00Z'), 1::bigint,
  '... queues everyone else''s reminders');
select results_eq(
  $$ select count(n.id), min(h.next_reminder_at) from public.habits h
     left join public.notifications n on n.habit_id = h.id and n.kind = 'reminder'
     where h.action = 'gone-zone' $$,
  $$ values (0::bigint, '2026-12-01 06:00Z'::timestamptz) $$,
  '... and leaves that habit for run_reminder_tick to pause: nothing queued, not advanced');

select * from finish();
rollback;
