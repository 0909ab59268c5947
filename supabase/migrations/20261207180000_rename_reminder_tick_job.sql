-- =====================================================================================
-- The cron job `enqueue-due-reminders` runs the whole tick (private.run_reminder_tick: queue the
-- reminders ahead, then hand the due ones to the dispatcher), not only the enqueueing its name
-- says. It is renamed `reminder-tick`; its schedule, command, database, user and state stay.
-- A plain update rather than cron.unschedule + cron.schedule: a fresh database applies every
-- migration in one session, and pg_cron's functions there still hold the relation of the
-- extension that 20261130120700 dropped and created again ("could not open relation").
-- =====================================================================================

update cron.job set jobname = 'reminder-tick' where jobname = 'enqueue-due-reminders';
