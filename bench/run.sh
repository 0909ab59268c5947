#!/usr/bin/env bash
# Runs one benchmark (or all of them) against its own private Postgres 15 cluster: creates the
# cluster on a free port in 31800-31899, bootstraps the Supabase platform objects, applies the
# migrations with the Supabase CLI (as scripts/test.sh does), runs bench/<name>.ts, then removes
# the cluster. Leaves nothing running.
#
#   bash bench/run.sh scheduling   # 1M habits: the tick at scale, and the per-minute scan baseline
#   bash bench/run.sh dispatch     # the reminders function against the fake Bot API
#   bash bench/run.sh data-api     # listing 5 habits through the devstack gateway, RLS variants
#   bash bench/run.sh soak         # delivery guarantees under faults (about 8 minutes)
#   bash bench/run.sh import       # Loop imports from 0.25 to 1.9 MB: time per MB (linear time)
#   bash bench/run.sh properties   # the tick/claim property test, random seed, PROPERTY_RUNS (200)
#   bash bench/run.sh first-paint  # Today's first paint in Chromium on a throttled slow 4G link
#   bash bench/run.sh realtime     # 1,000 subscribed clients: delivery latency p50/p99 and events/s
#   bash bench/run.sh all          # scheduling, dispatch and data-api (not the soak)
#
#   bash bench/run.sh --smoke all  # every benchmark (soak too) at a tiny scale, 1-1.5 minutes
#   bash bench/run.sh --smoke NAME # one of them
#
# Smoke mode (BENCH_SMOKE=1 for the scripts) runs the same seed, measurements and report in
# seconds, on ONE cluster shared by all of them (the benchmark users are deleted between them),
# fails on any failed sanity check (rows seeded, messages delivered, no errors), and writes
# nothing to bench/results/. scripts/test.sh runs `--smoke all`, so no benchmark rots unnoticed.
#
# Every benchmark ends: it runs as `deno run --allow-all bench/lib/run-to-exit.ts bench/NAME.ts`,
# which exits once the script is done (0; 1 when it threw or a check failed) whatever sockets are
# still open.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

cluster_dir="" cli_home="" db_url="" base=""
remove_cluster() {
  if [ -n "$cluster_dir" ]; then devstack/postgres/cluster.sh remove "$cluster_dir" || true; fi
  if [ -n "$cli_home" ]; then rm -rf "$cli_home"; fi
  cluster_dir="" cli_home=""
}
trap remove_cluster EXIT

create_cluster() {
  cluster_dir="$(mktemp -u /tmp/habits-bench-pg.XXXXXX)"
  cli_home="$(mktemp -d /tmp/habits-bench-cli.XXXXXX)"
  base="$(deno run --allow-net=127.0.0.1 bench/lib/port-block.ts)"
  db_url="postgresql://postgres@127.0.0.1:$base/postgres"
  echo "== private Postgres 15 on port $base (services on $((base + 1))-$((base + 9)))"
  devstack/postgres/cluster.sh create "$cluster_dir" "$base"
  devstack/postgres/cluster.sh start "$cluster_dir"
  devstack/postgres/cluster.sh bootstrap "$db_url"
  local log
  if ! log="$(HOME="$cli_home" supabase migration up --db-url "$db_url?sslmode=disable" 2>&1)"; then
    echo "$log" >&2
    return 1
  fi
}

run_script() {
  local name="$1"
  echo "== $name${BENCH_SMOKE:+ (smoke)}"
  BENCH_DB_URL="$db_url" BENCH_PORT_BASE="$((base + 1))" BENCH_CLUSTER_DIR="$cluster_dir" \
    deno run --allow-all bench/lib/run-to-exit.ts "bench/$name.ts"
}

# Between smoke runs on the shared cluster: the benchmark users, and through the cascades their
# profiles, habits, completions and outbox rows, go; the next benchmark seeds the same ids anew.
delete_bench_users() {
  psql "$db_url" -X -q -v ON_ERROR_STOP=1 -c "delete from auth.users where email like '%@bench.local'"
}

run_benchmark() {
  create_cluster
  run_script "$1"
  remove_cluster
}

run_smokes() {
  local name started
  export BENCH_SMOKE=1
  create_cluster
  for name in "$@"; do
    started=$SECONDS
    run_script "$name"
    echo "== $name smoke run passed in $((SECONDS - started)) s"
    delete_bench_users
  done
  remove_cluster
}

usage() {
  awk 'NR > 1 && /^set /{exit} NR > 1' "$0" >&2
  exit 2
}

if [ "${1:-}" = "--smoke" ]; then
  case "${2:-}" in
    scheduling | dispatch | data-api | soak | import | properties | first-paint | realtime) run_smokes "$2" ;;
    all) run_smokes data-api scheduling dispatch soak import properties first-paint realtime ;;
    *) usage ;;
  esac
  exit 0
fi

case "${1:-}" in
  scheduling | dispatch | data-api | soak | import | properties | first-paint | realtime) run_benchmark "$1" ;;
  all) for name in scheduling dispatch data-api; do run_benchmark "$name"; done ;;
  *) usage ;;
esac
