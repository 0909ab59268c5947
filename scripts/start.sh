#!/usr/bin/env bash
# The project's one start command: installs what is missing, then runs the whole service locally
# on the devstack (database with migrations and seed, Auth, Data API, functions, pg_net worker,
# mail catcher, gateway) on `supabase start`'s ports, until Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
source scripts/env.sh
exec deno run --quiet --allow-all devstack/start.ts "$@"
