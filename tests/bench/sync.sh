#!/usr/bin/env bash
# Sync scenario: 100,000 users, 10 sites, 2,000 groups, 50 ms latency, 50 requests/s, into SQLite
# and into PostgreSQL (throwaway server); then 1,000 users.
set -euo pipefail
BENCH="${CARGO_TARGET_DIR:-target}/release/orgwarden-bench"
"$BENCH" sync --users 100000 --name sync
ORGWARDEN_PG_SHARED_BUFFERS=1GB scripts/with-postgres.sh "$BENCH" sync --users 100000 --postgres --name sync-postgres
"$BENCH" sync --users 1000 --name sync-1k
