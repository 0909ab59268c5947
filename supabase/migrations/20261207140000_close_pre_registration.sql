-- =====================================================================================
-- Pre-registration: the first confirmation of an e-mail address makes the person choose a
-- password
-- =====================================================================================
-- Anyone can sign up with someone else's address and a password of their own. Auth keeps that
-- first password when the owner signs up again before confirming (GoTrue, internal/api/signup.go:
-- "do not update the user because we can't be sure of their claimed identity"), so confirming
-- from the owner's inbox would hand the owner an account whose password a stranger knows.
-- Confirming proves who holds the inbox, not who typed the password, so on the first
-- confirmation the password typed before it is cleared, every session ends, and the profile asks
-- the person to choose a password. This holds for every way an address is confirmed (the link,
-- the e-mailed code, a recovery or invite link), because they all go through this row.

alter table public.profiles
  add column must_choose_password boolean not null default false;
comment on column public.profiles.must_choose_password is
  'True from the first e-mail confirmation until the person sets a password: the password typed before confirming was cleared, since a stranger may have typed it.';

-- Sets or clears the request; the only writer of the column.
create function private.set_must_choose_password(user_id uuid, required boolean)
returns void
language sql
security definer
set search_path = ''
as $$
  update public.profiles set must_choose_password = required where id = user_id;
$$;
revoke all on function private.set_must_choose_password(uuid, boolean) from public;
grant usage on schema private to supabase_auth_admin;
grant execute on function private.set_must_choose_password(uuid, boolean) to supabase_auth_admin;

-- Whether this transaction created the user or set its password: then whoever confirms in the
-- same transaction (an admin creating a confirmed user, Auth with confirmations off, an admin
-- setting a password and confirming at once) also chose that password, and it stays. A stranger's
-- sign-up is always an earlier request than the owner's confirmation.
create function private.password_set_in_this_transaction(user_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(current_setting('habits.passwords_set_now', true), '') like '%' || user_id::text || '%';
$$;

create function private.mark_password_set_in_this_transaction(user_id uuid)
returns void
language sql
set search_path = ''
as $$
  select set_config('habits.passwords_set_now',
    coalesce(current_setting('habits.passwords_set_now', true), '') || user_id::text || ' ', true);
$$;
revoke all on function private.password_set_in_this_transaction(uuid) from public;
revoke all on function private.mark_password_set_in_this_transaction(uuid) from public;
grant execute on function private.password_set_in_this_transaction(uuid) to supabase_auth_admin;
grant execute on function private.mark_password_set_in_this_transaction(uuid) to supabase_auth_admin;

create function private.note_user_created()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.mark_password_set_in_this_transaction(new.id);
  return new;
end
$$;
revoke all on function private.note_user_created() from public;
grant execute on function private.note_user_created() to supabase_auth_admin;

create trigger on_auth_user_created_note_password
after insert on auth.users
for each row execute function private.note_user_created();

-- A BEFORE trigger, so the cleared password is part of the confirming update itself. It runs as
-- the updating role, Auth's own supabase_auth_admin, which owns the session tables on every
-- platform (hosted Supabase keeps the auth schema to it).
create function private.guard_first_email_confirmation()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.encrypted_password is distinct from old.encrypted_password then
    perform private.mark_password_set_in_this_transaction(new.id);
    if nullif(new.encrypted_password, '') is not null then
      perform private.set_must_choose_password(new.id, false);
    end if;
  end if;
  if old.email_confirmed_at is null and new.email_confirmed_at is not null
    and not private.password_set_in_this_transaction(new.id) then
    new.encrypted_password := null;
    -- Confirming hands out its session after this update, so none of these is the new one.
    delete from auth.sessions where user_id = new.id;
    delete from auth.refresh_tokens where user_id = new.id::text;
    perform private.set_must_choose_password(new.id, true);
  end if;
  return new;
end
$$;
comment on function private.guard_first_email_confirmation() is
  'On the first e-mail confirmation: clears a password typed in an earlier request, ends every session and asks for a new password; a new password lifts the request.';
revoke all on function private.guard_first_email_confirmation() from public;
grant execute on function private.guard_first_email_confirmation() to supabase_auth_admin;

create trigger on_auth_user_email_confirmed
before update of email_confirmed_at, encrypted_password on auth.users
for each row execute function private.guard_first_email_confirmation();
