-- Reminders due at one instant are queued in rounds (issue 27): each person's first, then each
-- one's second, so that a claim, which takes messages due together in id order, serves the chats
-- in turn instead of giving the first chats all their reminders before the last chat gets one.
begin;
set local search_path = public, extensions;
select * from no_plan();

create function pg_temp.owners_in_id_order(at timestamptz) returns text
language sql as $$
  select string_agg(p.display, '' order by n.id)
  from public.notifications n
  join (values (tests.get_supabase_uid('ahead_a'), 'a'), (tests.get_supabase_uid('ahead_b'), 'b'),
               (tests.get_supabase_uid('due_a'), 'a'), (tests.get_supabase_uid('due_b'), 'b')) p(id, display)
    on p.id = n.owner_id
  where n.kind = 'reminder' and n.due_at = at
$$;

-- Each person's three habits created one after the other, as a person does.
select tests.create_supabase_user(u, 'UTC'), tests.link_telegram(u, 25000 + k)
from unnest(array['ahead_a', 'ahead_b', 'due_a', 'due_b']) with ordinality o(u, k);
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid(u), u || ' habit ' || i, 'home', '05:00', 30
from unnest(array['ahead_a', 'ahead_b']) with ordinality o(u, k), generate_series(1, 3) i order by k, i;
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid(u), u || ' habit ' || i, 'home', '06:00', 30
from unnest(array['due_a', 'due_b']) with ordinality o(u, k), generate_series(1, 3) i order by k, i;

create temporary table instants as
select (select min(next_reminder_at) from public.habits where owner_id = tests.get_supabase_uid('ahead_a')) as ahead,
       (select min(next_reminder_at) from public.habits where owner_id = tests.get_supabase_uid('due_a')) as due;

select is(private.queue_upcoming_reminders((select ahead from instants) - interval '1 minute'), 6,
  'queued ahead: three reminders for each of two people');
-- Which person comes first in a round is the owner ids' order: either way, they alternate.
select matches(pg_temp.owners_in_id_order((select ahead from instants)), '^(ababab|bababa)$',
  'queued ahead in rounds: each person''s first, then each one''s second, then third');

-- The due path (nothing queued ahead, as after downtime).
select is(private.enqueue_due_reminders((select due from instants)), 6, 'the due path queues all six');
select matches(pg_temp.owners_in_id_order((select due from instants)), '^(ababab|bababa)$',
  'the due path queues them in rounds too');

select * from finish();
rollback;
