-- Deliveries recorded in sets (issue 27): private.record_deliveries records many claimed messages'
-- outcomes in one statement, each exactly as private.record_delivery would.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('sets', 'UTC');
select tests.link_telegram('sets', 20101);
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('sets'), 'set habit ' || i, 'home', '07:00', 30 from generate_series(1, 3) i;
update public.notifications set status = 'sending', attempts = 1, lease_until = now() + interval '2 minutes'
where owner_id = tests.get_supabase_uid('sets');

create temporary table ids as
select array_agg(id order by id) as ids from public.notifications where owner_id = tests.get_supabase_uid('sets');

select lives_ok(
  $$select private.record_deliveries((select ids from ids), array['sent', 'retry', 'rate_limited'],
      array[501, null, null]::bigint[], array[null, '500: Internal Server Error', '429: Too Many Requests'],
      array[null, null, 7]::integer[], 5)$$,
  'three outcomes recorded in one statement'
);
select results_eq(
  $$select status, telegram_message_id, attempts from public.notifications
    where owner_id = tests.get_supabase_uid('sets') order by id$$,
  $$values ('sent', 501::bigint, 1), ('retry', null::bigint, 1), ('retry', null::bigint, 0)$$,
  'each as record_delivery records it: sent with its message id, a retry counted, a 429 not counted'
);
-- The delivered one, recorded in the set's one UPDATE, ends as record_delivery leaves a sent message.
select tests.create_supabase_user('single', 'UTC');
select tests.link_telegram('single', 20102);
insert into public.habits (owner_id, action, place, time, duration_seconds)
values (tests.get_supabase_uid('single'), 'single habit', 'home', '07:00', 30);
update public.notifications set status = 'sending', attempts = 1, lease_until = now() + interval '2 minutes',
  last_error = 'an earlier 500'
where owner_id = tests.get_supabase_uid('single') or id = (select ids[1] from ids);
select private.record_delivery((select id from public.notifications where owner_id = tests.get_supabase_uid('single')),
  'sent', 502, null, null, 5);
select private.record_deliveries(array[(select ids[1] from ids)], array['sent'], array[503]::bigint[], array[null],
  array[null]::integer[], 5);
select results_eq(
  $$select status, attempts, maybe_delivered_attempts, last_error, lease_until, sent_at = now(), next_attempt_at
    from public.notifications where owner_id = tests.get_supabase_uid('single')$$,
  $$select status, attempts, maybe_delivered_attempts, last_error, lease_until, sent_at = now(), next_attempt_at
    from public.notifications where id = (select ids[1] from ids)$$,
  'a delivered message recorded in a set ends exactly as record_delivery leaves it'
);

select ok(
  (select next_attempt_at between now() + interval '6 seconds' and now() + interval '8 seconds'
   from public.notifications where id = (select ids[3] from ids)),
  'the 429 waits exactly its retry_after'
);
select throws_ok(
  $$select private.record_deliveries(array[1, 2]::bigint[], array['sent'], array[null]::bigint[], array[null], array[null]::integer[])$$,
  'P0001', 'record_deliveries: the arrays must have one entry per notification',
  'arrays of different lengths are refused, nothing recorded'
);
select is(private.record_deliveries(array[]::bigint[], array[]::text[], array[]::bigint[], array[]::text[], array[]::integer[])::text,
  '', 'an empty set records nothing');
select ok(
  not has_function_privilege('authenticated', 'private.record_deliveries(bigint[], text[], bigint[], text[], integer[], integer)', 'execute')
  and has_function_privilege('service_role', 'private.record_deliveries(bigint[], text[], bigint[], text[], integer[], integer)', 'execute'),
  'only the service role records deliveries'
);

select * from finish();
rollback;
