-- What anon and authenticated can use, listed in full: a function or sequence added to this
-- list needs a decision (and this test's update), so the list cannot grow unnoticed. Platform
-- schemas (auth, realtime, ...) are Supabase's, as on the hosted platform.
begin;
set local search_path = public, extensions;
select * from no_plan();

create temporary view api_role_privileges as
select r.role, 'function' as kind, format('%s.%s(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) collate "default" as object
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
cross join (values ('anon'), ('authenticated')) r(role)
where n.nspname not in ('pg_catalog', 'information_schema', 'auth', 'extensions', 'vault', 'net', 'cron', 'realtime', 'tests')
  and not exists (select from pg_depend d where d.objid = p.oid and d.deptype = 'e')
  and has_function_privilege(r.role, p.oid, 'execute')
union all
select r.role, 'sequence', c.oid::regclass::text collate "default"
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
cross join (values ('anon'), ('authenticated')) r(role)
where c.relkind = 'S'
  and n.nspname not in ('pg_catalog', 'information_schema', 'auth', 'extensions', 'vault', 'net', 'cron', 'realtime', 'tests')
  and n.nspname !~ '^pg_(toast_)?temp_' -- pgTAP's own bookkeeping in this session
  and not exists (select from pg_depend d where d.objid = c.oid and d.deptype = 'e')
  and has_sequence_privilege(r.role, c.oid, 'usage, select, update');

select results_eq($$ select role, kind, object from api_role_privileges order by 1, 2, 3 $$,
  $$ values ('authenticated', 'function', 'private.is_known_time_zone(zone text)'),
            ('authenticated', 'function', 'private.session_meets_two_factor()'),
            ('authenticated', 'function', 'public.create_telegram_link_code()'),
            ('authenticated', 'function', 'public.disconnect_telegram()') $$,
  'anon can execute no function and use no sequence; authenticated exactly these four functions '
  '(the two private ones are what the policies call as the requesting person)');

select is_empty($$ select p.proname from pg_proc p
                   where p.pronamespace = 'private'::regnamespace
                     and (p.proacl is null or aclcontains(p.proacl, makeaclitem(0, p.proowner, 'EXECUTE', false))) $$,
  'no private function is executable by PUBLIC');
select is_empty($$ select c.relname from pg_class c
                   where c.relkind = 'S' and c.relnamespace = 'public'::regnamespace
                     and (has_sequence_privilege('anon', c.oid, 'usage, select, update')
                          or has_sequence_privilege('authenticated', c.oid, 'usage, select, update')) $$,
  'anon and authenticated hold no privilege on the identity sequences');

select tests.clear_authentication();
select throws_ok($$ select setval('public.habit_completions_id_seq', 1000000) $$, '42501', null, 'anon cannot move a sequence');
select tests.as_postgres();

select is((select extnamespace::regnamespace::text from pg_extension where extname = 'pg_cron'), 'pg_catalog',
  'pg_cron is installed in pg_catalog, as Supabase installs it');
select is((select extnamespace::regnamespace::text from pg_extension where extname = 'pg_net'), 'extensions',
  'pg_net is installed in schema extensions');
select results_eq($$ select jobname::text collate "default",
       case when command like 'do $tick$%perform private.run_reminder_tick();%private.queue_due_batch(started)%'
            then 'the tick, then its batches' else command end collate "default"
     from cron.job order by jobname $$,
  $$ values ('prune-housekeeping', 'select private.prune_housekeeping()'), ('reminder-tick', 'the tick, then its batches') $$,
  'the scheduled jobs survived the move');

select * from finish();
rollback;
