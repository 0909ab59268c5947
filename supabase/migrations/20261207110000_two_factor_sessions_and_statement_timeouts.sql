-- =====================================================================================
-- Two-factor sessions and statement timeouts
-- A person with a verified second factor (auth.mfa_factors, status verified) is served only by a
-- session that completed it (the access token's aal claim is aal2): restrictive policies on every
-- exposed table, as Supabase's MFA guide ("Enforce rules for MFA logins") describes. A
-- password-only (aal1) session of such a person reads and writes nothing through the Data API or
-- any function; people without a verified factor are not affected.
--
-- The guide's policy reads auth.mfa_factors in the policy itself, which `authenticated` may not
-- read (42501, supabase/supabase#12290). A SECURITY DEFINER helper executable by `authenticated`
-- would work, but the advisor flags it (0029). So the standing is kept in a private table of its
-- own, written by a trigger on auth.mfa_factors, readable by each person for their own row only.
-- =====================================================================================

-- -------------------------------------------------------------------------------------
-- Who has a verified second factor
-- -------------------------------------------------------------------------------------

-- One row per person with at least one verified factor. Policies read it (as the requesting
-- person); nothing else writes it but the trigger below.
create table private.two_factor_accounts (
  user_id uuid primary key references auth.users (id) on delete cascade
);
comment on table private.two_factor_accounts is
  'People with at least one verified MFA factor, kept by a trigger on auth.mfa_factors: their sessions need aal2.';

alter table private.two_factor_accounts enable row level security;
-- Policies on public tables read this table as the requesting person; the schema stays closed
-- (no USAGE), so it is reachable only through those policies, and only the own row is visible.
create policy "A person sees whether their own account has a second factor"
  on private.two_factor_accounts
  for select
  to authenticated
  using (user_id = (select auth.uid()));
grant select on private.two_factor_accounts to authenticated;

-- Recomputes a person's standing whenever one of their factors is added, verified, or removed.
create function private.record_two_factor_standing()
returns trigger
language plpgsql
security definer
set search_path = ''
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
revoke execute on function private.record_two_factor_standing() from public, anon, authenticated;

create trigger on_mfa_factor_changed
  after insert or update of status, user_id or delete on auth.mfa_factors
  for each row execute function private.record_two_factor_standing();

insert into private.two_factor_accounts (user_id)
select distinct f.user_id from auth.mfa_factors f where f.status = 'verified'
on conflict (user_id) do nothing;

-- -------------------------------------------------------------------------------------
-- The rule on every exposed table
-- -------------------------------------------------------------------------------------
-- Restrictive: AND-ed with the permissive owner policies, for every command. The calls are wrapped
-- in (select …) so they run once per statement, not per row.

create policy "Two-factor accounts need a two-factor session for profiles"
  on public.profiles
  as restrictive
  for all
  to authenticated
  using (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  )
  with check (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  );

create policy "Two-factor accounts need a two-factor session for habits"
  on public.habits
  as restrictive
  for all
  to authenticated
  using (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  )
  with check (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  );

create policy "Two-factor accounts need a two-factor session for completions"
  on public.habit_completions
  as restrictive
  for all
  to authenticated
  using (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  )
  with check (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  );

create policy "Two-factor accounts need a two-factor session for notifications"
  on public.notifications
  as restrictive
  for all
  to authenticated
  using (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  )
  with check (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  );

-- create_telegram_link_code() (SECURITY INVOKER) inserts here, so it is refused too.
create policy "Two-factor accounts need a two-factor session for link codes"
  on public.telegram_link_codes
  as restrictive
  for all
  to authenticated
  using (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  )
  with check (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  );

-- Public habits are for everyone, anon included; a password-only session of a two-factor account
-- gets nothing here (at most what anon gets, which the anon key gives anyway).
create policy "Two-factor accounts need a two-factor session for public habits"
  on public.public_habits
  as restrictive
  for all
  to authenticated
  using (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  )
  with check (
    (select auth.jwt() ->> 'aal') = 'aal2'
    or not exists (select from private.two_factor_accounts a where a.user_id = (select auth.uid()))
  );

-- -------------------------------------------------------------------------------------
-- Statement timeouts
-- -------------------------------------------------------------------------------------
-- Supabase's hosted defaults, set here so every platform has them: the Data API applies the
-- impersonated role's settings per request (PostgREST ≥ 11), so an anon request is cut off after
-- 3 s and a signed-in one after 8 s with 57014 (query_canceled). The functions switch to
-- `authenticated` inside their own connection and apply the same setting (functions/_shared).
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
