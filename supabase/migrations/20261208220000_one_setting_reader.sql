-- One reader of private.settings: the tick's and the send budget's readers were the same
-- function twice; each now names its kind and calls the one below.

create function private.setting(setting text, what text)
returns integer
language plpgsql
stable
set search_path = ''
as $$
declare
  found_value integer;
begin
  select s.value into found_value from private.settings s where s.name = setting;
  if found_value is null then
    raise exception 'the % setting "%" is missing from private.settings', what, setting
      using errcode = 'no_data_found';
  end if;
  return found_value;
end
$$;

revoke all on function private.setting(text, text) from public;
grant all on function private.setting(text, text) to service_role;

create or replace function private.telegram_send_setting(setting text)
returns integer
language sql
stable
set search_path = ''
as $$
  select private.setting(setting, 'send budget')
$$;

create or replace function private.reminder_tick_setting(setting text)
returns integer
language sql
stable
set search_path = ''
as $$
  select private.setting(setting, 'tick')
$$;
