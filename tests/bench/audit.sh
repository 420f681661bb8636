#!/usr/bin/env bash
# Audit scenario: the median latency of PUT /api/v1/settings through HTTP (demo stack, release
# build), then what its audit entry adds to the store work, and the newest page of a
# 100,000-entry trail, on SQLite and PostgreSQL. Targets: < 5 % added, page p95 <= 20 ms.
set -euo pipefail
BIN=${CARGO_TARGET_DIR:-target}/release
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
URL="http://127.0.0.1:$PORT/api/v1/settings"
PUT_MEDIAN=$(TOKEN="$TOKEN" URL="$URL" KEY="$(cat "$DATA/demo-api-key")" python3 - <<'PY'
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
)
echo "  PUT /api/v1/settings (SQLite, with its audit entry): median $PUT_MEDIAN ms"
ORGWARDEN_PG_SHARED_BUFFERS=1GB scripts/with-postgres.sh "$BIN/orgwarden-bench" audit --put-median-ms "$PUT_MEDIAN" "$@"
