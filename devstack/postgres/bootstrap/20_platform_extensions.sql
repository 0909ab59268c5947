-- Extensions a Supabase project has available. Vault is enabled on every project; pg_net and
-- pg_cron are available and enabled by migrations (`create extension if not exists ...`).
-- On the devstack, pg_net and supabase_vault are the SQL-only stand-ins from
-- devstack/postgres/extensions, installed into Postgres's extension directory by the setup script.
create extension if not exists supabase_vault;
