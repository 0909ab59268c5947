#!/usr/bin/env bash
# Mutation check for the database rules: removes each RLS policy and each CHECK constraint of
# schema public in turn and fails if the pgTAP suite still passes without it (that rule would be
# untested). Every object is restored right after its run.
#
# A rule counts as caught as soon as one test file fails, so the files run one at a time: first
# those that name the rule, then those that name its table, then the rest (fastest first within
# each group). Only when every file passes on its own does the whole suite run in order, as
# `pg_prove supabase/tests/*.test.sql` does, and a rule is NOT CAUGHT only if that passes too.
#   check-rule-coverage.sh DB_URL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db_url="$1"
psql_q() { psql "$db_url" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
prove() { pg_prove --failures -d "$db_url" "$@" 2>&1; }

# The setup file commits the helpers every other file uses and the teardown file removes them; every
# file between them works in one transaction that it rolls back, so it can run alone.
all_files=("$root"/supabase/tests/*.test.sql)
setup="" teardown="" middle=()
for file in "${all_files[@]}"; do
  case "$file" in
    *-setup-tests-hooks.test.sql) setup="$file" ;;
    *-teardown-tests-hooks.test.sql) teardown="$file" ;;
    *)
      if ! grep -q '^rollback;' "$file"; then
        echo "rule coverage: $file does not roll back, so it cannot run on its own" >&2
        exit 1
      fi
      middle+=("$file")
      ;;
  esac
done
if [ -z "$setup" ] || [ -z "$teardown" ]; then
  echo "rule coverage: supabase/tests lacks its *-setup-tests-hooks or *-teardown-tests-hooks file" >&2
  exit 1
fi

first_failure() {
  grep -m1 -o 'Failed test [0-9]*: .*' <<<"$1" || grep -m1 -o 'ERROR: .*' <<<"$1" ||
    grep -m1 -v '^\s*$' <<<"$1" || echo "no output"
}

# Whatever happens, the rule under test is put back and the helpers are removed, as after a suite run.
restore=""
finish() {
  if [ -n "$restore" ]; then psql_q -c "$restore" || echo "rule coverage: could not restore: $restore" >&2; fi
  prove "$teardown" >/dev/null || echo "rule coverage: $(basename "$teardown") failed" >&2
}
trap finish EXIT
trap 'exit 130' INT TERM

# Every file must pass on its own before a rule is removed; its time orders the candidates below.
if ! output="$(prove "$setup")"; then
  echo "$output"
  exit 1
fi
declare -A file_us
for file in "${middle[@]}"; do
  started="${EPOCHREALTIME/./}"
  if ! output="$(prove "$file")"; then
    echo "rule coverage: $(basename "$file") fails on its own, before any rule is removed:"
    echo "$output"
    exit 1
  fi
  file_us["$file"]=$((${EPOCHREALTIME/./} - started))
done

# The files in the order to try for a rule NAME on TABLE.
candidates() {
  local file tier
  for file in "${middle[@]}"; do
    tier=2
    if grep -qF -- "$1" "$file"; then
      tier=0
    elif grep -qwF -- "$2" "$file"; then
      tier=1
    fi
    printf '%d\t%d\t%s\n' "$tier" "${file_us[$file]}" "$file"
  done | sort -t $'\t' -k1,1n -k2,2n | cut -f3
}

# One line per rule: label, name, table, drop statement, restore statement (tab-separated). The
# restore statement is base64 (one line): a deparsed policy expression spans several lines.
rules="$(psql_q <<'SQL'
select concat_ws(E'\t', format('policy %s on %s', policyname, tablename), policyname, tablename,
       format('drop policy %I on %I.%I', policyname, schemaname, tablename),
       translate(encode(convert_to(
         format('create policy %I on %I.%I as %s for %s to %s %s %s', policyname, schemaname, tablename,
                permissive, cmd, array_to_string(roles, ', '),
                coalesce('using (' || qual || ')', ''), coalesce('with check (' || with_check || ')', '')),
         'UTF8'), 'base64'), E'\n', ''))
from pg_policies where schemaname = 'public'
union all
select concat_ws(E'\t', format('check %s on %s', conname, conrelid::regclass), conname,
       (select relname from pg_class where oid = conrelid),
       format('alter table %s drop constraint %I', conrelid::regclass, conname),
       translate(encode(convert_to(
         format('alter table %s add constraint %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)),
         'UTF8'), 'base64'), E'\n', ''))
from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace
order by 1;
SQL
)"

uncaught=0
total=0
while IFS=$'\t' read -r -u 3 label name table drop restore_base64; do
  total=$((total + 1))
  restore_sql="$(printf '%s' "$restore_base64" | base64 -d)"
  psql_q -c "$drop"
  restore="$restore_sql"
  caught_by=""
  while IFS= read -r -u 4 file; do
    if ! output="$(prove "$file")"; then
      caught_by="$(basename "$file"): $(first_failure "$output")"
      break
    fi
  done 4< <(candidates "$name" "$table")
  if [ -z "$caught_by" ]; then
    if output="$(prove "${all_files[@]}")"; then
      echo "NOT CAUGHT  removing $label leaves every test passing"
      uncaught=$((uncaught + 1))
    else
      caught_by="the whole suite: $(first_failure "$output")"
    fi
    # The whole suite ends with the teardown file, which removes the helpers the next rule needs.
    prove "$setup" >/dev/null
  fi
  [ -z "$caught_by" ] || echo "caught      removing $label -> $caught_by"
  psql_q -c "$restore"
  restore=""
done 3<<<"$rules"

echo "rule coverage: $((total - uncaught)) of $total rules caught when removed"
[ "$uncaught" -eq 0 ]
