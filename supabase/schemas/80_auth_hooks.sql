-- Auth hooks: triggers on auth.users that create profiles and guard first confirmations.
-- The current definition; supabase/migrations/ builds the same (scripts/check-schema-drift.sh).

-- Function bodies are checked when they run, not here: one may name a table a later file creates.
set check_function_bodies = off;

-- A BEFORE trigger, so the cleared password is part of the confirming update itself. It runs as
-- the updating role, Auth's own supabase_auth_admin, which owns the session tables on every
-- platform (hosted Supabase keeps the auth schema to it).
create function private.guard_first_email_confirmation() returns trigger
    language plpgsql
    set search_path to ''
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

-- Creates the profile when Supabase Auth creates a user. It must never fail (a failing trigger
-- blocks sign-up), so an unknown time zone in the sign-up metadata falls back to UTC.
create function private.handle_new_user() returns trigger
    language plpgsql security definer
    set search_path to ''
    as $$
declare
  requested_zone text := new.raw_user_meta_data ->> 'timezone';
begin
  insert into public.profiles (id, display_name, timezone)
  values (
    new.id,
    left(nullif(btrim(new.raw_user_meta_data ->> 'display_name'), ''), 80),
    case when private.is_known_time_zone(requested_zone) then requested_zone else 'UTC' end
  );
  return new;
end
$$;

create function private.mark_password_set_in_this_transaction(user_id uuid) returns void
    language sql
    set search_path to ''
    as $$
  select set_config('habits.passwords_set_now',
    coalesce(current_setting('habits.passwords_set_now', true), '') || user_id::text || ' ', true);
$$;

create function private.note_user_created() returns trigger
    language plpgsql
    set search_path to ''
    as $$
begin
  perform private.mark_password_set_in_this_transaction(new.id);
  return new;
end
$$;

-- Whether this transaction created the user or set its password: then whoever confirms in the
-- same transaction (an admin creating a confirmed user, Auth with confirmations off, an admin
-- setting a password and confirming at once) also chose that password, and it stays. A stranger's
-- sign-up is always an earlier request than the owner's confirmation.
create function private.password_set_in_this_transaction(user_id uuid) returns boolean
    language sql stable
    set search_path to ''
    as $$
  select coalesce(current_setting('habits.passwords_set_now', true), '') like '%' || user_id::text || '%';
$$;

-- Sets or clears the request; the only writer of the column.
create function private.set_must_choose_password(user_id uuid, required boolean) returns void
    language sql security definer
    set search_path to ''
    as $$
  update public.profiles set must_choose_password = required where id = user_id;
$$;

comment on function private.guard_first_email_confirmation() is 'On the first e-mail confirmation: clears a password typed in an earlier request, ends every session and asks for a new password; a new password lifts the request.';

-- Every new account gets its profile in the same transaction.
create trigger on_auth_user_created after insert on auth.users for each row execute function private.handle_new_user();

-- The password given at sign-up is the person's own: marked as set in this transaction.
create trigger on_auth_user_created_note_password after insert on auth.users for each row execute function private.note_user_created();

-- The first e-mail confirmation closes a pre-registration (see the function's comment).
create trigger on_auth_user_email_confirmed before update of email_confirmed_at, encrypted_password on auth.users for each row execute function private.guard_first_email_confirmation();
