#!/usr/bin/env bash
# Proves the declarative schema files (supabase/schemas/) and the migrations (supabase/migrations/)
# build the same database: builds one fresh Postgres from each, compares their catalogs
# (scripts/schema-drift/catalog.sql) and fails naming every object that differs.
# `supabase db diff` does this with Docker; here there is none, so this check is ours.
#
#   check-schema-drift.sh [--schemas DIR] [--migrated URL]
#     --schemas DIR   apply the files of DIR instead of supabase/schemas/ (same names, the order
#                     of [db.migrations] schema_paths in supabase/config.toml)
#     --migrated URL  compare against this already migrated database instead of building one
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

schemas_dir="$root/supabase/schemas"
migrated_url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --schemas) schemas_dir="$2"; shift 2 ;;
    --migrated) migrated_url="$2"; shift 2 ;;
    *) sed -n '2,10p' "$0" >&2; exit 2 ;;
  esac
done

# The files in the order Supabase applies them: [db.migrations] schema_paths, relative to supabase/.
mapfile -t listed < <(sed -n '/^\[db.migrations\]/,/^\[/p' supabase/config.toml |
  sed -n '/^schema_paths/,/\]/p' | grep -o '"[^"]*"' | tr -d '"' | sed 's#^\./schemas/##')
if [ "${#listed[@]}" -eq 0 ]; then
  echo "schema drift: supabase/config.toml lists no [db.migrations] schema_paths" >&2
  exit 1
fi
mapfile -t present < <(cd "$schemas_dir" && ls -- *.sql)
unlisted="$(comm -13 <(printf '%s\n' "${listed[@]}" | sort) <(printf '%s\n' "${present[@]}" | sort))"
if [ -n "$unlisted" ]; then
  echo "schema drift: not in [db.migrations] schema_paths, so never applied: $unlisted" >&2
  exit 1
fi

work="$(mktemp -d /tmp/schema-drift.XXXXXX)"
clusters=()
cleanup() {
  for dir in "${clusters[@]}"; do devstack/postgres/cluster.sh remove "$dir" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A fresh, bootstrapped Postgres of its own: pg_cron lives only in a cluster's postgres database.
fresh_database() {
  local dir port
  dir="$(mktemp -u /tmp/schema-drift-pg.XXXXXX)"
  port="$(bash scripts/free-port.sh)"
  clusters+=("$dir")
  devstack/postgres/cluster.sh create "$dir" "$port"
  devstack/postgres/cluster.sh start "$dir"
  devstack/postgres/cluster.sh bootstrap "postgresql://postgres@127.0.0.1:$port/postgres"
  fresh_url="postgresql://postgres@127.0.0.1:$port/postgres"
}

if [ -z "$migrated_url" ]; then
  fresh_database
  migrated_url="$fresh_url"
  mkdir -p "$work/cli-home"
  HOME="${SUPABASE_CLI_HOME:-$work/cli-home}" supabase migration up --db-url "$migrated_url?sslmode=disable" >"$work/migrations.log" 2>&1 ||
    { cat "$work/migrations.log" >&2; exit 1; }
fi

fresh_database
declared_url="$fresh_url"
for file in "${listed[@]}"; do
  if ! psql "$declared_url" -X -q -v ON_ERROR_STOP=1 -f "$schemas_dir/$file" >/dev/null 2>"$work/apply.log"; then
    echo "schema drift: $schemas_dir/$file does not apply:" >&2
    cat "$work/apply.log" >&2
    exit 1
  fi
done

catalog() { psql "$1" -X -A -t -v ON_ERROR_STOP=1 -f scripts/schema-drift/catalog.sql; }
catalog "$migrated_url" >"$work/migrations.txt"
catalog "$declared_url" >"$work/schemas.txt"

# Every object whose definition differs, or that only one side has, by name.
if ! awk -F'\t' '
  FNR == NR { migrations[$1] = $2; next }
  { schemas[$1] = $2 }
  END {
    for (name in migrations) {
      if (!(name in schemas)) print "only in the migrations: " name
      else if (migrations[name] != schemas[name]) print "differs: " name
    }
    for (name in schemas) if (!(name in migrations)) print "only in the schema files: " name
  }' "$work/migrations.txt" "$work/schemas.txt" | sort >"$work/drift.txt"; then
  exit 1
fi
if [ -s "$work/drift.txt" ]; then
  echo "schema drift: $schemas_dir and supabase/migrations/ build different databases:" >&2
  cat "$work/drift.txt" >&2
  echo "(details: diff of the two catalogs, first 60 lines)" >&2
  diff <(tr '\t' '\n' <"$work/migrations.txt" | sed 's/\\n/\n/g') \
    <(tr '\t' '\n' <"$work/schemas.txt" | sed 's/\\n/\n/g') | head -60 >&2 || true
  exit 1
fi
echo "schema drift: none ($(wc -l <"$work/migrations.txt") objects agree)"
