-- Runs last: removes the test helpers that 000-setup-tests-hooks created, so that SECURITY
set client_min_messages = warning;
-- DEFINER helpers granted to anon exist only while the suite runs. Commits (like 000).
begin;
select plan(2);
drop schema tests cascade;
select hasnt_schema('tests', 'the test helpers are gone after the run');
select is_empty($$ select format('%s.%s', n.nspname, p.proname)
                   from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                   where p.prosecdef and has_function_privilege('anon', p.oid, 'execute')
                     and not exists (select from pg_depend d where d.objid = p.oid and d.deptype = 'e') $$,
  'no SECURITY DEFINER function is left that anon can execute');
select * from finish();
commit;
