-- =====================================================================================
-- Habit text and numbers: every rule answers with its identifier, and the stored value is the
-- value the limits measure.
-- - action, place and reward are trimmed of all Unicode white space and invisible characters at
--   both ends before they are checked and stored (btrim only knew U+0020, so "\t", NBSP or
--   U+3000 passed, and 50,000 leading spaces were stored although the check measured 1 character);
-- - interval_days and duration_seconds are integers, so an out-of-range number reaches its CHECK
--   (as smallint, 40000 failed with 22003 before any rule ran), and a null one is refused by the
--   same rule instead of a bare NOT NULL error (23502).
-- =====================================================================================

-- White space (Unicode White_Space) and the invisible format characters that render as nothing.
create function private.trim_blank(value text)
returns text
language sql immutable strict parallel safe
set search_path = ''
as $$
  select regexp_replace(value,
    '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u180E\u2000-\u200D\u2028\u2029\u202F\u205F\u2060\u3000\uFEFF]+|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u180E\u2000-\u200D\u2028\u2029\u202F\u205F\u2060\u3000\uFEFF]+$',
    '', 'g')
$$;

create function private.habits_normalize_text()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.action := private.trim_blank(new.action);
  new.place := private.trim_blank(new.place);
  new.reward := private.trim_blank(new.reward);
  return new;
end
$$;

create trigger habits_normalize_text
before insert or update of action, place, reward on public.habits
for each row execute function private.habits_normalize_text();

-- A missing number is refused by the rule that bounds it (BEFORE triggers run before NOT NULL).
create function private.habits_require_numbers()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.interval_days is null then
    perform private.raise_rule_violation('habits', 'habits_interval_days_range', 'The interval is required: every 1 to 7 days.');
  end if;
  if new.duration_seconds is null then
    perform private.raise_rule_violation('habits', 'habits_duration_seconds_range', 'The duration is required: 1 to 120 seconds.');
  end if;
  return new;
end
$$;


-- The public_habits view depends on the columns whose type changes; 20261130120100 replaces it.
drop view public.public_habits;

-- A trigger that names a column in UPDATE OF pins its type: recreated unchanged around the change.
drop trigger habits_enforce_rules_and_schedule on public.habits;
alter table public.habits
  alter column interval_days type integer,
  alter column duration_seconds type integer;
create trigger habits_enforce_rules_and_schedule
before insert or update of owner_id, time, interval_days, starts_on, is_paused, is_pleasant, related_habit_id
on public.habits
for each row execute function private.habits_enforce_rules_and_schedule();

create trigger habits_check_required_numbers
before insert or update of interval_days, duration_seconds on public.habits
for each row execute function private.habits_require_numbers();

-- Rows written before this migration: normalise them so that the new checks hold.
update public.habits
set action = coalesce(nullif(left(private.trim_blank(action), 200), ''), '(untitled)'),
    place = coalesce(nullif(left(private.trim_blank(place), 200), ''), '(anywhere)'),
    reward = nullif(left(private.trim_blank(reward), 200), '')
where action is distinct from private.trim_blank(action)
   or place is distinct from private.trim_blank(place)
   or reward is distinct from private.trim_blank(reward)
   or char_length(action) > 200 or char_length(place) > 200 or char_length(reward) > 200;

-- The limits now measure the stored (normalised) value.
alter table public.habits
  drop constraint habits_action_length,
  add constraint habits_action_length check (char_length(action) between 1 and 200),
  drop constraint habits_place_length,
  add constraint habits_place_length check (char_length(place) between 1 and 200),
  drop constraint habits_reward_length,
  add constraint habits_reward_length check (reward is null or char_length(reward) between 1 and 200);
