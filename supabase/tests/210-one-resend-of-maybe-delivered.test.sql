-- Issue 27, item 6: a maybe-delivered message (a send that timed out or lost its connection after
-- the request left) is resent once, after a wait longer than a plain retry's and growing with its
-- attempts; a second maybe-delivered attempt is recorded, not resent. Such a message never ends
-- "dead" as if it had never arrived. Item 9a: only those attempts are counted as maybe delivered.
begin;
set local search_path = public, extensions;
select * from no_plan();

select tests.create_supabase_user('maybe', 'UTC');
select tests.link_telegram('maybe', 8101);
update public.notifications set status = 'sent' where status in ('pending', 'retry', 'sending');
insert into public.habits (owner_id, action, place, time, duration_seconds)
select tests.get_supabase_uid('maybe'), 'maybe-' || i, 'home', '07:00', 30 from generate_series(1, 5) i;
create temporary table msg on commit drop as
select n.id, h.action from public.notifications n join public.habits h on h.id = n.habit_id
where h.owner_id = tests.get_supabase_uid('maybe');
update public.notifications set status = 'sending', attempts = 1 where id in (select id from msg);

create function pg_temp.row_of(which text) returns public.notifications language sql as $$
  select n.* from public.notifications n where n.id = (select id from msg where action = which)
$$;
create function pg_temp.id_of(which text) returns bigint language sql as $$
  select id from msg where action = which
$$;
create function pg_temp.wait_of(which text) returns interval language sql as $$
  select next_attempt_at - now() from public.notifications where id = (select id from msg where action = which)
$$;

-- ---------------------------------------------------------------- the first maybe delivered: one resend, later
select is(private.record_delivery(pg_temp.id_of('maybe-1'), 'uncertain', error => 'sendMessage: no answer in time'),
  'retry', 'a first maybe-delivered send is resent (at-least-once)');
select is((pg_temp.row_of('maybe-1')).maybe_delivered_attempts, 1, '... and counted as maybe delivered');
select ok(pg_temp.wait_of('maybe-1') between interval '59 seconds' and interval '61 seconds',
  '... after 1 minute on its first attempt, twice a plain retry''s 30 s');
update public.notifications set status = 'sending', attempts = 3, maybe_delivered_attempts = 0
where id = pg_temp.id_of('maybe-2');
select private.record_delivery(pg_temp.id_of('maybe-2'), 'uncertain', error => 'sendMessage: no answer in time');
select ok(pg_temp.wait_of('maybe-2') between interval '239 seconds' and interval '241 seconds',
  'the wait before the resend grows with the attempts: 4 minutes on the third');

-- ---------------------------------------------------------------- the second: recorded, not resent
update public.notifications set status = 'sending', attempts = 2 where id = pg_temp.id_of('maybe-1');
select is(private.record_delivery(pg_temp.id_of('maybe-1'), 'uncertain', error => 'sendMessage: network error: connection closed'),
  'unconfirmed', 'a second maybe-delivered send is not resent: the message is unconfirmed');
select is((pg_temp.row_of('maybe-1')).maybe_delivered_attempts, 2, '... with both attempts counted');
select is((pg_temp.row_of('maybe-1')).last_error,
  'maybe delivered 2 times; not sent again (a maybe-delivered message is resent once): sendMessage: network error: connection closed',
  '... and last_error says what happened');
select is_empty($$ select * from private.claim_notifications(50, '2 minutes') where chat_id = 8101 and action = 'maybe-1' $$,
  'an unconfirmed message is never claimed again');

-- ---------------------------------------------------------------- maybe delivered, then given up: not dead
update public.notifications set status = 'sending', attempts = 5, maybe_delivered_attempts = 1
where id = pg_temp.id_of('maybe-3');
select is(private.record_delivery(pg_temp.id_of('maybe-3'), 'retry', error => '500: Internal Server Error', max_attempts => 5),
  'unconfirmed', 'a message maybe delivered before its last attempt failed is unconfirmed, not dead');
select is((pg_temp.row_of('maybe-3')).last_error,
  'maybe delivered 1 time(s) before; then gave up: 500: Internal Server Error', '... and says so');
update public.notifications set status = 'sending', attempts = 2, maybe_delivered_attempts = 1
where id = pg_temp.id_of('maybe-4');
select is(private.record_delivery(pg_temp.id_of('maybe-4'), 'dead', error => '400: Bad Request: chat not found'),
  'unconfirmed', 'a 4xx after a maybe-delivered attempt leaves the message unconfirmed, not dead');
update public.notifications set status = 'sending', attempts = 5, maybe_delivered_attempts = 0
where id = pg_temp.id_of('maybe-5');
select is(private.record_delivery(pg_temp.id_of('maybe-5'), 'retry', error => '502: Bad Gateway', max_attempts => 5),
  'dead', 'a message never maybe delivered still dies after its last attempt');

-- ---------------------------------------------------------------- plain retries are not counted
update public.notifications set status = 'sending', attempts = 1, maybe_delivered_attempts = 0
where id = pg_temp.id_of('maybe-2');
select is(private.record_delivery(pg_temp.id_of('maybe-2'), 'retry', error => '502: Bad Gateway (an HTML page "502 Bad Gateway" from Telegram''s front end, not the Bot API)'),
  'retry', 'a 502, HTML page or not, is a plain retry');
select is((pg_temp.row_of('maybe-2')).maybe_delivered_attempts, 0, '... never counted as maybe delivered');
select ok(pg_temp.wait_of('maybe-2') between interval '29 seconds' and interval '31 seconds', '... after the plain 30 s');

-- ---------------------------------------------------------------- settled like the other final states
select ok(exists (select from pg_trigger t where t.tgname = 'notifications_broadcast_settled_status'
  and pg_get_triggerdef(t.oid) like '%unconfirmed%'), 'an unconfirmed message is broadcast to its owner like a sent one');
update public.notifications set created_at = now() - interval '91 days' where id = pg_temp.id_of('maybe-1');
select private.prune_housekeeping();
select is_empty($$ select from public.notifications where id = pg_temp.id_of('maybe-1') $$,
  'housekeeping prunes unconfirmed messages after 90 days, like sent and dead ones');
select throws_ok($$ update public.notifications set status = 'lost' where id = pg_temp.id_of('maybe-2') $$,
  '23514', null, 'the status stays one of the known ones');

select * from finish();
rollback;
