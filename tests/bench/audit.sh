#!/usr/bin/env bash
# Audit scenario: the median latency of PUT /api/v1/settings through HTTP (demo stack, release
# build) on SQLite and on PostgreSQL, then what its audit entry adds to the store work on each,
# and the newest page of a 100,000-entry trail. Targets: < 5 % added, page p95 <= 20 ms.
set -euo pipefail
if [ -z "${ORGWARDEN_TEST_POSTGRES_URL:-}" ]; then
  ORGWARDEN_PG_SHARED_BUFFERS=1GB exec scripts/with-postgres.sh bash "$0" "$@"
fi
BIN=${ORGWARDEN_BIN_DIR:-${CARGO_TARGET_DIR:-target}/release}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The median PUT /api/v1/settings of an organization admin on a demo stack over $1 (empty: SQLite).
put_median() {
  local data port sim_port demo sim admin token
  data=$(mktemp -d /tmp/orgwarden-bench.XXXXXX)
  port=$(free_port); sim_port=$(free_port)
  ORGWARDEN_LOG=warn "$BIN/orgwarden" demo --data-dir "$data" --port "$port" --sim-port "$sim_port" \
    --users 1000 ${1:+--database-url "$1"} >"$data/demo.log" 2>&1 &
  demo=$!
  for _ in $(seq 1 300); do grep -q "Open:" "$data/demo.log" && break; sleep 0.2; done
  sim="http://127.0.0.1:$sim_port"
  admin=$(curl -sf "$sim/__sim/org" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(next(u["accountId"] for u in o["users"] if any("org-admin" in r for r in u.get("platformRoles", [])) and u["status"] == "active"))')
  token=$(curl -sf -X POST "$sim/__sim/context-token" -H 'Content-Type: application/json' -d "{\"accountId\":\"$admin\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  TOKEN="$token" URL="http://127.0.0.1:$port/api/v1/settings" KEY="$(cat "$data/demo-api-key")" python3 - <<'PY'
import datetime, json, os, statistics, time, urllib.request
url, token = os.environ["URL"], os.environ["TOKEN"]
def call(method, body=None, path=url):
    req = urllib.request.Request(path, method=method, data=body, headers={"Authorization": f"JWT {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return r.read()
# Organization admins change settings once the key is saved and synced.
expires = (datetime.date.today() + datetime.timedelta(days=300)).isoformat()
call("PUT", json.dumps({"key": os.environ["KEY"].split(":")[0].strip(), "expiresAt": expires}).encode(), url + "/api-key")
for _ in range(600):
    if json.loads(call("GET", None, url.replace("/settings", "/sync"))).get("state") == "succeeded":
        break
    time.sleep(0.2)
settings = json.loads(call("GET"))
samples = []
for i in range(400):
    settings["inactiveDays"] = 30 + i % 300
    body = json.dumps(settings).encode()
    start = time.perf_counter()
    call("PUT", body)
    samples.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(samples[50:]):.3f}")
PY
  kill "$demo" 2>/dev/null; wait "$demo" 2>/dev/null || true
  rm -rf "$data"
}

PUT_SQLITE=$(put_median "")
echo "  PUT /api/v1/settings (SQLite, with its audit entry): median $PUT_SQLITE ms"
PG_DEMO="$ORGWARDEN_TEST_POSTGRES_URL/orgwarden_demo"
psql "$ORGWARDEN_TEST_POSTGRES_URL/postgres" -qc "CREATE DATABASE orgwarden_demo" >/dev/null
PUT_POSTGRES=$(put_median "$PG_DEMO")
echo "  PUT /api/v1/settings (PostgreSQL, with its audit entry): median $PUT_POSTGRES ms"
"$BIN/orgwarden-bench" audit --put-median-ms "$PUT_SQLITE" --put-median-ms-postgres "$PUT_POSTGRES" "$@"
