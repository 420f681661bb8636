#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL on a free port, stopped (and deleted) on any exit.
# The command sees ORGWARDEN_TEST_POSTGRES_URL, a server URL whose databases it may create freely,
# and ORGWARDEN_TEST_POSTGRES_DATA, its data directory (the bench reads the postmaster's pid there).
# ORGWARDEN_PG_SHARED_BUFFERS sizes the buffer cache (default: PostgreSQL's own 128 MB).
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGROOT=$(mktemp -d /tmp/orgwarden-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap stop EXIT INT TERM
mkdir -p "$PGROOT/sock"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGROOT"
chmod 700 "$PGROOT"
as_postgres "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust --encoding=UTF8 --no-locale -N >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
  -o "-p $PORT -k $PGROOT/sock -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=${ORGWARDEN_PG_SHARED_BUFFERS:-128MB}" start >/dev/null
export ORGWARDEN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT"
export ORGWARDEN_TEST_POSTGRES_DATA="$PGROOT/data"
# No GSSAPI negotiation (the server trusts local connections): libpq otherwise loads Kerberos,
# whose exit-time teardown can abort a test process that exits while a pooled connection is
# being opened ("k5_mutex_lock: Received error 22", SIGABRT after the test passed).
export PGGSSENCMODE=disable
echo "throwaway PostgreSQL at $ORGWARDEN_TEST_POSTGRES_URL" >&2
"$@"
