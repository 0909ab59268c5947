-- Local-only data, applied after the migrations by `supabase db reset` and by the devstack's
-- start command. Never runs against a hosted project (see the README for the one-time SQL there).

-- Where pg_cron's tick reaches the edge functions, the secret the reminders function expects
-- (REMINDERS_SECRET in .env), and the bot's username for t.me deep links. Development values only;
-- each is created once, so re-running the seed keeps what a developer changed.
-- `api.supabase.internal:8000` is how the database container reaches the API under `supabase start`;
-- the devstack's start command points project_url at its own gateway instead.
select vault.create_secret('http://api.supabase.internal:8000', 'project_url')
where not exists (select from vault.secrets where name = 'project_url');

select vault.create_secret('local-reminders-secret-change-me-0123456789', 'reminders_secret')
where not exists (select from vault.secrets where name = 'reminders_secret');

select vault.create_secret('habits_local_bot', 'telegram_bot_username')
where not exists (select from vault.secrets where name = 'telegram_bot_username');
