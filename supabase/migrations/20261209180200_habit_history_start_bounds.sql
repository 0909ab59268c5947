-- A habit's created_at is where its history begins (the streak counts misses from it); the
-- import writes it from the person's file. Its bounds lived only in the import's handler. Now the
-- database holds them, as it does for a completion's completed_at: from the first instant of
-- 1 January 2000 anywhere on Earth (00:00+14), and not in the future.

set check_function_bodies = off;

create function private.habits_check_created_at() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  perform private.raise_rule_violation('habits', 'habits_created_at_range',
    'A habit''s history begins between 1 January 2000 and now.');
  return new;
end
$$;

comment on function private.habits_check_created_at() is 'The upper bound of habits_created_at_range: a habit''s history does not begin in the future.';

update public.habits set created_at = '1999-12-31 10:00:00+00' where created_at < '1999-12-31 10:00:00+00';
update public.habits set created_at = now() where created_at > now();

alter table public.habits add constraint habits_created_at_range check ((created_at >= '1999-12-31 10:00:00+00'::timestamp with time zone));

-- The condition in WHEN, so the many rows of an import cost no function call.
create trigger habits_created_at_not_in_future before insert or update of created_at on public.habits for each row when ((new.created_at > now())) execute function private.habits_check_created_at();

revoke all on function private.habits_check_created_at() from public;
