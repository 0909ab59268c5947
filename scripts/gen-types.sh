#!/usr/bin/env bash
# Generates the TypeScript types of the database (schema public) without Docker, with the same
# generator `supabase gen types typescript` runs (@supabase/postgres-meta, pinned in tools/).
#   gen-types.sh DB_URL           write web/src/lib/database.types.ts
#   gen-types.sh DB_URL --check   fail when the committed file differs from the database
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
db_url="$1"
target="$root/web/src/lib/database.types.ts"
generated="$(mktemp)"
trap 'rm -f "$generated"' EXIT

PG_META_DB_URL="$db_url" PG_META_GENERATE_TYPES=typescript PG_META_GENERATE_TYPES_INCLUDED_SCHEMAS=public \
  PG_META_GENERATE_TYPES_DETECT_ONE_TO_ONE_RELATIONSHIPS=true \
  node "$root/tools/node_modules/@supabase/postgres-meta/dist/server/server.js" >"$generated" 2>/dev/null

if ! grep -q 'export type Database' "$generated"; then
  echo "gen-types: the generator produced no types" >&2
  exit 1
fi

if [ "${2:-}" = "--check" ]; then
  if ! diff -u "$target" "$generated" >&2; then
    echo "gen-types: $target is stale; run: bash scripts/gen-types.sh <db-url> and commit it" >&2
    exit 1
  fi
  echo "gen-types: database types are current"
else
  mkdir -p "$(dirname "$target")"
  cp "$generated" "$target"
  echo "gen-types: wrote $target"
fi
