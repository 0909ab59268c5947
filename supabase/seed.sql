-- Local-only data, applied after the migrations by `supabase db reset` and by the devstack's
-- start command. Never runs against a hosted project.
select 1;
