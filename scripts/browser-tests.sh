#!/usr/bin/env bash
# Starts the demo stack (cloudsim + orgwarden, debug build) in a temp folder on free ports, runs the
# Playwright suite in tests/browser against its host page, and stops everything on any exit.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${ORGWARDEN_BIN_DIR:-${CARGO_TARGET_DIR:-target}/debug}
DATA=$(mktemp -d /tmp/orgwarden-browser.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port); SIM_PORT=$(free_port)
"$BIN/orgwarden" demo --data-dir "$DATA" --port "$PORT" --sim-port "$SIM_PORT" --users 300 --sites 2 >"$DATA/demo.log" 2>&1 &
DEMO=$!
cleanup() { kill "$DEMO" 2>/dev/null || true; wait "$DEMO" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT INT TERM
for _ in $(seq 1 300); do
  grep -q "Open:" "$DATA/demo.log" 2>/dev/null && break
  kill -0 "$DEMO" 2>/dev/null || { cat "$DATA/demo.log"; exit 1; }
  sleep 0.2
done
grep -q "Open:" "$DATA/demo.log" || { echo "demo did not start:"; cat "$DATA/demo.log"; exit 1; }
export ORGWARDEN_HOST_URL=$(sed -n 's/^ *Open: *//p' "$DATA/demo.log")
export ORGWARDEN_TEST_API_KEY=$(cat "$DATA/demo-api-key")
export ORGWARDEN_SIM_URL="http://127.0.0.1:$SIM_PORT"
export ORGWARDEN_URL="http://127.0.0.1:$PORT"
echo "browser tests against $ORGWARDEN_HOST_URL" >&2
npm test --prefix tests/browser
if grep -q "eyJ" "$DATA/demo.log"; then echo "a JWT reached the demo's logs" >&2; exit 1; fi
