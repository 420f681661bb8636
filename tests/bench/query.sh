#!/usr/bin/env bash
# Query scenario on a 100,000-user mirror, SQLite and PostgreSQL (throwaway server with a 1 GB
# buffer cache, as a server holding a 1 GB mirror would be given; 128 MB is a minimal install's).
set -euo pipefail
ORGWARDEN_PG_SHARED_BUFFERS=1GB scripts/with-postgres.sh "${CARGO_TARGET_DIR:-target}/release/orgwarden-bench" query --users 100000 "$@"
