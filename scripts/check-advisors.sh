#!/usr/bin/env bash
# Runs Supabase's database advisor lints (scripts/advisors/lints.sql) against a migrated
# database, prints every finding and fails on anything above INFO (WARN or ERROR), and on any
# INFO finding that scripts/advisors/accepted-info.txt does not list (each listed one is
# justified in the README), so no finding slips in unnoticed.
#   check-advisors.sh DB_URL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db_url="$1"
accepted="$root/scripts/advisors/accepted-info.txt"

findings="$(psql "$db_url" -X -q -A -t -F ' | ' -v ON_ERROR_STOP=1 -f "$root/scripts/advisors/lints.sql")"
if [ -n "$findings" ]; then
  printf '%s\n' "$findings"
fi
above_info="$(grep -c -E '^[a-z_]+ \| (WARN|ERROR) \|' <<<"$findings" || true)"
unaccepted_info="$(grep -E '^[a-z_]+ \| INFO \|' <<<"$findings" | grep -v -x -F -f <(grep -v '^#' "$accepted") || true)"
echo "advisors: $(grep -c . <<<"$findings" || true) finding(s), $above_info above INFO, $(grep -c . <<<"$unaccepted_info" || true) INFO not in $(basename "$accepted")"
[ "$above_info" -eq 0 ] && [ -z "$unaccepted_info" ]
