#!/usr/bin/env bash
# Mutation check for the database rules: removes each RLS policy and each CHECK constraint of
# schema public in turn, runs the pgTAP suite, and fails if the suite still passes (that rule
# would be untested). Every object is restored right after its run.
#   check-rule-coverage.sh DB_URL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db_url="$1"
psql_q() { psql "$db_url" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

# One line per rule: label <TAB> drop statement <TAB> restore statement.
rules="$(psql_q <<'SQL'
select format('policy %s on %s', policyname, tablename) || E'\t' ||
       format('drop policy %I on %I.%I', policyname, schemaname, tablename) || E'\t' ||
       format('create policy %I on %I.%I as %s for %s to %s %s %s', policyname, schemaname, tablename,
              permissive, cmd, array_to_string(roles, ', '),
              coalesce('using (' || qual || ')', ''), coalesce('with check (' || with_check || ')', ''))
from pg_policies where schemaname = 'public'
union all
select format('check %s on %s', conname, conrelid::regclass) || E'\t' ||
       format('alter table %s drop constraint %I', conrelid::regclass, conname) || E'\t' ||
       format('alter table %s add constraint %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace
order by 1;
SQL
)"

uncaught=0
total=0
while IFS=$'\t' read -r label drop restore; do
  total=$((total + 1))
  psql_q -c "$drop"
  if output="$(pg_prove --failures -d "$db_url" "$root"/supabase/tests/*.test.sql 2>&1)"; then
    echo "NOT CAUGHT  removing $label leaves every test passing"
    uncaught=$((uncaught + 1))
  else
    caught_by="$(grep -m1 -o 'Failed test [0-9]*: .*' <<<"$output" || grep -m1 -v '^\s*$' <<<"$output")"
    echo "caught      removing $label -> $caught_by"
  fi
  psql_q -c "$restore"
done <<<"$rules"

echo "rule coverage: $((total - uncaught)) of $total rules caught when removed"
[ "$uncaught" -eq 0 ]
