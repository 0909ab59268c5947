-- Two-factor: who has a verified second factor, and the restrictive policies that make such
-- accounts use a two-factor session.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- Recomputes a person's standing whenever one of their factors is added, verified, or removed.
create function private.record_two_factor_standing() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  person uuid := case when tg_op = 'DELETE' then old.user_id else new.user_id end;
begin
  if exists (select from auth.mfa_factors f where f.user_id = person and f.status = 'verified') then
    insert into private.two_factor_accounts (user_id)
    select person where exists (select from auth.users u where u.id = person)
    on conflict (user_id) do nothing;
  else
    delete from private.two_factor_accounts a where a.user_id = person;
  end if;
  return null;
end
$$;

-- One row per person with at least one verified factor. Policies read it (as the requesting
-- person); nothing else writes it but the trigger below.
create table private.two_factor_accounts (
    user_id uuid not null
);

comment on table private.two_factor_accounts is 'People with at least one verified MFA factor, kept by a trigger on auth.mfa_factors: their sessions need aal2.';

alter table only private.two_factor_accounts
    add constraint two_factor_accounts_pkey primary key (user_id);

alter table only private.two_factor_accounts
    add constraint two_factor_accounts_user_id_fkey foreign key (user_id) references auth.users(id) on delete cascade;

alter table private.two_factor_accounts enable row level security;

-- The two-factor rule, once: a person with a verified second factor is served only in an aal2
-- session. Every restrictive policy below and on realtime.messages is this function. SECURITY
-- INVOKER, with a SQL-standard body: it is resolved when created, so the person's session needs
-- no USAGE on the closed private schema to run it, and reads only their own row.
create function private.session_meets_two_factor() returns boolean
    language sql stable
    set search_path to ''
begin atomic
 select ((( select (auth.jwt() ->> 'aal'::text)) = 'aal2'::text) or (not (exists ( select 1
            from private.two_factor_accounts a
           where (a.user_id = ( select auth.uid() as uid))))));
end;

comment on function private.session_meets_two_factor() is 'Whether the requesting session may be served: aal2, or an account without a verified second factor.';

-- Policies on public tables read this table as the requesting person; the schema stays closed
-- (no USAGE), so it is reachable only through those policies, and only the own row is visible.
create policy "A person sees whether their own account has a second factor" on private.two_factor_accounts for select to authenticated using ((user_id = ( select auth.uid() as uid)));

create policy "Two-factor accounts need a two-factor session for completions" on public.habit_completions as restrictive to authenticated using (( select private.session_meets_two_factor() as session_meets_two_factor)) with check (( select private.session_meets_two_factor() as session_meets_two_factor));

create policy "Two-factor accounts need a two-factor session for habits" on public.habits as restrictive to authenticated using (( select private.session_meets_two_factor() as session_meets_two_factor)) with check (( select private.session_meets_two_factor() as session_meets_two_factor));

-- create_telegram_link_code() (SECURITY INVOKER) inserts here, so it is refused too.
create policy "Two-factor accounts need a two-factor session for link codes" on public.telegram_link_codes as restrictive to authenticated using (( select private.session_meets_two_factor() as session_meets_two_factor)) with check (( select private.session_meets_two_factor() as session_meets_two_factor));

create policy "Two-factor accounts need a two-factor session for notifications" on public.notifications as restrictive to authenticated using (( select private.session_meets_two_factor() as session_meets_two_factor)) with check (( select private.session_meets_two_factor() as session_meets_two_factor));

create policy "Two-factor accounts need a two-factor session for profiles" on public.profiles as restrictive to authenticated using (( select private.session_meets_two_factor() as session_meets_two_factor)) with check (( select private.session_meets_two_factor() as session_meets_two_factor));

-- Public habits are for everyone, anon included; a password-only session of a two-factor account
-- gets nothing here (at most what anon gets, which the anon key gives anyway).
create policy "Two-factor accounts need a two-factor session for public habits" on public.public_habits as restrictive to authenticated using (( select private.session_meets_two_factor() as session_meets_two_factor)) with check (( select private.session_meets_two_factor() as session_meets_two_factor));

-- Keeps private.two_factor_accounts in step with verified factors.
create trigger on_mfa_factor_changed after insert or delete or update of status, user_id on auth.mfa_factors for each row execute function private.record_two_factor_standing();
