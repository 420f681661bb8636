#!/usr/bin/env bash
# The scale-out topology of deploy/compose.yaml on this machine, without containers: a throwaway
# PostgreSQL (scripts/with-postgres.sh), cloudsim, `orgwarden migrate`, two HTTP-only `serve`
# processes (ports CLUSTER_PORT and CLUSTER_PORT+1; no proxy) and two `orgwarden worker`s. The app
# is installed into cloudsim's first site through web 1. Ctrl-C stops everything.
#
#   scripts/cluster.sh           run it for a demo (prints the URLs)
#   scripts/cluster.sh --check   bring it up, save the API key through web 2, wait until a worker
#                                has synced the organization, then stop (exit status says if it worked)
#
# Binaries come from ORGWARDEN_BIN_DIR, else ${CARGO_TARGET_DIR:-target}/debug (build them with
# `cargo build -p orgwarden-server -p orgwarden-cloudsim`). Settings: CLUSTER_PORT (8180; cloudsim
# listens on CLUSTER_PORT+10), CLUSTER_USERS (500), CLUSTER_SITES (3), CLUSTER_DIR (logs and keys;
# a new temporary folder by default), ORGWARDEN_ADMIN_API_RATE (50).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${ORGWARDEN_TEST_POSTGRES_URL:-}" ]; then
  exec "$here/with-postgres.sh" "$0" "$@"
fi
mode=${1:-run}
root=$(cd "$here/.." && pwd)
bin=${ORGWARDEN_BIN_DIR:-${CARGO_TARGET_DIR:-$root/target}/debug}
for b in orgwarden cloudsim; do
  [ -x "$bin/$b" ] || { echo "cluster: $bin/$b is missing: cargo build -p orgwarden-server -p orgwarden-cloudsim" >&2; exit 1; }
done
port=${CLUSTER_PORT:-8180}
sim_port=$((port + 10))
dir=${CLUSTER_DIR:-$(mktemp -d /tmp/orgwarden-cluster.XXXXXX)}
mkdir -p "$dir"
sim="http://127.0.0.1:$sim_port"
api_key="ATCTT3xFfGN0cluster$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
expires=$(date -u -d '+365 days' +%F)

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every orgwarden process shares these settings (the web processes add their port).
export ORGWARDEN_DATABASE_URL="$ORGWARDEN_TEST_POSTGRES_URL/postgres"
export ORGWARDEN_MASTER_KEY
ORGWARDEN_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
export ORGWARDEN_BASE_URL="http://127.0.0.1:$port"
export ORGWARDEN_INSTALL_KEYS_URL="$sim/install-keys"
export ORGWARDEN_ADMIN_API_URL="$sim"
export ORGWARDEN_ADMIN_API_RATE=${ORGWARDEN_ADMIN_API_RATE:-50}
export ORGWARDEN_FRONTEND_DIR=${ORGWARDEN_FRONTEND_DIR:-$root/frontend/dist}
export ORGWARDEN_WEBHOOKS_ALLOW_PRIVATE=true
export ORGWARDEN_DEMO_HOST_ORIGIN="$sim"
export ORGWARDEN_LOG=${ORGWARDEN_LOG:-warn}

start() { # name, command…
  local name=$1; shift
  "$@" >"$dir/$name.log" 2>&1 &
  pids+=($!)
}
wait_for() { # url
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "cluster: $1 did not answer; logs in $dir" >&2
  exit 1
}

start cloudsim "$bin/cloudsim" serve --bind "127.0.0.1:$sim_port" --users "${CLUSTER_USERS:-500}" \
  --sites "${CLUSTER_SITES:-3}" --api-key "$api_key:$expires"
"$bin/orgwarden" migrate >"$dir/migrate.log" 2>&1
for n in 1 2; do
  ORGWARDEN_WORKERS=false ORGWARDEN_BIND="127.0.0.1:$((port + n - 1))" start "web-$n" "$bin/orgwarden" serve
  start "worker-$n" "$bin/orgwarden" worker
done
wait_for "$sim/__sim/stats"
wait_for "http://127.0.0.1:$port/readyz"
wait_for "http://127.0.0.1:$((port + 1))/readyz"
curl -fsS -o /dev/null -X POST "$sim/__sim/install" -H 'Content-Type: application/json' \
  -d "{\"descriptorUrl\": \"$ORGWARDEN_BASE_URL/atlassian-connect.json\"}"
site=$(curl -fsS "$sim/__sim/org" | jq -r '.sites[0].name')

if [ "$mode" = "--check" ]; then
  admin=$(curl -fsS "$sim/__sim/org" | jq -r \
    '[.users[] | select(.status == "active" and (.platformRoles | index("atlassian/org-admin")))][0].accountId')
  token=$(curl -fsS -X POST "$sim/__sim/context-token" -H 'Content-Type: application/json' \
    -d "{\"accountId\": \"$admin\"}" | jq -r .token)
  # Through web 2: the key saved there starts the first sync, which one of the workers runs.
  curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$((port + 1))/api/v1/settings/api-key" \
    -H "Authorization: JWT $token" -H 'Content-Type: application/json' \
    -d "{\"key\": \"$api_key\", \"expiresAt\": \"$expires\"}"
  for _ in $(seq 1 600); do
    state=$(psql -Atq "$ORGWARDEN_DATABASE_URL" -c "SELECT state FROM sync_runs ORDER BY id DESC LIMIT 1")
    case "$state" in
      succeeded) break ;;
      failed) echo "cluster: the sync failed; logs in $dir" >&2; exit 1 ;;
    esac
    sleep 0.2
  done
  [ "$state" = succeeded ] || { echo "cluster: no sync finished; logs in $dir" >&2; exit 1; }
  users=$(psql -Atq "$ORGWARDEN_DATABASE_URL" -c \
    "SELECT count(*) FROM org_users u JOIN mirror_state m USING (tenant_id, generation)")
  for pid in "${pids[@]}"; do
    kill -0 "$pid" || { echo "cluster: a process stopped; logs in $dir" >&2; exit 1; }
  done
  echo "cluster: 2 web + 2 worker processes on one PostgreSQL; key saved through web 2, a worker synced $users users"
  exit 0
fi

cat <<INFO

orgwarden cluster is running (logs in $dir):
  web 1:    http://127.0.0.1:$port     web 2: http://127.0.0.1:$((port + 1))   (HTTP only)
  workers:  2 \`orgwarden worker\` processes
  database: $ORGWARDEN_DATABASE_URL
  Open:     $sim/jira/$site/plugins/servlet/ac/io.orgwarden.app/orgwarden-admin
  API key:  $api_key   (paste it in Settings → Organization API key)

Ctrl-C stops everything.
INFO
wait
