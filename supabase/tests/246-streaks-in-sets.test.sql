-- A claim computes its reminders' streaks as one set (private.current_streaks over
-- private.streak_marks_of, issue 27): exactly the marks of private.streak_marks and the streak of
-- private.current_streak, for every habit of a varied sample: zones with odd offsets and DST,
-- intervals 1-7, first days up to a year back or in the future, created before, on or after
-- their first day (an import back-dates created_at), paused, with random completions, misses,
-- today's occurrence done or pending, and completions off the grid after a time change. A set
-- that fails on one person's data falls back to the per-habit path, which isolates that person.
begin;
set local search_path = public, extensions;
select * from no_plan();

create temp table sample_seed as select random() * 2 - 1 as seed;
select setseed((select seed from sample_seed));
select diag('random sample seed: ' || (select seed from sample_seed));

create temp table owners (zone text primary key, owner_id uuid);
insert into owners (zone) values ('UTC'), ('Europe/Berlin'), ('America/St_Johns'), ('Pacific/Chatham'),
  ('Asia/Kathmandu'), ('America/Santiago'), ('Australia/Lord_Howe');
select tests.create_supabase_user('sets-' || zone, zone) from owners;
update owners set owner_id = tests.get_supabase_uid('sets-' || zone);

set local session_replication_role = replica;
insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, starts_on, created_at, is_paused)
select o.owner_id, 'sets-' || n, 'anywhere',
  date_trunc('minute', time '00:00' + random() * interval '24 hours')::time,
  1 + n % 7, 60, first_day,
  case n % 4
    when 0 then (first_day + random() * (current_date - first_day + 2) * interval '1 day')::timestamptz
    when 1 then first_day::timestamptz - random() * interval '3 days'        -- imported: before the first day
    when 2 then now() - random() * interval '2 hours'                      -- created just now
    else first_day::timestamptz + interval '12 hours' end,
  n % 9 = 0
from generate_series(1, 420) n
join owners o on o.zone = (array['UTC', 'Europe/Berlin', 'America/St_Johns', 'Pacific/Chatham',
  'Asia/Kathmandu', 'America/Santiago', 'Australia/Lord_Howe'])[1 + n % 7]
cross join lateral (
  select case when n % 13 = 0 then current_date + 1 + (n % 5)             -- first day still to come
    else current_date - floor(random() * 366)::int - (n % 3) end as first_day
) f;

-- Done on a random share of their occurrences (never to always), some before created_at.
insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at, source)
select h.id, h.owner_id, o.at, greatest(o.at, now() - interval '1 day'), 'web'
from public.habits h
join public.profiles p on p.id = h.owner_id
cross join lateral (select (abs(hashtext(h.id::text)) % 11) / 10.0 as share) s
cross join lateral (
  select (d::date + h.time) at time zone p.timezone as at, random() as draw
  from generate_series(h.starts_on::timestamp, (now() at time zone p.timezone)::date::timestamp,
    make_interval(days => h.interval_days)) d
) o
where h.action like 'sets-%' and o.draw < s.share and o.at <= now() + interval '1 day';
update public.habits set time = time + interval '7 minutes' where action like 'sets-%' and random() < 0.1;
set local session_replication_role = origin;

create temp table sample as select id from public.habits where action like 'sets-%';
select ok((select count(*) from sample s join public.habit_completions c on c.habit_id = s.id
           join public.habits h on h.id = s.id where c.occurrence_at < h.created_at) > 100,
  'the sample has completions from before its habits were created (imports)');
select ok((select count(*) from sample s where private.current_streak(s.id) >= 5) > 10,
  'and long streaks');
select ok((select count(*) from public.habits h join sample s on s.id = h.id where h.starts_on > current_date) > 5,
  'and habits whose first day is still to come');

select is_empty($$
  (select m.habit_id, m.day, m.occurrence_at, m.mark, m.days_ago
   from private.streak_marks_of(array(select id from sample), now(), 16) m
   except all
   select s.id, m.* from sample s cross join lateral private.streak_marks(s.id, now(), 16) m)
  union all
  (select s.id, m.* from sample s cross join lateral private.streak_marks(s.id, now(), 16) m
   except all
   select m.habit_id, m.day, m.occurrence_at, m.mark, m.days_ago
   from private.streak_marks_of(array(select id from sample), now(), 16) m) $$,
  'streak_marks_of gives exactly streak_marks'' last 16 marks of every habit');
select is_empty($$
  (select m.habit_id, m.day, m.occurrence_at, m.mark, m.days_ago
   from private.streak_marks_of(array(select id from sample), now(), private.streak_lookback()) m
   except all
   select s.id, m.* from sample s cross join lateral private.streak_marks(s.id, now(), private.streak_lookback()) m)
  union all
  (select s.id, m.* from sample s cross join lateral private.streak_marks(s.id, now(), private.streak_lookback()) m
   except all
   select m.habit_id, m.day, m.occurrence_at, m.mark, m.days_ago
   from private.streak_marks_of(array(select id from sample), now(), private.streak_lookback()) m) $$,
  'and exactly its whole window');
select is_empty($$
  select s.habit_id, s.streak, private.current_streak(s.habit_id)
  from private.current_streaks(array(select id from sample)) s
  where s.streak is distinct from private.current_streak(s.habit_id) $$,
  'current_streaks equals current_streak for every habit of the sample');
select is((select count(*)::int from private.current_streaks(array(select id from sample))),
  (select count(*)::int from sample), 'one streak per habit');
select results_eq($$ select s.streak from private.current_streaks(
    array[(select id from sample limit 1), (select id from sample limit 1), null, gen_random_uuid()]) s
    order by s.streak desc $$,
  $$ values (private.current_streak((select id from sample limit 1))), (0) $$,
  'a habit named twice gets one streak, an unknown habit 0, and null is left out');

-- One person's data fails the set: everyone else keeps their streak, that habit gets none.
select tests.create_supabase_user('sets-zelda', 'Europe/Berlin');
select tests.link_telegram('sets-zelda', 24601);
insert into public.habits (id, owner_id, action, place, time, duration_seconds)
values ('24600000-0000-0000-0000-000000000001', tests.get_supabase_uid('sets-zelda'), 'read', 'bed', '07:00', 30);
alter table public.profiles drop constraint if exists profiles_timezone_is_known;
alter table public.profiles disable trigger profiles_reschedule_habits;
update public.profiles set timezone = 'Mars/Olympus_Mons' where id = tests.get_supabase_uid('sets-zelda');
alter table public.profiles enable trigger profiles_reschedule_habits;
select throws_ok($$ select * from private.current_streaks(array['24600000-0000-0000-0000-000000000001'::uuid]) $$,
  '22023', null, 'the set computation fails on that person''s zone');
select is_empty($$
  select s.habit_id from private.streaks_for_messages(
    array(select id from sample) || '24600000-0000-0000-0000-000000000001'::uuid) s
  where s.streak is distinct from case when s.habit_id = '24600000-0000-0000-0000-000000000001'
    then null else private.current_streak(s.habit_id) end $$,
  'streaks_for_messages falls back per habit: everyone else''s streak, none for that person');
select is((select count(*)::int from private.streaks_for_messages(
    array(select id from sample) || '24600000-0000-0000-0000-000000000001'::uuid)),
  (select count(*)::int + 1 from sample), 'one row per habit on the fallback path too');
select ok(not has_function_privilege('authenticated', 'private.current_streaks(uuid[])', 'execute'),
  'current_streaks is not executable by authenticated');

select * from finish();
rollback;
