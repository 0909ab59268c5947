-- private.current_streak, which the dispatcher shows in every reminder, gives exactly the streak
-- private.habit_streaks computes from the whole history: on a random sample of habits in several
-- zones, every interval 1-7, first days up to a year back, created before or after their first
-- day, with random completions (runs, gaps, today's done or pending).
begin;
set local search_path = public, extensions;
select * from no_plan();

create temp table sample_seed as select random() * 2 - 1 as seed;
select setseed((select seed from sample_seed));
select diag('random sample seed: ' || (select seed from sample_seed));

create temp table owners (zone text primary key, owner_id uuid);
insert into owners (zone) values ('UTC'), ('Europe/Berlin'), ('America/St_Johns'), ('Pacific/Chatham'), ('Asia/Kathmandu');
select tests.create_supabase_user('streak-' || zone, zone) from owners;
update owners set owner_id = tests.get_supabase_uid('streak-' || zone);

-- 300 habits (60 per owner), written as they stand (no triggers: no "habit created" messages).
set local session_replication_role = replica;
insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, starts_on, created_at)
select o.owner_id, 'streak-' || n, 'anywhere',
  date_trunc('minute', time '00:00' + random() * interval '24 hours')::time,
  1 + floor(random() * 7)::int, 60, first_day,
  (first_day + random() * (current_date - first_day + 2) * interval '1 day')::timestamptz
from generate_series(1, 300) n
join owners o on o.zone = (array['UTC', 'Europe/Berlin', 'America/St_Johns', 'Pacific/Chatham', 'Asia/Kathmandu'])[1 + n % 5]
cross join lateral (select current_date - floor(random() * 366)::int - (n % 3) as first_day) f;

-- Each habit done on a random share of its occurrences (from never to always), in runs.
insert into public.habit_completions (habit_id, owner_id, occurrence_at, completed_at, source)
select h.id, h.owner_id, o.at, o.at, 'web'
from public.habits h
join public.profiles p on p.id = h.owner_id
cross join lateral (select (abs(hashtext(h.id::text)) % 11) / 10.0 as share) s
cross join lateral (
  select (d::date + h.time) at time zone p.timezone as at, random() as draw
  from generate_series(h.starts_on::timestamp, (now() at time zone p.timezone)::date::timestamp,
    make_interval(days => h.interval_days)) d
) o
where h.action like 'streak-%' and o.draw < s.share;
-- A tenth had their time changed since: their earlier completions are off the grid now.
update public.habits set time = time + interval '7 minutes' where action like 'streak-%' and random() < 0.1;
set local session_replication_role = origin;

select ok((select count(*) from public.habit_completions c join public.habits h on h.id = c.habit_id where h.action like 'streak-%') > 2000,
  'the sample has completions to count');
select ok((select count(*) from public.habits h where h.action like 'streak-%' and private.current_streak(h.id) >= 5) > 10,
  'and long streaks among them');
select ok((select count(*) from public.habits h
           join public.profiles p on p.id = h.owner_id
           cross join lateral private.habit_streaks(h.owner_id, h.id) s
           where h.action like 'streak-%' and s.streak > 0
             and ((now() at time zone p.timezone)::date - h.starts_on) % h.interval_days = 0
             and not exists (select from public.habit_completions c where c.habit_id = h.id
               and c.occurrence_at = (((now() at time zone p.timezone)::date + h.time) at time zone p.timezone))) > 0,
  'the sample has streaks with today''s occurrence still pending');
select is_empty($$
  select h.id, h.interval_days, h.starts_on, h.created_at, s.streak, private.current_streak(h.id)
  from public.habits h
  cross join lateral private.habit_streaks(h.owner_id, h.id) s
  where h.action like 'streak-%' and s.streak is distinct from private.current_streak(h.id) $$,
  'current_streak equals habit_streaks'' streak for every habit of the sample');
select is(private.current_streak(gen_random_uuid()), 0, 'a habit that does not exist has no streak');
select ok(not has_function_privilege('authenticated', 'private.current_streak(uuid)', 'execute'),
  'current_streak is not executable by authenticated');

select * from finish();
rollback;
