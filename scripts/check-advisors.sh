#!/usr/bin/env bash
# Runs Supabase's database advisor lints (scripts/advisors/lints.sql) against a migrated
# database, prints every finding and fails on anything above INFO (WARN or ERROR).
#   check-advisors.sh DB_URL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db_url="$1"

findings="$(psql "$db_url" -X -q -A -t -F ' | ' -v ON_ERROR_STOP=1 -f "$root/scripts/advisors/lints.sql")"
if [ -n "$findings" ]; then
  printf '%s\n' "$findings"
fi
above_info="$(grep -c -E '^[a-z_]+ \| (WARN|ERROR) \|' <<<"$findings" || true)"
echo "advisors: $(grep -c . <<<"$findings" || true) finding(s), $above_info above INFO"
[ "$above_info" -eq 0 ]
