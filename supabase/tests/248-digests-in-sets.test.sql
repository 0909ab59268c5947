-- A claim computes its digests as one set (private.weekly_digests, issue 27): exactly what
-- private.digest_for_message gives each owner, over a varied sample of habits (as in
-- 246-streaks-in-sets); a set that fails on one person's data falls back to the per-owner path,
-- which isolates that person.
begin;
set local search_path = public, extensions;
select * from no_plan();

create temp table sample_seed as select random() * 2 - 1 as seed;
select setseed((select seed from sample_seed));
select diag('random sample seed: ' || (select seed from sample_seed));

create temp table owners (zone text primary key, owner_id uuid);
insert into owners (zone) values ('UTC'), ('Europe/Berlin'), ('America/St_Johns'), ('Pacific/Chatham'),
  ('Asia/Kathmandu'), ('America/Santiago'), ('Australia/Lord_Howe');
select tests.create_supabase_user('digests-' || zone, zone) from owners;
update owners set owner_id = tests.get_supabase_uid('digests-' || zone);

set local session_replication_role = replica;
insert into public.habits (owner_id, action, place, time, interval_days, duration_seconds, starts_on, created_at, is_paused)
select o.owner_id, 'digests-' || n, 'anywhere',
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
where h.action like 'digests-%' and o.draw < s.share and o.at <= now() + interval '1 day';
update public.habits set time = time + interval '7 minutes' where action like 'digests-%' and random() < 0.1;
set local session_replication_role = origin;

select tests.create_supabase_user('digests-empty', 'UTC');

create temp table sample_owners as select owner_id as id from owners
  union all select tests.get_supabase_uid('digests-empty');
select ok((select count(*) from public.habits h join sample_owners o on o.id = h.owner_id) > 400,
  'the owners have habits to sum up');
select ok((select count(*) from sample_owners o
           where jsonb_array_length(private.digest_for_message(o.id)) > 0
             and private.digest_for_message(o.id)::text like '%✅%' and private.digest_for_message(o.id)::text like '%❌%') >= 5,
  'with weeks done and missed');

select is_empty($$
  select d.owner_id from private.weekly_digests(array(select id from sample_owners)) d
  where d.digest is distinct from private.digest_for_message(d.owner_id) $$,
  'weekly_digests equals digest_for_message for every owner');
select is((select count(*)::int from private.weekly_digests(array(select id from sample_owners) || array[null::uuid]
    || (select id from sample_owners limit 1))),
  (select count(*)::int from sample_owners), 'one digest per owner (null left out, twice named once)');
select is((select d.digest from private.weekly_digests(array[tests.get_supabase_uid('digests-empty')]) d),
  '[]'::jsonb, 'an owner without habits gets an empty week, as before');

-- One person's data fails the set: everyone else keeps their digest, that person gets none.
select tests.create_supabase_user('digests-zelda', 'Europe/Berlin');
select tests.link_telegram('digests-zelda', 24801);
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('digests-zelda'), 'read', 'bed', '07:00', 30);
alter table public.profiles drop constraint if exists profiles_timezone_is_known;
alter table public.profiles disable trigger profiles_reschedule_habits;
update public.profiles set timezone = 'Mars/Olympus_Mons' where id = tests.get_supabase_uid('digests-zelda');
alter table public.profiles enable trigger profiles_reschedule_habits;
select throws_ok($$ select * from private.weekly_digests(array[tests.get_supabase_uid('digests-zelda')]) $$,
  '22023', null, 'the set computation fails on that person''s zone');
select is_empty($$
  select d.owner_id from private.digests_for_messages(
    array(select id from sample_owners) || tests.get_supabase_uid('digests-zelda')) d
  where d.digest is distinct from case when d.owner_id = tests.get_supabase_uid('digests-zelda')
    then null else private.digest_for_message(d.owner_id) end $$,
  'digests_for_messages falls back per owner: everyone else''s digest, none for that person');
select is((select count(*)::int from private.digests_for_messages(
    array(select id from sample_owners) || tests.get_supabase_uid('digests-zelda'))),
  (select count(*)::int + 1 from sample_owners), 'one row per owner on the fallback path too');
select ok(not has_function_privilege('authenticated', 'private.weekly_digests(uuid[])', 'execute'),
  'weekly_digests is not executable by authenticated');

select * from finish();
rollback;
