-- After a tick gap, the claims of a run that stopped in it are ended (skipped or unconfirmed),
-- but the run's lease generation stayed valid: a run that had only stalled renewed its lease with
-- the same generation and could still send them, or hand them back ('released'), which queued a
-- skipped reminder again to be sent hours late. The lapsed lease now gets a new generation first,
-- so the dispatcher's fence (private.check_dispatcher_generation) refuses that run
-- (supabase/tests/262-tick-gap-fences-stopped-run.test.sql).

create or replace function private.skip_reminders_missed_while_down(at timestamp with time zone default now()) returns integer
    language plpgsql
    set search_path to ''
    as $$
declare
  grace constant interval := make_interval(mins => private.reminder_tick_setting('reminder_grace_minutes'));
  previous_tick timestamptz;
  skipped integer := 0;
begin
  select c.last_tick_at into previous_tick from private.reminder_tick_clock c for update;
  insert into private.reminder_tick_clock as clock (last_tick_at) values (at)
  on conflict (singleton) do update set last_tick_at = greatest(clock.last_tick_at, excluded.last_tick_at);
  if previous_tick is not null and previous_tick < at - grace then
    -- Late by its due time, whatever kept it: never tried (queued ahead, or by the last tick
    -- before the outage), or waiting for its next attempt (a 5xx, a 429, a maybe delivered
    -- resend, a hand-back). One that may have reached the chat ends unconfirmed, never as if it
    -- had not arrived. Not one still to come.
    update public.notifications n
    set status = case when n.maybe_delivered_attempts > 0 then 'unconfirmed' else 'skipped' end,
      last_error = case
        when n.maybe_delivered_attempts > 0 then
          format('maybe delivered %s time(s) before; then missed while the service was down', n.maybe_delivered_attempts)
        when n.last_error is not null then 'missed while the service was down; was: ' || n.last_error
        else 'missed while the service was down' end
    where n.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and n.status in ('pending', 'retry')
      and n.next_attempt_at <= at and n.due_at < at - grace;
    get diagnostics skipped = row_count;
    -- Claimed by a run that stopped in the gap (no run holds the dispatcher lease): ended here
    -- rather than taken over (private.recover_claims_of_stopped_runs) and sent hours late. One
    -- whose send slot was noted after its claim could have left: maybe delivered, unconfirmed.
    -- That run is fenced off first: a new generation, so a run that only stalled can neither
    -- send, hand back (which would queue them again) nor record what is ended here. A lease
    -- being renewed meanwhile is waited for and then left alone (it no longer matches).
    update private.reminder_dispatcher d set generation = nextval('private.reminder_dispatcher_generation')
    where d.lease_until <= at and exists (
      select from public.notifications o
      where o.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and o.status = 'sending'
        and o.due_at < at - grace);
    if not exists (select from private.reminder_dispatcher d where d.lease_until > at) then
      with stopped as (
        select o.id, o.maybe_delivered_attempts + case when exists (
            select from private.notification_send_slots s
            where s.notification_id = o.id and s.slot_at >= o.updated_at) then 1 else 0 end as maybe_delivered
        from public.notifications o
        where o.kind in ('reminder', 'snoozed_reminder', 'weekly_digest') and o.status = 'sending'
          and o.due_at < at - grace
        for update of o
      ),
      ended as (
        update public.notifications n
        set status = case when s.maybe_delivered > 0 then 'unconfirmed' else 'skipped' end,
          maybe_delivered_attempts = s.maybe_delivered, lease_until = null,
          last_error = case when s.maybe_delivered > 0
            then format('maybe delivered %s time(s) before; then missed while the service was down', s.maybe_delivered)
            else 'missed while the service was down; was: claimed by a run that stopped before sending it' end
        from stopped s
        where n.id = s.id
        returning n.id
      ),
      cleared as (
        delete from private.notification_send_slots ns using ended e where ns.notification_id = e.id
      )
      select skipped + count(*)::integer into skipped from ended;
    end if;
  end if;
  return skipped;
end
$$;
