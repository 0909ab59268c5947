-- One line per database object: "kind name<TAB>definition", normalised so that two databases
-- built differently but to the same schema print the same lines (ACLs sorted, newlines escaped).
-- Covers every schema but Postgres' own and the CLI's migration history; what the devstack
-- bootstrap and the extensions create is identical on both sides.
with
schemas as (
  select oid, nspname from pg_namespace
  where nspname not in ('pg_catalog', 'information_schema', 'pg_toast', 'supabase_migrations')
    and nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'
),
objects(kind, name, def) as (
  select 'schema', s.nspname::text,
    'owner=' || pg_get_userbyid(n.nspowner) || ' acl=' ||
    coalesce((select string_agg(a::text, ',' order by a::text) from unnest(n.nspacl) a), '')
  from pg_namespace n join schemas s using (oid)
  union all
  select 'extension', e.extname::text, 'schema=' || e.extnamespace::regnamespace::text
  from pg_extension e
  union all
  select case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
    s.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
    case when p.prokind = 'a' then '' else pg_get_functiondef(p.oid) end ||
    ' owner=' || pg_get_userbyid(p.proowner) || ' acl=' ||
    coalesce((select string_agg(a::text, ',' order by a::text) from unnest(p.proacl) a), 'default') ||
    ' comment=' || coalesce(obj_description(p.oid, 'pg_proc'), '')
  from pg_proc p join schemas s on s.oid = p.pronamespace
  union all
  select 'relation', s.nspname || '.' || c.relname,
    'kind=' || c.relkind::text || ' rls=' || c.relrowsecurity || ' force_rls=' || c.relforcerowsecurity ||
    ' owner=' || pg_get_userbyid(c.relowner) || ' acl=' ||
    coalesce((select string_agg(a::text, ',' order by a::text) from unnest(c.relacl) a), 'default') ||
    ' comment=' || coalesce(obj_description(c.oid, 'pg_class'), '') ||
    case when c.relkind in ('v', 'm') then ' view=' || pg_get_viewdef(c.oid) else '' end
  from pg_class c join schemas s on s.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
  union all
  select 'column', s.nspname || '.' || c.relname || '.' || a.attname,
    format_type(a.atttypid, a.atttypmod) || ' not_null=' || a.attnotnull ||
    ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') ||
    ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text || ' acl=' ||
    coalesce((select string_agg(x::text, ',' order by x::text) from unnest(a.attacl) x), '') ||
    ' comment=' || coalesce(col_description(c.oid, a.attnum), '')
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  join schemas s on s.oid = c.relnamespace
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped
  union all
  select 'constraint', s.nspname || '.' || c.relname || '.' || k.conname,
    pg_get_constraintdef(k.oid) || ' comment=' || coalesce(obj_description(k.oid, 'pg_constraint'), '')
  from pg_constraint k
  join pg_class c on c.oid = k.conrelid
  join schemas s on s.oid = c.relnamespace
  union all
  select 'index', schemaname || '.' || indexname, indexdef
  from pg_indexes where schemaname in (select nspname from schemas)
  union all
  select 'trigger', s.nspname || '.' || c.relname || '.' || t.tgname,
    pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
  from pg_trigger t
  join pg_class c on c.oid = t.tgrelid
  join schemas s on s.oid = c.relnamespace
  where not t.tgisinternal
  union all
  select 'policy', schemaname || '.' || tablename || '.' || policyname,
    permissive || ' ' || cmd || ' to ' || array_to_string(roles, ',') ||
    ' using ' || coalesce(qual, '') || ' with check ' || coalesce(with_check, '')
  from pg_policies
  union all
  select 'sequence', s.nspname || '.' || c.relname,
    format_type(q.seqtypid, null) || ' start=' || q.seqstart || ' increment=' || q.seqincrement ||
    ' min=' || q.seqmin || ' max=' || q.seqmax || ' cycle=' || q.seqcycle
  from pg_sequence q
  join pg_class c on c.oid = q.seqrelid
  join schemas s on s.oid = c.relnamespace
  union all
  select 'type', s.nspname || '.' || t.typname,
    t.typtype::text || ' ' || coalesce((select string_agg(e.enumlabel, ',' order by e.enumsortorder)
      from pg_enum e where e.enumtypid = t.oid), '')
  from pg_type t join schemas s on s.oid = t.typnamespace
  where t.typtype in ('e', 'd', 'c') and not exists (
    select from pg_class c where c.oid = t.typrelid and c.relkind <> 'c')
  union all
  select 'default privileges',
    pg_get_userbyid(d.defaclrole) || ' in ' || coalesce(d.defaclnamespace::regnamespace::text, 'every schema') ||
    ' on ' || d.defaclobjtype::text,
    coalesce((select string_agg(a::text, ',' order by a::text) from unnest(d.defaclacl) a), '')
  from pg_default_acl d
  union all
  select 'role setting', coalesce(r.rolname, 'every role') || ' in ' ||
    case when rs.setdatabase = 0 then 'every database' else 'this database' end,
    array_to_string(array(select x from unnest(rs.setconfig) x order by x), ',')
  from pg_db_role_setting rs left join pg_roles r on r.oid = rs.setrole
  where rs.setdatabase in (0, (select oid from pg_database where datname = current_database()))
  union all
  select 'publication table', p.pubname || ' ' || pt.schemaname || '.' || pt.tablename, ''
  from pg_publication p join pg_publication_tables pt using (pubname)
)
select kind || ' ' || name || E'\t' || replace(replace(coalesce(def, ''), E'\t', ' '), E'\n', '\n')
from objects
order by 1;
