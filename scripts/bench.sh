#!/usr/bin/env bash
# `make bench`: each scenario prints its figures next to its target and writes target/bench/*.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/bench
for scenario in tests/bench/*.sh; do
  echo "== $(basename "$scenario" .sh)"
  bash "$scenario"
done
