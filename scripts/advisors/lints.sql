-- Supabase's database advisor lints (the Security and Performance Advisor, supabase/splinter),
-- written from their documentation (https://supabase.com/docs/guides/database/database-linter):
-- one row per finding as name | level | detail. Platform schemas are skipped as the advisors
-- skip them. Left out: unused_index (INFO; on a freshly migrated database every index is
-- unused), table_bloat and the replication-slot lint (runtime statistics), the auth, storage and
-- pg_graphql lints (configuration or objects this project does not have).
with platform(nspname) as (
  values ('auth'), ('cron'), ('extensions'), ('graphql'), ('graphql_public'), ('information_schema'),
    ('net'), ('pgbouncer'), ('pg_catalog'), ('pg_toast'), ('pgsodium'), ('pgsodium_masks'), ('pgtle'),
    ('realtime'), ('storage'), ('supabase_functions'), ('supabase_migrations'), ('vault')
),
user_schema as (
  select n.oid, n.nspname from pg_namespace n
  where n.nspname not in (select nspname from platform) and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast%'
),
extension_member as (
  select objid from pg_depend where deptype = 'e'
),
user_table as (
  select c.oid, c.relname, c.relrowsecurity, c.relkind, s.nspname
  from pg_class c join user_schema s on s.oid = c.relnamespace
  where c.oid not in (select objid from extension_member)
),
user_function as (
  select p.oid, p.proname, p.prosecdef, p.proconfig, s.nspname, pg_get_function_identity_arguments(p.oid) as args
  from pg_proc p join user_schema s on s.oid = p.pronamespace
  where p.oid not in (select objid from extension_member)
),
policy as (
  select pol.*, c.relname, s.nspname, c.relrowsecurity,
    pg_get_expr(pol.polqual, pol.polrelid) as qual, pg_get_expr(pol.polwithcheck, pol.polrelid) as with_check
  from pg_policy pol
  join pg_class c on c.oid = pol.polrelid
  join user_schema s on s.oid = c.relnamespace
),
findings(name, level, detail) as (
  -- 0001: a foreign key whose columns are not the leading columns of an index, in order
  select 'unindexed_foreign_keys', 'INFO', format('%s.%s: foreign key %s has no covering index', t.nspname, t.relname, con.conname)
  from pg_constraint con join user_table t on t.oid = con.conrelid
  where con.contype = 'f'
    and not exists (
      select from pg_index i
      where i.indrelid = con.conrelid and i.indisvalid
        and (string_to_array(i.indkey::text, ' ')::smallint[])[1:cardinality(con.conkey)] = con.conkey
    )
  union all
  -- 0002: a view in public that reads auth.users and that the API roles can select
  select distinct 'auth_users_exposed', 'ERROR', format('public.%s exposes auth.users', c.relname)
  from pg_depend d
  join pg_rewrite r on r.oid = d.objid
  join pg_class c on c.oid = r.ev_class
  where d.refobjid = 'auth.users'::regclass and c.relkind in ('v', 'm') and c.relnamespace = 'public'::regnamespace
    and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select'))
  union all
  -- 0003: auth.<function>() in a policy not wrapped in a sub-select (evaluated per row)
  select 'auth_rls_initplan', 'WARN', format('%s.%s: policy "%s" calls auth.<function>() per row', nspname, relname, polname)
  from policy
  where relrowsecurity and (
    (qual ~ 'auth\.(uid|jwt|role|email)\(\)' and lower(qual) !~ 'select\s+auth\.(uid|jwt|role|email)\(\)')
    or (with_check ~ 'auth\.(uid|jwt|role|email)\(\)' and lower(with_check) !~ 'select\s+auth\.(uid|jwt|role|email)\(\)'))
  union all
  -- 0004: a table without a primary key
  select 'no_primary_key', 'INFO', format('%s.%s has no primary key', nspname, relname)
  from user_table t
  where relkind = 'r' and not exists (select from pg_index i where i.indrelid = t.oid and i.indisprimary)
  union all
  -- 0006: more than one permissive policy for one role and one action
  select 'multiple_permissive_policies', 'WARN',
    format('%s.%s: %s permissive policies for role %s and %s', nspname, relname, count(*), rolname, cmd)
  from (
    select p.nspname, p.relname, r.rolname, unnest(case p.polcmd when 'r' then array['SELECT'] when 'a' then array['INSERT']
      when 'w' then array['UPDATE'] when 'd' then array['DELETE'] else array['SELECT', 'INSERT', 'UPDATE', 'DELETE'] end) as cmd
    from policy p join pg_roles r on p.polroles @> array[r.oid] or p.polroles = array[0::oid]
    where p.polpermissive and r.rolname not like 'pg\_%' and not r.rolbypassrls
  ) per_action
  group by nspname, relname, rolname, cmd
  having count(*) > 1
  union all
  -- 0007: policies on a table whose RLS is off
  select distinct 'policy_exists_rls_disabled', 'ERROR', format('%s.%s has policies but RLS is disabled', nspname, relname)
  from policy where not relrowsecurity
  union all
  -- 0008: RLS on, no policy (nobody but the owner and bypassrls roles can use the table)
  select 'rls_enabled_no_policy', 'INFO', format('%s.%s has RLS enabled and no policy', nspname, relname)
  from user_table t
  where relkind = 'r' and relrowsecurity and not exists (select from pg_policy p where p.polrelid = t.oid)
  union all
  -- 0009: two indexes with the same definition
  select 'duplicate_index', 'WARN', format('%s.%s: indexes %s are identical', t.nspname, t.relname, array_agg(i.indexrelid::regclass::text order by 1))
  from pg_index i join user_table t on t.oid = i.indrelid
  group by t.nspname, t.relname, i.indkey::text, i.indclass::text, i.indcollation::text, coalesce(pg_get_expr(i.indexprs, i.indrelid), ''),
    coalesce(pg_get_expr(i.indpred, i.indrelid), '')
  having count(*) > 1
  union all
  -- 0010: a view the API roles can read that runs with its owner's rights
  select 'security_definer_view', 'ERROR', format('view %s.%s is SECURITY DEFINER', nspname, relname)
  from user_table c
  where relkind = 'v'
    and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select'))
    and not coalesce((select bool_or(o in ('security_invoker=1', 'security_invoker=true', 'security_invoker=yes', 'security_invoker=on'))
                      from pg_class pc, unnest(lower(coalesce(pc.reloptions::text, '{}'))::text[]) o where pc.oid = c.oid), false)
  union all
  -- 0011: a function without a fixed search_path
  select 'function_search_path_mutable', 'WARN', format('function %s.%s(%s) has a role-mutable search_path', nspname, proname, args)
  from user_function
  where not exists (select from unnest(coalesce(proconfig, '{}')) c where c like 'search_path=%')
  union all
  -- 0013: a table in public without RLS
  select 'rls_disabled_in_public', 'ERROR', format('public.%s has RLS disabled', relname)
  from user_table where relkind = 'r' and nspname = 'public' and not relrowsecurity
  union all
  -- 0014: an extension installed in public
  select 'extension_in_public', 'WARN', format('extension %s is installed in schema public', extname)
  from pg_extension where extname <> 'plpgsql' and extnamespace = 'public'::regnamespace
  union all
  -- 0015: a policy that trusts user-editable metadata
  select 'rls_references_user_metadata', 'ERROR', format('%s.%s: policy "%s" reads user_metadata', nspname, relname, polname)
  from policy where coalesce(qual, '') || coalesce(with_check, '') ~ 'user_metadata'
  union all
  -- 0016, 0017: materialized views and foreign tables the API roles can read in public
  select case relkind when 'm' then 'materialized_view_in_api' else 'foreign_table_in_api' end, 'WARN',
    format('%s public.%s is readable through the Data API', case relkind when 'm' then 'materialized view' else 'foreign table' end, relname)
  from user_table c
  where relkind in ('m', 'f') and nspname = 'public'
    and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select'))
  union all
  -- 0018: columns of reg* types that pg_upgrade cannot carry
  select 'unsupported_reg_types', 'WARN', format('%s.%s.%s has type %s', t.nspname, t.relname, a.attname, a.atttypid::regtype)
  from pg_attribute a join user_table t on t.oid = a.attrelid
  where a.attnum > 0 and not a.attisdropped
    and a.atttypid in ('regcollation'::regtype, 'regconfig'::regtype, 'regdictionary'::regtype, 'regnamespace'::regtype,
                       'regoper'::regtype, 'regoperator'::regtype, 'regproc'::regtype, 'regprocedure'::regtype)
  union all
  -- 0021: a foreign key to a unique constraint of auth.users other than its primary key
  select 'fkey_to_auth_unique', 'ERROR', format('%s.%s: foreign key %s references a unique constraint of auth.users', t.nspname, t.relname, con.conname)
  from pg_constraint con join user_table t on t.oid = con.conrelid
  join pg_class idx on idx.oid = con.conindid
  where con.contype = 'f' and con.confrelid = 'auth.users'::regclass and idx.relname <> 'users_pkey'
  union all
  -- 0024: a permissive policy for anon/authenticated/public whose write condition is always true
  select 'rls_policy_always_true', 'WARN', format('%s.%s: policy "%s" allows unrestricted writes', nspname, relname, polname)
  from policy
  where relrowsecurity and polpermissive
    and (polroles = array[0::oid] or 'anon'::regrole::oid = any (polroles) or 'authenticated'::regrole::oid = any (polroles))
    and (
      (polcmd in ('w', 'd', '*') and (qual is null or regexp_replace(lower(qual), '\s', '', 'g') in ('true', '(true)', '1=1', '(1=1)')))
      or regexp_replace(lower(coalesce(with_check, '')), '\s', '', 'g') in ('true', '(true)', '1=1', '(1=1)')
      or (polcmd = 'a' and with_check is null))
  union all
  -- 0028, 0029: SECURITY DEFINER functions that anon or authenticated can execute
  select r.role || '_security_definer_function_executable', 'WARN',
    format('SECURITY DEFINER function %s.%s(%s) is executable by %s', nspname, proname, args, r.role)
  from user_function f cross join (values ('anon'), ('authenticated')) r(role)
  where prosecdef and has_function_privilege(r.role, f.oid, 'execute')
)
select name, level, detail from findings
order by case level when 'ERROR' then 0 when 'WARN' then 1 else 2 end, name, detail;
