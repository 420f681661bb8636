#!/usr/bin/env bash
# Tasks scenario: one scheduler tick over 1,000 active tasks of 100 tenants, none due, on SQLite
# and PostgreSQL. Target: p95 <= 5 ms.
set -euo pipefail
BIN=${CARGO_TARGET_DIR:-target}/release
scripts/with-postgres.sh "$BIN/orgwarden-bench" tasks "$@"
