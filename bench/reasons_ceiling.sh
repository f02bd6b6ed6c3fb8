#!/usr/bin/env bash
# Issue 16: one applicant with reasons against the HTTP ceiling. Prints figures, asserts nothing.
#   bash bench/reasons_ceiling.sh                 # builds, then ~2 minutes per round
#   ROUNDS=3 DURATION=10s CONNECTIONS="32 256" bash bench/reasons_ceiling.sh
#   LOANRISK_BIN=… ECHO_BIN=… bash bench/reasons_ceiling.sh   # binaries already built
# In each round, for each connection count, wrk -t2 --latency posts the same body (the first
# row of Data/samples/lending-club-sample.csv, bench/one_applicant.py) to:
#   echo     bench/Sources/echo-bench: a bare Hummingbird handler answering with the body,
#            NIO's default of one event loop per core;
#   echo-el  the same echo with LoanRisk's default EVENT_LOOP_THREADS (half the cores);
#   reasons  LoanRisk POST /api/v1/predict (four reasons, the default);
#   bare     LoanRisk POST /api/v1/predict?reasons=0.
# Both servers run throughout (release builds, 127.0.0.1), so the three are measured in the
# same minutes; the machine's 2 cores are shared by the server under test and wrk. The load
# average before each round is printed: figures from a busy machine mean little.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/malloc-env  # the server runs with bin/web's malloc settings
root=$PWD
duration=${DURATION:-10s}
warmup=${WARMUP:-2s}
rounds=${ROUNDS:-2}
connections=${CONNECTIONS:-"32 256"}
scratch=${SCRATCH:-$root/.build}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

tmp=$(mktemp -d -t loanrisk-ceiling.XXXXXX)
if [ -z "${LOANRISK_BIN:-}" ] || [ -z "${ECHO_BIN:-}" ]; then
  echo "== building (release, $scratch)"
  for product in loanrisk echo-bench; do
    swift build -c release --scratch-path "$scratch" --product "$product" >"$tmp/build.log" 2>&1 || { tail -n 30 "$tmp/build.log" >&2; exit 1; }
  done
  bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
  LOANRISK_BIN=${LOANRISK_BIN:-$bin/loanrisk}
  ECHO_BIN=${ECHO_BIN:-$bin/echo-bench}
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null -X "${2:-GET}" "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "no answer from $1" >&2; exit 1; }
    sleep 0.2
  done
}

python3 bench/one_applicant.py "$tmp/one.json"
cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open("$tmp/one.json", "rb"))
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA

echo_port=$(free_port)
HOST=127.0.0.1 PORT=$echo_port "$ECHO_BIN" >"$tmp/echo.log" 2>&1 &
pids+=($!)
lr_port=$(free_port)
LOANRISK_ROOT=$root DATABASE_PATH=$tmp/bench.sqlite LOG_LEVEL=warning \
  "$LOANRISK_BIN" serve --hostname 127.0.0.1 --port "$lr_port" >"$tmp/loanrisk.log" 2>&1 &
lr_pid=$!
pids+=($lr_pid)
wait_for "http://127.0.0.1:$lr_port/readyz"
# The echo-el ceiling runs as many event loops as the LoanRisk server actually does (NIO names
# their threads NIO-ELT-…), rather than a second guess at its default.
loops=$(cat /proc/$lr_pid/task/*/comm | grep -c '^NIO-ELT-')
echo_el_port=$(free_port)
HOST=127.0.0.1 PORT=$echo_el_port EVENT_LOOP_THREADS=$loops "$ECHO_BIN" >"$tmp/echo-el.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$echo_port/api/v1/predict" POST
wait_for "http://127.0.0.1:$echo_el_port/api/v1/predict" POST
echo "answer ($(wc -c < "$tmp/one.json") bytes posted): $(curl -fsS -H 'Content-Type: application/json' --data-binary @"$tmp/one.json" "http://127.0.0.1:$lr_port/api/v1/predict" | wc -c) bytes with reasons"

declare -A urls=(
  [echo]="http://127.0.0.1:$echo_port/api/v1/predict"
  [echo-el]="http://127.0.0.1:$echo_el_port/api/v1/predict"
  [reasons]="http://127.0.0.1:$lr_port/api/v1/predict"
  [bare]="http://127.0.0.1:$lr_port/api/v1/predict?reasons=0"
)
: > "$tmp/results.txt"
for round in $(seq "$rounds"); do
  echo "== round $round, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  for c in $connections; do
    for target in echo echo-el reasons bare; do
      wrk -t2 -c"$c" -d"$warmup" -s "$tmp/post.lua" "${urls[$target]}" >/dev/null
      line=$(wrk -t2 -c"$c" -d"$duration" --timeout 5s --latency -s "$tmp/post.lua" "${urls[$target]}" | grep '^RESULT')
      echo "$round $c $target $line" | tee -a "$tmp/results.txt"
    done
  done
done

python3 - "$tmp/results.txt" <<'PY'
import re, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    round_, c, target, _, *fields = line.split()
    values = dict(f.split("=") for f in fields)
    runs[(int(c), target)].append((float(values["rps"]), float(values["p99_ms"]), int(values["errors"])))
print()
print("| connections | echo req/s (p99) | echo, LoanRisk's event loops | 4 reasons req/s (p99) | ?reasons=0 req/s (p99) | reasons / echo | reasons=0 / echo | reasons / echo-el |")
print("|---|---|---|---|---|---|---|---|")
for c in sorted({k[0] for k in runs}):
    def cell(target):
        return ", ".join(f"{r:,.0f} ({p:.2f} ms{'' if e == 0 else f', {e} errors'})" for r, p, e in runs[(c, target)])
    ratio = lambda t, base="echo": ", ".join(f"{a[0] / b[0]:.2f}" for a, b in zip(runs[(c, t)], runs[(c, base)]))
    print(f"| {c} | {cell('echo')} | {cell('echo-el')} | {cell('reasons')} | {cell('bare')} | {ratio('reasons')} | {ratio('bare')} | {ratio('reasons', 'echo-el')} |")
PY
