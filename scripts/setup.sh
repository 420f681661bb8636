#!/usr/bin/env bash
# Installs what a fresh machine lacks, idempotently: Debian packages (PostgreSQL, libpq, Chromium,
# wrk) and the npm packages of the frontend and the test suites.
# Usage: setup.sh [test|bench|run|frontend]
#   run       only what linking the demo needs (libpq; the demo runs on SQLite); `make run`
#             installs the frontend's packages itself, while cargo builds
#   frontend  only the frontend's npm packages
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-test}

npm_ci() {
  local dir=$1
  [ -f "$dir/package.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci in $dir" >&2
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
  fi
}
if [ "$purpose" = frontend ]; then
  npm_ci frontend
  exit 0
fi

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
want() { have_pkg "$1" || need+=("$1"); }
want libpq-dev
case "$purpose" in
  test) want postgresql; want chromium ;;
  bench) want postgresql; want wrk ;;
esac
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

[ "$purpose" = run ] || npm_ci frontend
if [ "$purpose" = test ]; then
  npm_ci tests/interop
  npm_ci tests/browser
fi
