#!/usr/bin/env bash
# Webhooks scenario: 10,000 events across 100 tenants delivered by the delivery worker to a
# local receiver, one of whose tenants answers in 5 s. Targets: >= 500 deliveries/s, the slow
# receiver does not hold the others back, bounded memory (peak RSS reported).
set -euo pipefail
BIN=${CARGO_TARGET_DIR:-target}/release
"$BIN/orgwarden-bench" webhooks "$@"
