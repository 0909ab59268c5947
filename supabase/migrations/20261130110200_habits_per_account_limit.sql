-- =====================================================================================
-- A cap on habits per account (rule habits_per_account_limit)
-- One POST of 600 habits queued 600 "habit created" messages and later 600 reminders a day for
-- one chat, which Telegram lets out at one a second. A person tracks a handful of habits; 100 is
-- far above that and keeps one account's queue short. Operators change it in private.settings:
--   update private.settings set value = 200 where name = 'habits_per_account_limit';
-- =====================================================================================

create table private.settings (
  name text primary key,
  value integer not null
);
comment on table private.settings is 'Operator-tunable limits of the service, one row per setting.';
insert into private.settings (name, value) values ('habits_per_account_limit', 100);

alter table private.settings enable row level security;
revoke all on private.settings from public, anon, authenticated;
grant select, update on private.settings to service_role;

-- Refuses an insert that takes an account over the cap. A statement trigger, so a bulk insert is
-- counted once; the owners' profiles are locked first (FOR NO KEY UPDATE), so two concurrent inserts cannot both
-- slip under the cap (each statement in this function sees rows committed before it runs).
create function private.habits_enforce_account_limit()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  cap integer := coalesce((select s.value from private.settings s where s.name = 'habits_per_account_limit'), 100);
  over_owner uuid;
begin
  perform from public.profiles p
  where p.id in (select distinct c.owner_id from created_habits c)
  order by p.id
  -- not FOR UPDATE: each insert already holds FOR KEY SHARE on the profile (the foreign key),
  -- and two of those upgrading to FOR UPDATE deadlock.
  for no key update;
  select h.owner_id into over_owner
  from public.habits h
  where h.owner_id in (select distinct c.owner_id from created_habits c)
  group by h.owner_id
  having count(*) > cap
  limit 1;
  if over_owner is not null then
    perform private.raise_rule_violation('habits', 'habits_per_account_limit',
      format('An account can have at most %s habits.', cap));
  end if;
  return null;
end
$$;
revoke all on function private.habits_enforce_account_limit() from public, anon, authenticated;

create trigger habits_enforce_account_limit
after insert on public.habits
referencing new table as created_habits
for each statement execute function private.habits_enforce_account_limit();
