-- private.telegram_chat_send_slots was created with row level security and no policy. Like the
-- other private tables it is protected by the schema's privileges (not exposed, no USAGE for anon
-- or authenticated); RLS there protected nothing and Supabase's advisor flagged it
-- (rls_enabled_no_policy).
alter table private.telegram_chat_send_slots disable row level security;
