#!/usr/bin/env bash
# Sync scenario on the served path (orgwarden serve + cloudsim serve, key saved through the API):
# 100,000 users, 10 sites, 2,000 groups, 50 ms latency, 50 requests/s, into SQLite and into
# PostgreSQL (throwaway server), each followed by the daily re-sync after 1 % of the users
# changed and by a manual full reconciliation (--resync); then 1,000 users. Binaries from
# ${CARGO_TARGET_DIR:-target}/release (SYNC_BENCH_PROFILE picks another profile's directory,
# e.g. perf).
set -euo pipefail
BENCH="${CARGO_TARGET_DIR:-target}/${SYNC_BENCH_PROFILE:-release}/orgwarden-bench"
"$BENCH" sync --users 100000 --resync --name sync
ORGWARDEN_PG_SHARED_BUFFERS=1GB scripts/with-postgres.sh "$BENCH" sync --users 100000 --resync --postgres --name sync-postgres
"$BENCH" sync --users 1000 --target-ratio 1.1 --target-cpu-seconds 2 --name sync-1k
