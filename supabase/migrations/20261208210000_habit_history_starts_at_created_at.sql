-- A habit's created_at is where its history begins, which the streak counts misses from
-- (private.streak_marks): for an imported habit, the import sets it back to the start of the
-- imported history, so a gap in that history is a miss. Only the function's own role writes it;
-- the caller's role never could (no column grant), and 245-imported-history-streak.test.sql pins that.
comment on column public.habits.created_at is 'Where the habit''s history begins, which its streak counts misses from: when it was created, or for an imported habit the start of its imported history (our export''s created_at, or Loop''s first occurrence). Its owner cannot write it.';
