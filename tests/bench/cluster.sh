#!/usr/bin/env bash
# Cluster scenario: 20 tenants (one cloudsim site and API key each; cloudsim limits every key to
# 50 requests/s, 50 ms latency) x 5,000 users, synced by 1 and then by 2 `orgwarden worker`
# processes beside an HTTP-only `orgwarden serve`, on a throwaway PostgreSQL. Keys are saved and
# sync runs read through the HTTP API. Expected: 2 workers reach about twice the throughput of 1
# (each worker runs 2 syncs at once, one per tenant, and each tenant's key has its own limit).
set -euo pipefail
scripts/with-postgres.sh "${CARGO_TARGET_DIR:-target}/release/orgwarden-bench" cluster "$@"
