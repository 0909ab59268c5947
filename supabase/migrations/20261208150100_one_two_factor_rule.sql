-- The two-factor rule written once (issue 25): each restrictive policy repeated the same
-- expression; now each is private.session_meets_two_factor(). Same meaning, same policy names.
-- Current definitions: supabase/schemas/85_two_factor.sql and 90_realtime.sql.

-- SECURITY INVOKER with a SQL-standard body: resolved when created, so the person's session
-- needs no USAGE on the closed private schema to run it, and reads only their own row.
create function private.session_meets_two_factor() returns boolean
    language sql stable
    set search_path to ''
begin atomic
 select ((( select (auth.jwt() ->> 'aal'::text)) = 'aal2'::text) or (not (exists ( select 1
            from private.two_factor_accounts a
           where (a.user_id = ( select auth.uid() as uid))))));
end;

comment on function private.session_meets_two_factor() is 'Whether the requesting session may be served: aal2, or an account without a verified second factor.';

revoke all on function private.session_meets_two_factor() from public;
grant all on function private.session_meets_two_factor() to authenticated;
grant all on function private.session_meets_two_factor() to service_role;

alter policy "Two-factor accounts need a two-factor session for completions" on public.habit_completions
  using ((select private.session_meets_two_factor())) with check ((select private.session_meets_two_factor()));
alter policy "Two-factor accounts need a two-factor session for habits" on public.habits
  using ((select private.session_meets_two_factor())) with check ((select private.session_meets_two_factor()));
alter policy "Two-factor accounts need a two-factor session for link codes" on public.telegram_link_codes
  using ((select private.session_meets_two_factor())) with check ((select private.session_meets_two_factor()));
alter policy "Two-factor accounts need a two-factor session for notifications" on public.notifications
  using ((select private.session_meets_two_factor())) with check ((select private.session_meets_two_factor()));
alter policy "Two-factor accounts need a two-factor session for profiles" on public.profiles
  using ((select private.session_meets_two_factor())) with check ((select private.session_meets_two_factor()));
alter policy "Two-factor accounts need a two-factor session for public habits" on public.public_habits
  using ((select private.session_meets_two_factor())) with check ((select private.session_meets_two_factor()));
alter policy "Two-factor accounts need a two-factor session for live updates" on realtime.messages
  using ((select private.session_meets_two_factor()));
