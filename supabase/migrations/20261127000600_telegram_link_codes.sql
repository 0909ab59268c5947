-- =====================================================================================
-- Telegram link codes: one-time, expiring codes carried by the t.me/<bot>?start=<code> link
-- Created by an RPC for the signed-in user and consumed by the telegram-webhook function.
-- =====================================================================================

create table public.telegram_link_codes (
  code text primary key
    constraint telegram_link_codes_code_format check (code ~ '^[A-Za-z0-9_-]{16,64}$'),
  user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  expires_at timestamptz not null default now() + interval '15 minutes',
  used_at timestamptz,
  created_at timestamptz not null default now(),
  constraint telegram_link_codes_expiry_after_creation check (expires_at > created_at)
);
comment on table public.telegram_link_codes is 'One-time codes that link a Telegram chat to an account.';

create index telegram_link_codes_user_id_idx on public.telegram_link_codes (user_id, created_at desc);

alter table public.telegram_link_codes enable row level security;

create policy "Link codes are viewable by their owner"
on public.telegram_link_codes for select
to authenticated
using (user_id = (select auth.uid()));

revoke all on public.telegram_link_codes from anon, authenticated;
grant select on public.telegram_link_codes to authenticated;
grant all on public.telegram_link_codes to service_role;
