#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine, skipping whatever is already
# there: Debian packages (Postgres 15 with pg_cron, pgTAP, plpgsql_check, pg_prove, Chromium and
# the colour emoji font the bot's messages use in the chat page and its screenshots),
# the pinned CLIs from npm (deno, supabase, postgres-meta), the devstack's extension
# stand-ins, and the web app's npm packages. Safe to run again; quiet when nothing is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_packages=(postgresql-15 postgresql-15-cron postgresql-15-pgtap postgresql-15-plpgsql-check
  libtap-parser-sourcehandler-pgtap-perl chromium fonts-noto-color-emoji)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  # The project runs its own private clusters; keep Debian from creating and starting a default one.
  "${sudo_cmd[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | "${sudo_cmd[@]}" tee /etc/postgresql-common/createcluster.d/habits.conf >/dev/null
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The stand-ins for pg_net and Vault are installed as real extensions so that migrations
# written for Supabase (`create extension pg_net`) apply unchanged.
pg_sharedir="$(/usr/lib/postgresql/15/bin/pg_config --sharedir)"
for file in "$root"/devstack/postgres/extensions/*; do
  target="$pg_sharedir/extension/$(basename "$file")"
  if ! cmp -s "$file" "$target"; then
    install -m 0644 "$file" "$target"
  fi
done

if [ ! -x "$root/tools/node_modules/.bin/deno" ] || [ "$root/tools/package-lock.json" -nt "$root/tools/node_modules/.package-lock.json" ]; then
  echo "setup: installing the pinned CLIs (tools/package.json)"
  (cd "$root/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ ! -d "$root/web/node_modules" ] || [ "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]; then
  echo "setup: installing the web app's packages (web/package-lock.json)"
  (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error)
fi
