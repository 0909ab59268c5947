-- "At most 5 Telegram link codes an hour" held only for requests one after another: the trigger
-- counted the codes already committed, so requests that overlap (each its own transaction, as
-- the Data API runs them in parallel) all passed the count. It now locks the person's profile
-- row first, as the per-account habit cap does, so overlapping requests are counted in turn.

create or replace function private.telegram_link_codes_issue() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
begin
  if new.code is not null then
    return new;
  end if;
  if new.user_id is null then
    raise exception using errcode = '42501', message = 'Sign in to connect a Telegram chat.';
  end if;
  -- One request at a time per person: a request that overlaps waits here for the other to end,
  -- then counts its code too (read committed: each statement sees what committed before it).
  perform from public.profiles p where p.id = new.user_id for no key update;
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
