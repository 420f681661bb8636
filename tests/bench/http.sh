#!/usr/bin/env bash
# HTTP benchmark of GET /api/v1/me with wrk at 1, 16 and 64 connections, against release builds,
# three ways in one run: orgwarden with a Connect context JWT (tenant, caller roles and access
# cached), orgwarden with an API token (Bearer), and the reference — a bare actix-web +
# jsonwebtoken handler verifying the same JWT. Targets at 16 connections: each orgwarden path
# >= 0.85x the reference's requests/s, p99 <= 1.5x its p99. CPU seconds of each server process
# (user + system, from /proc) are reported beside the rates.
set -euo pipefail
BIN=${CARGO_TARGET_DIR:-target}/release
mkdir -p target/bench
DATA=$(mktemp -d /tmp/orgwarden-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port); SIM_PORT=$(free_port); BARE_PORT=$(free_port)
ORGWARDEN_LOG=warn "$BIN/orgwarden" demo --data-dir "$DATA" --port "$PORT" --sim-port "$SIM_PORT" --users 1000 >"$DATA/demo.log" 2>&1 &
DEMO=$!
BARE=""
trap 'kill $DEMO $BARE 2>/dev/null; wait $DEMO $BARE 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do grep -q "Open:" "$DATA/demo.log" && break; sleep 0.2; done
SIM="http://127.0.0.1:$SIM_PORT"
ADMIN=$(curl -sf "$SIM/__sim/org" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(next(u["accountId"] for u in o["users"] if any("org-admin" in r for r in u.get("platformRoles", [])) and u["status"] == "active"))')
TOKEN=$(curl -sf -X POST "$SIM/__sim/context-token" -H 'Content-Type: application/json' -d "{\"accountId\":\"$ADMIN\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
BASE="http://127.0.0.1:$PORT"
URL="$BASE/api/v1/me"
# Each call to orgwarden carries a fresh context token (its qsh binds it to the request).
fresh() { curl -sf -X POST "$SIM/__sim/context-token" -H 'Content-Type: application/json' -d "{\"accountId\":\"$ADMIN\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
# Save the demo's Organization API key, as an admin would: callers' roles then come from the
# Admin API (cached), the path every request takes once the app is set up.
EXPIRES=$(date -u -d '+300 days' +%F)
curl -sf -X PUT "$BASE/api/v1/settings/api-key" -H "Authorization: JWT $(fresh)" -H 'Content-Type: application/json' \
  -d "{\"key\": \"$(cat "$DATA/demo-api-key")\", \"expiresAt\": \"$EXPIRES\"}" >/dev/null || { echo "saving the API key failed"; exit 1; }
curl -sf -H "Authorization: JWT $TOKEN" "$URL" | grep -q '"as":"orgAdmin"' || { echo "warm-up call failed"; curl -s -H "Authorization: JWT $TOKEN" "$URL"; exit 1; }
API_TOKEN=$(curl -sf -X POST "$BASE/api/v1/tokens" -H "Authorization: JWT $(fresh)" \
  -H 'Content-Type: application/json' -d '{"name":"bench","scopes":["read"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
read -r SECRET ISSUER < <(curl -sf "$SIM/__sim/installations" | python3 -c 'import json,sys; i=[x for x in json.load(sys.stdin) if x["installed"]][0]; print(i["sharedSecret"], i["clientKey"])')
"$BIN/orgwarden-bench" bare-jwt --bind "127.0.0.1:$BARE_PORT" --secret "$SECRET" --issuer "$ISSUER" &
BARE=$!
for _ in $(seq 1 100); do curl -sf -H "Authorization: JWT $TOKEN" "http://127.0.0.1:$BARE_PORT/api/v1/me" >/dev/null && break; sleep 0.1; done

ORGWARDEN_PID=$DEMO  # `demo` serves in its own process (cloudsim is a child)

cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# run NAME URL HEADER PID: wrk at 1, 16 and 64 connections; prints and records the figures.
declare -A RPS16 P99MS16
results=()
run() {
  local name=$1 url=$2 header=$3 pid=$4
  for c in 1 16 64; do
    local threads=$(( c < 2 ? 1 : 2 ))
    local before; before=$(cpu_seconds "$pid")
    local out; out=$(wrk -t$threads -c$c -d8s --latency -H "$header" "$url")
    local after; after=$(cpu_seconds "$pid")
    local rps p99 non2xx cpu ms
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
    cpu=$(python3 -c "print(round($after - $before, 2))")
    ms=$(python3 -c "v='$p99'; print(float(v[:-2]) if v.endswith('ms') else float(v[:-2])/1000 if v.endswith('us') else float(v[:-1])*1000)")
    if [ "$c" = 16 ]; then RPS16[$name]=$rps; P99MS16[$name]=$ms; fi
    results+=("{\"path\": \"$name\", \"connections\": $c, \"requestsPerSec\": $rps, \"p99Ms\": $ms, \"non2xx\": ${non2xx:-0}, \"serverCpuSeconds\": $cpu}")
    printf "  %-9s %3s connections: %10s req/s   p99 %8s   non-2xx %-5s server CPU %6ss\n" "$name" "$c" "$rps" "$p99" "${non2xx:-0}" "$cpu"
  done
}
run reference "http://127.0.0.1:$BARE_PORT/api/v1/me" "Authorization: JWT $TOKEN" "$BARE"
run jwt "$URL" "Authorization: JWT $TOKEN" "$ORGWARDEN_PID"
run token "$URL" "Authorization: Bearer $API_TOKEN" "$ORGWARDEN_PID"
verdicts=()
for name in jwt token; do
  line=$(python3 -c "
r, p = ${RPS16[$name]} / ${RPS16[reference]}, ${P99MS16[$name]} / max(${P99MS16[reference]}, 0.001)
ok = r >= 0.85 and p <= 1.5
print(f'{r:.2f} {p:.2f} {\"met\" if ok else \"MISSED\"}')")
  read -r ratio p99ratio verdict <<<"$line"
  printf "  %-9s at 16 connections: %sx the reference's req/s (target >= 0.85), p99 %sx its p99 (target <= 1.5): %s\n" "$name" "$ratio" "$p99ratio" "$verdict"
  verdicts+=("{\"path\": \"$name\", \"rpsRatio\": $ratio, \"p99Ratio\": $p99ratio, \"verdict\": \"$verdict\"}")
done
(IFS=,; echo "{\"scenario\": \"http /api/v1/me\", \"date\": \"$(date -u +%FT%TZ)\", \"target\": {\"connections\": 16, \"rpsRatio\": 0.85, \"p99Ratio\": 1.5}, \"results\": [${results[*]}], \"verdicts\": [${verdicts[*]}]}") > target/bench/http.json
