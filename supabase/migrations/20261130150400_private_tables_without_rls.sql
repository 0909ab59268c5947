-- private.settings and private.reminder_dispatcher were created with row level security and no
-- policy. The private schema is not exposed through the Data API and anon/authenticated have no
-- USAGE on it, so RLS there protects nothing, and Supabase's advisor flags it
-- (rls_enabled_no_policy). Like the other private tables, they rely on the schema's privileges.
alter table private.settings disable row level security;
alter table private.reminder_dispatcher disable row level security;
