#!/usr/bin/env bash
# Query scenario on a 100,000-user mirror, SQLite and PostgreSQL (throwaway server).
set -euo pipefail
scripts/with-postgres.sh "${CARGO_TARGET_DIR:-target}/release/orgwarden-bench" query --users 100000 "$@"
