#!/usr/bin/env bash
# A private Postgres 15 cluster for the devstack and the tests, owned by the postgres user
# (Postgres refuses to run as root; sessions here are root, so commands go through runuser).
#
#   cluster.sh create DIR PORT   initdb with pg_cron preloaded, listening on 127.0.0.1:PORT
#   cluster.sh start DIR         start it (waits until it accepts connections)
#   cluster.sh stop DIR          fast shutdown
#   cluster.sh remove DIR        stop if running, then delete DIR
#   cluster.sh bootstrap URL     load the Supabase platform objects (roles, auth, extensions)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin=/usr/lib/postgresql/15/bin

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

command="${1:-}"
case "$command" in
  create)
    dir="$2" port="$3"
    install -d -o postgres -g postgres -m 0700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.host = '127.0.0.1'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_min_messages = warning
CONF
    ;;
  start)
    dir="$2"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null
    ;;
  stop)
    dir="$2"
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  remove)
    dir="$2"
    "$0" stop "$dir" || true
    rm -rf "$dir"
    ;;
  bootstrap)
    url="$2"
    for file in "$here"/bootstrap/*.sql; do
      psql "$url" -X -q -v ON_ERROR_STOP=1 -f "$file" >/dev/null
    done
    ;;
  *)
    sed -n '2,10p' "$0" >&2
    exit 2
    ;;
esac
