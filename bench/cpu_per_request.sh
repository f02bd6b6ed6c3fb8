#!/usr/bin/env bash
# Server CPU time per single-applicant POST /api/v1/predict, and where it goes: the figure
# before/after decisions rest on while other work shares the machine (wrk's requests/s
# swing with the load; the server's own CPU seconds per request much less).
#   bash bench/cpu_per_request.sh BINARY [QUERY] [SECONDS]     # QUERY e.g. "" or "?reasons=0"
#   PROFILE=/tmp/predict.perf bash bench/cpu_per_request.sh …   # also a perf profile (perf report -i)
# Starts the release server on a fresh database, warms it up, then runs wrk (-t1 -c16, the
# body of bench/reasons_ceiling.sh) for SECONDS (default 10) while `perf stat -e task-clock`
# counts the server's CPU time (every thread: request path, audit writer, traffic monitor).
# Prints CPU µs per request. (valgrind 3.19 from Debian crashes on start-up of Swift 6.3
# binaries — an internal SIGSEGV even with --tool=none — and this machine has no hardware
# counters for `perf stat -e instructions`, so task-clock it is.)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/malloc-env  # the server runs with bin/web's malloc settings
root=$PWD
bin=$1
query=${2:-}
seconds=${3:-10}
tmp=$(mktemp -d -t loanrisk-cpu.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOANRISK_ROOT=$root DATABASE_PATH=$tmp/bench.sqlite LOG_LEVEL=warning \
  "$bin" serve --hostname 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
pid=$!
deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.2
done
python3 bench/one_applicant.py "$tmp/one.json"
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open("$tmp/one.json", "rb"))
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
LUA
url="http://127.0.0.1:$port/api/v1/predict$query"
wrk -t1 -c16 -d3s -s "$tmp/post.lua" "$url" >/dev/null
if [ -n "${PROFILE:-}" ]; then
  perf record -e cpu-clock -F 1999 -g -p "$pid" -o "$PROFILE" -- sleep "$seconds" >/dev/null 2>&1 &
else
  perf stat -e task-clock -x, -o "$tmp/stat.txt" -p "$pid" -- sleep "$seconds" &
fi
perf_pid=$!
wrk -t1 -c16 -d"${seconds}s" -s "$tmp/post.lua" "$url" > "$tmp/wrk.txt"
wait "$perf_pid"
requests=$(sed -n 's/^RESULT requests=\([0-9]*\).*/\1/p' "$tmp/wrk.txt")
non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$tmp/wrk.txt")
if [ -n "${PROFILE:-}" ]; then
  echo "requests: $requests (non-2xx: ${non2xx:-0}); profile in $PROFILE"
else
  msec=$(awk -F, '/task-clock/ {print $1; exit}' "$tmp/stat.txt")
  python3 -c "import sys; ms, n = float(sys.argv[1]), int(sys.argv[2]); print(f'server CPU {ms / 1000:.2f} s for {n} requests = {ms * 1000 / n:.1f} us per request (non-2xx: ${non2xx:-0}, load {open(\"/proc/loadavg\").read().split()[0]})')" "$msec" "$requests"
fi
