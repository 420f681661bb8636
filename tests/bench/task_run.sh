#!/usr/bin/env bash
# Task-run scenario: an automated task whose saved filter selects 10,000 users does "remove app
# access + add to group" through the scheduler's path, cloudsim at 50 requests/s.
# Target: >= 95 % of the rate-limit bound.
set -euo pipefail
"${CARGO_TARGET_DIR:-target}/release/orgwarden-bench" task-run --users 10000 "$@"
