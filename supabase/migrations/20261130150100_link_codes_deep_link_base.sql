-- =====================================================================================
-- Merge reconciliation (issue 10 x issue 12): link codes issued by the trigger of
-- 20261130120400 build their deep link with private.telegram_deep_link (20261130100000), so a
-- configured `telegram_deep_link_base` (the local Telegram stand-in's chat page) applies again.
-- Only the deep-link line differs from 20261130120400.
-- =====================================================================================

create or replace function private.telegram_link_codes_issue()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.code is not null then
    return new;
  end if;
  if new.user_id is null then
    raise exception using errcode = '42501', message = 'Sign in to connect a Telegram chat.';
  end if;
  if (select count(*) from public.telegram_link_codes c
      where c.user_id = new.user_id and c.created_at > now() - interval '1 hour') >= 5 then
    raise exception using
      errcode = 'PT429',
      message = 'Too many Telegram link codes requested; try again in an hour.',
      hint = 'telegram_link_codes_per_hour';
  end if;
  new.code := translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_');
  new.deep_link := private.telegram_deep_link(new.code);
  return new;
end
$$;
