#!/usr/bin/env bash
# Issue 33: what checking an API key costs a JSON API request. Prints figures, asserts nothing.
#   bash bench/api_key_cost.sh                       # builds the release binary first
#   LOANRISK_BIN=.build/release/loanrisk ROUNDS=3 SECONDS_EACH=10 bash bench/api_key_cost.sh
# One release server on a fresh SQLite database, one applicant (bench/one_applicant.py, the body
# of bench/reasons_ceiling.sh), POST /api/v1/predict?reasons=0 (the cheapest request, so the
# key's share is the largest it can be) under wrk -t1 -c16, measured two ways in turn, ROUNDS
# times: with a key made by `loanrisk keys create` (SHA-256 of the key, one dictionary lookup,
# the key's token bucket and last-use mark), and with no key required (AUTH=off, the loopback-only
# switch). For each: requests/s, and the server's CPU µs per request (`perf stat -e task-clock`,
# as bench/cpu_per_request.sh: steadier than requests/s on a shared machine). The key's cost is
# the ratio with/without. A build without the AUTH=off switch (it answers 401 to a request
# without a key) is reported as such, and only the keyed figures are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bin/malloc-env ] && source bin/malloc-env
root=$PWD
rounds=${ROUNDS:-3}
seconds=${SECONDS_EACH:-10}
query=${QUERY:-"?reasons=0"}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
if [ -z "${LOANRISK_BIN:-}" ]; then
  echo "== building (release)"
  swift build -c release --product loanrisk >/tmp/api-key-cost-build.log 2>&1 || { tail -n 30 /tmp/api-key-cost-build.log >&2; exit 1; }
  LOANRISK_BIN=$(swift build -c release --show-bin-path)/loanrisk
fi
tmp=$(mktemp -d -t loanrisk-keycost.XXXXXX)
pid=""
stop_server() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export LOANRISK_ROOT=$root DATABASE_PATH=$tmp/bench.sqlite LOG_LEVEL=warning
key=$("$LOANRISK_BIN" keys create --name bench --scope predict --rate-per-minute 1000000 2>/dev/null | tail -n 1)

start_server() {  # $1: extra environment (AUTH=off or nothing)
  env $1 "$LOANRISK_BIN" serve --hostname 127.0.0.1 --port "$port" >>"$tmp/server.log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
}

python3 bench/one_applicant.py "$tmp/one.json"
lua() {  # $1: the Authorization header's value, or empty
  cat <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if "$1" ~= "" then wrk.headers["Authorization"] = "$1" end
local f = assert(io.open("$tmp/one.json", "rb"))
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.1f errors=%d\n", summary.requests, summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
LUA
}
lua "Bearer $key" > "$tmp/keyed.lua"
lua "" > "$tmp/open.lua"
url="http://127.0.0.1:$port/api/v1/predict$query"

measure() {  # $1: label, $2: lua script → "label rps cpu_us non2xx"
  wrk -t1 -c16 -d3s -s "$2" "$url" >/dev/null
  perf stat -e task-clock -x, -o "$tmp/stat.txt" -p "$pid" -- sleep "$seconds" &
  local perf_pid=$!
  wrk -t1 -c16 -d"${seconds}s" -s "$2" "$url" > "$tmp/wrk.txt"
  wait "$perf_pid"
  local requests rps non2xx msec
  requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$tmp/wrk.txt")
  rps=$(sed -n 's/^RESULT .*rps=\([0-9.]*\).*/\1/p' "$tmp/wrk.txt")
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$tmp/wrk.txt")
  msec=$(awk -F, '/task-clock/ {print $1; exit}' "$tmp/stat.txt")
  python3 -c "import sys; print(sys.argv[1], sys.argv[2], f'{float(sys.argv[3]) * 1000 / int(sys.argv[4]):.2f}', sys.argv[5] or 0)" "$1" "$rps" "$msec" "$requests" "${non2xx:-}" | tee -a "$tmp/results.txt"
}

: > "$tmp/results.txt"
open_works=""
for round in $(seq "$rounds"); do
  echo "== round $round, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  start_server ""
  measure key "$tmp/keyed.lua"
  stop_server
  start_server "AUTH=off"
  if [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$tmp/one.json" "$url")" = 200 ]; then
    open_works=yes
    measure none "$tmp/open.lua"
  else
    echo "this build has no AUTH=off switch (a request without a key is refused): only the keyed figures"
  fi
  stop_server
done

python3 - "$tmp/results.txt" <<'PY'
import sys, statistics
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
by = {label: [(float(r), float(c), int(n)) for l, r, c, n in rows if l == label] for label in ("key", "none")}
print()
print("| requests | req/s (median) | server CPU µs/request (median) | non-2xx |")
print("|---|---|---|---|")
for label, runs in by.items():
    if runs:
        print(f"| {'with a key' if label == 'key' else 'no key required'} | {statistics.median(r for r, _, _ in runs):,.0f} | "
              f"{statistics.median(c for _, c, _ in runs):.2f} | {sum(n for _, _, n in runs)} |")
if by["key"] and by["none"]:
    rps = statistics.median(r for r, _, _ in by["key"]) / statistics.median(r for r, _, _ in by["none"])
    cpu = statistics.median(c for _, c, _ in by["key"]) / statistics.median(c for _, c, _ in by["none"])
    print(f"\nwith a key / without: requests/s {rps:.3f} ({(rps - 1) * 100:+.1f} %), server CPU per request {cpu:.3f} ({(cpu - 1) * 100:+.1f} %)")
PY
