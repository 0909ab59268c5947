#!/usr/bin/env bash
# Database checks against an already bootstrapped and migrated database:
# `supabase db lint`, Supabase's advisor lints, the pgTAP suite, the rule-coverage check and the generated types.
#   test-db.sh DB_URL
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
source "$root/scripts/stages.sh"
trap stages_summary EXIT
db_url="$1"

stage "supabase db lint"
HOME="${SUPABASE_CLI_HOME:-$HOME}" supabase db lint --db-url "$db_url?sslmode=disable" --schema public,private --fail-on error

stage "Supabase's database advisors (nothing above INFO)"
bash "$root/scripts/check-advisors.sh" "$db_url"

stage "pgTAP (supabase/tests)"
pg_prove --failures -d "$db_url" "$root"/supabase/tests/*.test.sql

stage "generated database types"
bash "$root/scripts/gen-types.sh" "$db_url" --check

stage "every RLS policy and CHECK constraint is covered by a test"
bash "$root/scripts/check-rule-coverage.sh" "$db_url"
