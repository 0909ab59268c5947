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
# Every benchmark ends, and ends the run when it fails:
# - It runs as `deno run --allow-all bench/lib/run-to-exit.ts bench/NAME.ts`, which exits once the
#   script is done (0; 1 when it threw or a check failed) whatever sockets are still open.
# - It has a wall-clock limit, BENCH_TIME_LIMIT seconds: 600 per benchmark in smoke mode (each
#   takes under a minute, a few on a loaded machine), 3600 in a full run (each promises under 10
#   minutes; a long PROPERTY_RUNS may need more), 0 for none. Past it, timeout(1) stops the
#   benchmark's process group, which timeout made for it (TERM, then KILL 10 s later), and the run
#   fails with "NAME: stopped after its limit of N s". Ctrl-C stops that group too.
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
    run_limited "$name" deno run --allow-all bench/lib/run-to-exit.ts "bench/$name.ts"
}

# Seconds one benchmark may run (see the header); 0 for no limit.
time_limit() {
  local limit="${BENCH_TIME_LIMIT:-$([ -n "${BENCH_SMOKE:-}" ] && echo 600 || echo 3600)}"
  if ! [[ "$limit" =~ ^[0-9]+$ ]]; then
    echo "BENCH_TIME_LIMIT must be a whole number of seconds (0 for none), not '$limit'" >&2
    return 2
  fi
  echo "$limit"
}

# `run_limited NAME COMMAND...`: runs the command under the time limit in the background (so that
# a signal to this script is handled at once) as timeout's child, in timeout's own process group;
# fails naming NAME and the limit when timeout had to stop it.
limited_pid=""
run_limited() {
  local name="$1" limit status=0 started=$SECONDS
  shift
  limit="$(time_limit)"
  if [ "$limit" = 0 ]; then
    "$@"
    return
  fi
  timeout --kill-after=10 "$limit" "$@" &
  limited_pid=$!
  wait "$limited_pid" || status=$?
  limited_pid=""
  # 124: stopped by TERM; 137: by the KILL that followed (which also ends timeout itself).
  if { [ "$status" = 124 ] || [ "$status" = 137 ]; } && ((SECONDS - started >= limit)); then
    echo "== $name: stopped after its limit of $limit s (BENCH_TIME_LIMIT); the run fails" >&2
    return 1
  fi
  return "$status"
}

# On Ctrl-C or TERM: the running benchmark's process group (timeout's pid is its id; timeout
# itself, should it not have made the group yet), then the cluster through the EXIT trap.
stop_limited() {
  if [ -n "$limited_pid" ]; then
    kill -TERM -- "-$limited_pid" 2>/dev/null || kill -TERM "$limited_pid" 2>/dev/null || true
    wait "$limited_pid" || true
  fi
}
trap 'stop_limited; exit 130' INT
trap 'stop_limited; exit 143' TERM

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

# Sourced (tests/bench/run_limit_test.ts), it only defines the functions above.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then return 0; fi
time_limit >/dev/null || exit 2

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
