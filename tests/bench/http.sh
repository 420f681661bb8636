#!/usr/bin/env bash
# HTTP benchmark of GET /api/v1/me with wrk at 1, 16 and 64 connections, against release builds,
# three ways in one run: orgwarden with a Connect context JWT (tenant, caller roles and access
# cached), orgwarden with an API token (Bearer), and the reference — a bare actix-web +
# jsonwebtoken handler verifying the same JWT. Targets at 16 connections: each orgwarden path
# >= 0.85x the reference's requests/s, p99 <= 1.5x its p99. The three alternate in ROUNDS rounds
# of SECONDS each per connection count (a shared machine's speed drifts within a minute), and a
# path's ratio is the median of its rounds' ratios to the reference's run just before it. CPU
# time of each server process (user + system, from /proc) is reported per request.
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

ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-4}
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# measure NAME URL HEADER PID CONNECTIONS ROUND: one wrk run, recorded as a JSON line.
ROWS="$DATA/rows.jsonl"
measure() {
  local name=$1 url=$2 header=$3 pid=$4 c=$5 round=$6
  local threads=$(( c < 2 ? 1 : 2 ))
  local before; before=$(cpu_seconds "$pid")
  local out; out=$(wrk -t$threads -c"$c" -d"${SECONDS_PER_RUN}s" --latency -H "$header" "$url")
  local after; after=$(cpu_seconds "$pid")
  local rps p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  echo "{\"path\": \"$name\", \"connections\": $c, \"round\": $round, \"requestsPerSec\": $rps, \"p99\": \"$p99\", \"non2xx\": ${non2xx:-0}, \"serverCpuSeconds\": $(python3 -c "print(round($after - $before, 2))")}" >>"$ROWS"
}
for c in 1 16 64; do
  for round in $(seq 1 "$ROUNDS"); do
    measure reference "http://127.0.0.1:$BARE_PORT/api/v1/me" "Authorization: JWT $TOKEN" "$BARE" "$c" "$round"
    measure jwt "$URL" "Authorization: JWT $TOKEN" "$ORGWARDEN_PID" "$c" "$round"
    measure token "$URL" "Authorization: Bearer $API_TOKEN" "$ORGWARDEN_PID" "$c" "$round"
  done
done
python3 - "$ROWS" "$SECONDS_PER_RUN" <<'PY'
import json, statistics, sys, datetime
rows = [json.loads(line) for line in open(sys.argv[1])]
seconds = float(sys.argv[2])
def ms(v):
    return float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
for r in rows:
    r["p99Ms"] = ms(r.pop("p99"))
    r["cpuMicrosPerRequest"] = round(r["serverCpuSeconds"] * 1e6 / (r["requestsPerSec"] * seconds), 1)
def pick(path, c):
    return sorted((r for r in rows if r["path"] == path and r["connections"] == c), key=lambda r: r["round"])
for c in (1, 16, 64):
    for path in ("reference", "jwt", "token"):
        runs = pick(path, c)
        rps = [r["requestsPerSec"] for r in runs]
        print(f"  {path:<9} {c:>3} connections: {statistics.median(rps):>10.0f} req/s (rounds {', '.join(f'{v:.0f}' for v in rps)})"
              f"   p99 {statistics.median(r['p99Ms'] for r in runs):6.2f} ms   non-2xx {sum(r['non2xx'] for r in runs):<4}"
              f" server CPU {statistics.median(r['cpuMicrosPerRequest'] for r in runs):5.1f} us/request")
verdicts = []
reference = pick("reference", 16)
for path in ("jwt", "token"):
    runs = pick(path, 16)
    rps_ratios = [r["requestsPerSec"] / ref["requestsPerSec"] for r, ref in zip(runs, reference)]
    p99_ratios = [r["p99Ms"] / max(ref["p99Ms"], 0.001) for r, ref in zip(runs, reference)]
    rps_ratio, p99_ratio = statistics.median(rps_ratios), statistics.median(p99_ratios)
    errors = sum(r["non2xx"] for r in runs)
    verdict = "met" if rps_ratio >= 0.85 and p99_ratio <= 1.5 and errors == 0 else "MISSED"
    print(f"  {path:<9} at 16 connections: {rps_ratio:.2f}x the reference's req/s (rounds {', '.join(f'{v:.2f}' for v in rps_ratios)}; "
          f"target >= 0.85), p99 {p99_ratio:.2f}x its p99 (target <= 1.5): {verdict}")
    verdicts.append({"path": path, "rpsRatio": round(rps_ratio, 3), "rpsRatioRounds": [round(v, 3) for v in rps_ratios],
                     "p99Ratio": round(p99_ratio, 3), "verdict": verdict})
summary = {"scenario": "http /api/v1/me", "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "target": {"connections": 16, "rpsRatio": 0.85, "p99Ratio": 1.5}, "results": rows, "verdicts": verdicts}
json.dump(summary, open("target/bench/http.json", "w"), indent=1)
PY
