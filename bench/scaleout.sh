#!/usr/bin/env bash
# Scale-out benchmark (issue 13): prints figures, asserts nothing.
#   bash bench/scaleout.sh                 # ~4 minutes after the release build
#   RUNS=3 DURATION=20s bash bench/scaleout.sh
# Three set-ups, one after the other, all on loopback:
#   sqlite   one instance on its SQLite file (the embedded default)
#   pg-1     one instance on PostgreSQL (a throwaway cluster: tests/postgres/cluster.sh)
#   pg-2     two instances on that PostgreSQL behind haproxy (round robin)
# For each: single-applicant API requests/s with reasons on the lending-club bundle (wrk -t2 -c32,
# on fresh instances, before any upload), then the 50,000 x 120 upload (the bench model; median
# of RUNS, time to the 303, each after the servers have gone quiet); and on pg-2 how soon a
# promotion made on one instance serves on the other (LISTEN/NOTIFY). The machine has 2 cores
# that the servers, PostgreSQL, haproxy and wrk share: that is how the figures are defined.
#   SETUPS="sqlite pg-1 pg-2"   which set-ups to run
#   LOANRISK_BIN=path           another binary (an A/B against an older build: sqlite only)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/malloc-env  # the server runs with bin/web's malloc settings
root=$PWD
work=bench/work
runs=${RUNS:-3}
duration=${DURATION:-20s}
pg_port=${PG_PORT:-55434}
[ -f "$work/model.txt" ] || python3 training/bench_workload.py --out "$work"
command -v wrk >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v haproxy >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }
setups=${SETUPS:-sqlite pg-1 pg-2}
if [ -n "${LOANRISK_BIN:-}" ]; then
  bin=$LOANRISK_BIN
else
  swift build -c release --product loanrisk >/dev/null
  bin=$(swift build -c release --show-bin-path)/loanrisk
fi
tmp=$(mktemp -d -t loanrisk-scaleout.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$pg_url" ] || bash tests/postgres/cluster.sh stop "$pg_port"
  rm -rf "$tmp"
}
trap cleanup EXIT
pg_url=""
[[ "$setups" == *pg* ]] && pg_url=$(bash tests/postgres/cluster.sh start "$pg_port")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 300); do curl -sf "$1/readyz" >/dev/null && return; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

start() {  # port, extra env...: starts `loanrisk serve`, echoes nothing
  local port=$1; shift
  env MODEL="$root/$work/model.txt" MAX_UPLOAD_MB=200 LOG_LEVEL=warning ADMIN_TOKEN=bench-token-0123456789 "$@" \
    "$bin" serve --hostname 127.0.0.1 --port "$port" >>"$tmp/server.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$port"
}

busy_ticks() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '$2 ~ /loanrisk|postgres/ {t += $14 + $15} END {print t + 0}'; }
wait_quiet() {  # the previous upload's background work (features, reason codes) done
  local before after
  for _ in $(seq 120); do
    before=$(busy_ticks); sleep 1; after=$(busy_ticks)
    [ $((after - before)) -lt 10 ] && return
  done
}

upload() {  # base url: prints seconds to the 303
  local jar token
  jar=$(mktemp -p "$tmp")
  token=$(curl -s -c "$jar" "$1/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')
  curl -s -b "$jar" -H 'Expect:' -o /dev/null -w '%{time_total}\n' -F "csrf=$token" -F "file=@$work/applicants.csv;type=text/csv" "$1/batches"
}

cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$root/examples/lending-club-one.json", "r")
wrk.body = f:read("*a")
f:close()
LUA

measure() {  # label base-url
  local label=$1 base=$2 times=() rps median
  wrk -t2 -c32 -d3s -s "$tmp/post.lua" "$base/api/v1/models/lending-club/predict" >/dev/null
  rps=$(wrk -t2 -c32 -d"$duration" --timeout 5s -s "$tmp/post.lua" "$base/api/v1/models/lending-club/predict" | awk '/Requests\/sec/ {print $2}')
  for _ in $(seq "$runs"); do
    wait_quiet
    times+=("$(upload "$base")")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$label upload_median_s=$median uploads=${times[*]} api_rps=$rps" | tee -a "$tmp/results.txt"
}

stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pids=()
}

if [[ " $setups " == *" sqlite "* ]]; then
  echo "== sqlite: one instance, SQLite file"
  port=$(free_port)
  start "$port" DATABASE_PATH="$tmp/bench.sqlite"
  measure sqlite "http://127.0.0.1:$port"
  stop_all
fi

if [[ " $setups " == *" pg-1 "* ]]; then
  echo "== pg-1: one instance, PostgreSQL"
  port=$(free_port)
  start "$port" DATABASE_URL="$pg_url&schema=bench_one"
  measure pg-1 "http://127.0.0.1:$port"
  stop_all
fi

if [[ " $setups " == *" pg-2 "* ]]; then
  echo "== pg-2: two instances, PostgreSQL, haproxy round robin"
  a=$(free_port); b=$(free_port); lb=$(free_port)
  start "$a" DATABASE_URL="$pg_url&schema=bench_two"
  start "$b" DATABASE_URL="$pg_url&schema=bench_two"
  cat > "$tmp/haproxy.cfg" <<CFG
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
frontend loanrisk
    bind 127.0.0.1:$lb
    default_backend instances
backend instances
    balance roundrobin
    server a 127.0.0.1:$a
    server b 127.0.0.1:$b
CFG
  haproxy -f "$tmp/haproxy.cfg" -db >>"$tmp/haproxy.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$lb"
  measure pg-2 "http://127.0.0.1:$lb"
  stop_all

  echo "== pg-2: a promotion on one instance, served by the other (lending-club, 6 promotions)"
  a=$(free_port); b=$(free_port)
  pickup_url="$pg_url&schema=bench_pickup"
  start "$a" DATABASE_URL="$pickup_url" MODEL=lending-club
  start "$b" DATABASE_URL="$pickup_url" MODEL=lending-club
  bash bench/make_variant.sh lending-club 9.0.0 "$tmp/v9" >/dev/null
  DATABASE_URL="$pickup_url" "$bin" models register "$tmp/v9" >/dev/null
  python3 - "$a" "$b" "$root/examples/lending-club-one.json" <<'PY' | tee -a "$tmp/pickup.txt"
import json, statistics, sys, time, urllib.request
a, b, one = sys.argv[1:]
body = open(one, "rb").read()
def version(port):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/models/lending-club/predict?reasons=0", data=body,
                                     headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["model"]["version"]
def promote(port, to):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/admin/v1/models/lending-club/aliases/champion", method="PUT",
                                     data=json.dumps({"version": to}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer bench-token-0123456789"})
    urllib.request.urlopen(request).read()
seconds = []
for round in range(6):
    to = "9.0.0" if round % 2 == 0 else "2.1.0"
    promote(a, to)
    start = time.monotonic()
    while version(b) != to:
        time.sleep(0.002)
    seconds.append(time.monotonic() - start)
    time.sleep(1.5)
print("promotion on one instance to its first answer on the other: " + ", ".join(f"{s * 1000:.0f} ms" for s in seconds)
      + f" (median {statistics.median(seconds) * 1000:.0f} ms; the poll alone would take up to 1,000 ms)")
PY
  stop_all
fi
echo
echo "| set-up (2 cores shared with PostgreSQL, haproxy and wrk) | 50,000 x 120 upload, median to 303 | API req/s, lending-club, one applicant with reasons |"
echo "|---|---|---|"
awk '{split($2,u,"="); split($NF,r,"="); printf "| %s | %s s | %s |\n", $1, u[2], r[2]}' "$tmp/results.txt"
