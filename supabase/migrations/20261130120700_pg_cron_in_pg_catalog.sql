-- =====================================================================================
-- pg_cron as Supabase creates it: `create extension pg_cron with schema pg_catalog`
-- 20261127020000 created it without a schema, so it landed in public (Supabase's advisor:
-- extension_in_public). pg_cron cannot be moved (not relocatable), so it is created again in
-- pg_catalog, and the jobs scheduled until now (by any earlier migration) are scheduled again
-- unchanged. pg_net already lives in schema extensions, as Supabase's docs create it.
-- =====================================================================================

do $migration$
begin
  if exists (select from pg_catalog.pg_extension where extname = 'pg_cron' and extnamespace = 'public'::regnamespace) then
    create temporary table saved_cron_jobs on commit drop as
    select jobname, schedule, command, database, username, active from cron.job;
    drop extension pg_cron;
    create extension pg_cron with schema pg_catalog;
    perform cron.schedule_in_database(jobname, schedule, command, database, username, active)
    from saved_cron_jobs
    order by jobname;
  end if;
end
$migration$;

grant usage on schema cron to postgres;
