#!/usr/bin/env bash
# Sync scenario: 100,000 users, 10 sites, 2,000 groups, 50 ms latency, 50 requests/s; then 1,000 users.
set -euo pipefail
target/release/orgwarden-bench sync --users 100000 --name sync
target/release/orgwarden-bench sync --users 1000 --name sync-1k
