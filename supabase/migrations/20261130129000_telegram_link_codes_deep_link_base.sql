-- =====================================================================================
-- Link codes get their deep link from private.telegram_deep_link(), which honours the Vault
-- secret `telegram_deep_link_base` (default https://t.me). The trigger that issues codes wrote
-- 'https://t.me/' itself, so a local setup whose base points at its Telegram stand-in's chat
-- page still got t.me links.
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
revoke all on function private.telegram_link_codes_issue() from public, anon, authenticated;
