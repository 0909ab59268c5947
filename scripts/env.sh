# Sourced by the project's scripts: puts the pinned CLIs first on PATH and keeps the Supabase
# CLI's state inside the project.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/tools/node_modules/.bin:/usr/lib/postgresql/15/bin:$PATH"
export SUPABASE_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
export DENO_NO_UPDATE_CHECK=1
export NO_COLOR=1
