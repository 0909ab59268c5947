-- =====================================================================================
-- Where Telegram deep links point: `<base>/<bot>?start=<code>`, the base read from the Vault
-- secret `telegram_deep_link_base` (default https://t.me, which production keeps). A local
-- setup stores its Telegram stand-in's chat page there, so the same link opens that page.
-- =====================================================================================

-- The deep link that carries `code`, or null while the bot's username is not configured.
create function private.telegram_deep_link(code text)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case when nullif(bot.decrypted_secret, '') is not null then
    rtrim(coalesce(nullif(base.decrypted_secret, ''), 'https://t.me'), '/') || '/' || bot.decrypted_secret
      || '?start=' || code
  end
  from (select 1) one
  left join vault.decrypted_secrets bot on bot.name = 'telegram_bot_username'
  left join vault.decrypted_secrets base on base.name = 'telegram_deep_link_base'
$$;
revoke all on function private.telegram_deep_link(text) from public, anon, authenticated;
comment on function private.telegram_deep_link(text) is
  'The t.me-style deep link for a link code: Vault telegram_deep_link_base (default https://t.me) / telegram_bot_username ?start=code.';

create or replace function public.create_telegram_link_code()
returns table (code text, expires_at timestamptz, deep_link text)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  caller uuid := auth.uid();
  new_code text := translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_');
  created public.telegram_link_codes;
begin
  if caller is null then
    raise exception using errcode = '42501', message = 'Sign in to connect a Telegram chat.';
  end if;
  if (select count(*) from public.telegram_link_codes c
      where c.user_id = caller and c.created_at > now() - interval '1 hour') >= 5 then
    raise exception using
      errcode = 'PT429',
      message = 'Too many Telegram link codes requested; try again in an hour.',
      hint = 'telegram_link_codes_per_hour';
  end if;
  insert into public.telegram_link_codes (code, user_id) values (new_code, caller) returning * into created;
  return query select created.code, created.expires_at, private.telegram_deep_link(created.code);
end
$$;
revoke all on function public.create_telegram_link_code() from public, anon;
grant execute on function public.create_telegram_link_code() to authenticated, service_role;
