#!/usr/bin/env bash
# Operations scenario: "remove app access + add to group" on 10,000 users, cloudsim at 50 requests/s.
set -euo pipefail
"${CARGO_TARGET_DIR:-target}/release/orgwarden-bench" operations --users 10000 "$@"
