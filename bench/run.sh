#!/usr/bin/env bash
# Runs one benchmark (or all of them) against its own private Postgres 15 cluster: creates the
# cluster on a free port in 55800-55899, bootstraps the Supabase platform objects, applies the
# migrations with the Supabase CLI (as scripts/test.sh does), runs bench/<name>.ts, then removes
# the cluster. Leaves nothing running.
#
#   bash bench/run.sh scheduling   # 1M habits: the tick at scale, and the per-minute scan baseline
#   bash bench/run.sh dispatch     # the reminders function against the fake Bot API
#   bash bench/run.sh data-api     # listing 5 habits through the devstack gateway, RLS variants
#   bash bench/run.sh soak         # delivery guarantees under faults (about 8 minutes)
#   bash bench/run.sh all
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/env.sh

run_benchmark() {
  local name="$1"
  local cluster_dir cli_home base db_url
  cluster_dir="$(mktemp -u /tmp/habits-bench-pg.XXXXXX)"
  cli_home="$(mktemp -d /tmp/habits-bench-cli.XXXXXX)"
  # shellcheck disable=SC2064 # expand now: each benchmark removes its own cluster
  trap "devstack/postgres/cluster.sh remove '$cluster_dir' || true; rm -rf '$cli_home'" EXIT
  base="$(deno run --allow-net=127.0.0.1 bench/lib/port-block.ts)"
  db_url="postgresql://postgres@127.0.0.1:$base/postgres"
  echo "== $name: private Postgres 15 on port $base (services on $((base + 1))-$((base + 9)))"
  devstack/postgres/cluster.sh create "$cluster_dir" "$base"
  devstack/postgres/cluster.sh start "$cluster_dir"
  devstack/postgres/cluster.sh bootstrap "$db_url"
  HOME="$cli_home" supabase migration up --db-url "$db_url?sslmode=disable" >/dev/null
  BENCH_DB_URL="$db_url" BENCH_PORT_BASE="$((base + 1))" BENCH_CLUSTER_DIR="$cluster_dir" \
    deno run --allow-all "bench/$name.ts"
  devstack/postgres/cluster.sh remove "$cluster_dir"
  rm -rf "$cli_home"
  trap - EXIT
}

case "${1:-}" in
  scheduling | dispatch | data-api | soak) run_benchmark "$1" ;;
  realtime) run_benchmark realtime ;; # 1,000 subscribed clients: delivery latency and events/s
  all) for name in scheduling dispatch data-api; do run_benchmark "$name"; done ;;
  *)
    sed -n '2,11p' "$0" >&2
    exit 2
    ;;
esac
