#!/usr/bin/env bash
# The project's one test command: installs what is missing, starts an isolated database on a free
# port, applies the migrations with the Supabase CLI, and runs every check and test suite.
# Leaves nothing running. Usage: bash scripts/test.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/stages.sh
stage "setup"
bash scripts/setup.sh
source scripts/env.sh

stage "deno fmt, lint, check"
deno fmt --check
deno lint
# shellcheck disable=SC2046 # one argument per file is intended
deno check $(git ls-files -co --exclude-standard '*.ts' ':!:web/**' ':!:web/src/lib/database.types.ts')
# No import circles (web app, devstack, functions) and no web/src folder loops; the checks' own tests.
deno run --allow-read scripts/check-import-circles.ts
# No file in supabase/functions over 300 lines, no function over 80.
deno run --allow-read --allow-env scripts/check-code-size.ts
deno test --allow-read --allow-run --allow-env --no-check tests/lint

stage "edge functions: deploy dry run (each resolves every import from its own deno.json)"
deno run --allow-all scripts/functions/deploy-dry-run.ts

stage "web app: TypeScript check"
npm --prefix web run --silent typecheck

cluster_dir="$(mktemp -u /tmp/habits-test-pg.XXXXXX)"
export SUPABASE_CLI_HOME
SUPABASE_CLI_HOME="$(mktemp -d /tmp/habits-test-cli.XXXXXX)"
cleanup() {
  devstack/postgres/cluster.sh remove "$cluster_dir" || true
  rm -rf "$SUPABASE_CLI_HOME"
  stages_summary
}
trap cleanup EXIT

db_port="$(bash scripts/free-port.sh)"
db_url="postgresql://postgres@127.0.0.1:$db_port/postgres"
stage "database: a private Postgres 15 on port $db_port"
devstack/postgres/cluster.sh create "$cluster_dir" "$db_port"
devstack/postgres/cluster.sh start "$cluster_dir"
devstack/postgres/cluster.sh bootstrap "$db_url"
HOME="$SUPABASE_CLI_HOME" supabase migration up --db-url "$db_url?sslmode=disable"

stage "declarative schemas match the migrations (schema drift)"
# supabase/schemas/ applied to a fresh Postgres of its own, compared with the database the
# migrations just built (before any test touches it); then the check's own proof that it fails
# on a changed function and on a dropped policy.
bash scripts/check-schema-drift.sh --migrated "$db_url"
deno test --allow-all --no-check tests/schema

stage "database checks (scripts/test-db.sh)"
bash scripts/test-db.sh "$db_url"

export TEST_DB_URL="$db_url"
# `deno check` above has type-checked every test module; `deno test` would check each suite's
# module graph again (a different set of roots, so a cache miss), hence --no-check below.
stage "devstack, edge functions and end-to-end reminders (Deno tests)"
deno test --allow-all --no-check tests/devstack tests/functions

stage "the tick and the claim on generated populations (fast-check, fixed seed)"
deno test --allow-all --no-check tests/properties

stage "benchmarks: smoke runs (bench/run.sh --smoke)"
# Every benchmark at a tiny scale on one cluster of its own (the soak restarts Postgres, the
# Data API benchmark swaps an RLS policy): fails if any benchmark no longer runs or its figures
# are not sane. Writes nothing to bench/results/. First, the proof that a benchmark ends: its
# process exits once its report is written, and run.sh stops one that outlives its time limit.
deno test --allow-all --no-check tests/bench
bash bench/run.sh --smoke all

stage "contract tests: the real supabase-js client against a devstack on free ports"
# The same suite runs against `supabase start` given SUPABASE_URL, the keys, SUPABASE_DB_URL and
# MAIL_API_URL. These two mirror supabase/config.toml ([auth.email] max_frequency and
# [auth] refresh_token_reuse_interval), an allowed redirect URL and the password rule, which the
# devstack reads.
AUTH_SMTP_MAX_FREQUENCY=60 AUTH_REFRESH_TOKEN_REUSE_INTERVAL=10 AUTH_TEST_REDIRECT_BASE=http://127.0.0.1:5173 \
  AUTH_TEST_PASSWORD_NEEDS_LETTERS_AND_DIGITS=1 \
  deno run --allow-all devstack/with-stack.ts deno test --allow-all --no-check tests/contract

stage "the web app end to end in Chromium (playwright-core) against a devstack on free ports"
deno test --allow-all --no-check tests/e2e

stage_end
echo "All checks passed."
