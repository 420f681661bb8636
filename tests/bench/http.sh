#!/usr/bin/env bash
# HTTP benchmark of GET /api/v1/me (context JWT verified, tenant and permission cached) with wrk,
# at 1, 16 and 64 connections, against release builds. Target: ≥ 15,000 req/s, p99 < 10 ms at 16.
set -euo pipefail
BIN=target/release
DATA=$(mktemp -d /tmp/orgwarden-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port); SIM_PORT=$(free_port)
ORGWARDEN_LOG=warn "$BIN/orgwarden" demo --data-dir "$DATA" --port "$PORT" --sim-port "$SIM_PORT" --users 1000 >"$DATA/demo.log" 2>&1 &
DEMO=$!
trap 'kill $DEMO 2>/dev/null; wait $DEMO 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do grep -q "Open:" "$DATA/demo.log" && break; sleep 0.2; done
SIM="http://127.0.0.1:$SIM_PORT"
ADMIN=$(curl -sf "$SIM/__sim/org" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(next(u["accountId"] for u in o["users"] if any("org-admin" in r for r in u.get("platformRoles", [])) and u["status"] == "active"))')
TOKEN=$(curl -sf -X POST "$SIM/__sim/context-token" -H 'Content-Type: application/json' -d "{\"accountId\":\"$ADMIN\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
URL="http://127.0.0.1:$PORT/api/v1/me"
curl -sf -H "Authorization: JWT $TOKEN" "$URL" >/dev/null || { echo "warm-up call failed"; curl -s -H "Authorization: JWT $TOKEN" "$URL"; exit 1; }
results=()
for c in 1 16 64; do
  threads=$(( c < 2 ? 1 : 2 ))
  out=$(wrk -t$threads -c$c -d8s --latency -H "Authorization: JWT $TOKEN" "$URL")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  results+=("{\"connections\": $c, \"requestsPerSec\": $rps, \"p99\": \"$p99\", \"non2xx\": ${non2xx:-0}}")
  printf "  %3s connections: %10s req/s   p99 %8s   non-2xx %s\n" "$c" "$rps" "$p99" "${non2xx:-0}"
done
echo "  target at 16 connections: >= 15000 req/s, p99 < 10ms"
(IFS=,; echo "{\"scenario\": \"http /api/v1/me\", \"target\": {\"connections\": 16, \"requestsPerSec\": 15000, \"p99Ms\": 10}, \"results\": [${results[*]}]}") > target/bench/http.json
