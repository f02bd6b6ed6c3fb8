#!/usr/bin/env bash
# Issue 31: what answering only once the audit record is durable costs. Prints figures,
# asserts nothing.
#   BEFORE_BIN=… AFTER_BIN=… bash bench/audit_commit.sh      # two release builds of loanrisk
#   BEFORE=6d612c4 bash bench/audit_commit.sh                  # builds both (release; slow)
#   ROUNDS=4 DURATION=10s CONNECTIONS="32 256" bash bench/audit_commit.sh
# `before` is a build whose audit log buffers records and commits them every 100 ms (answers
# leave before their record is written); `after` is this tree's: each answer waits for the
# group commit that carries its record. Both servers run throughout (127.0.0.1, each its own
# SQLite file), and in each round wrk -t2 --latency posts the same one-applicant body
# (bench/one_applicant.py, four reasons, the default) to one then the other, the order
# alternating between rounds: paired rounds, so a busy minute of the machine hits both. The
# machine's 2 cores are shared by the server under test and wrk; the load average before each
# round is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/malloc-env  # the servers run with bin/web's malloc settings
root=$PWD
duration=${DURATION:-10s}
warmup=${WARMUP:-2s}
rounds=${ROUNDS:-4}
connections=${CONNECTIONS:-32}
scratch=${SCRATCH:-$root/.build}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

tmp=$(mktemp -d -t loanrisk-audit-commit.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

build() {  # source folder, where the binary goes
  (cd "$1" && swift build -c release --scratch-path "$scratch" --product loanrisk >"$tmp/build.log" 2>&1) || { tail -n 30 "$tmp/build.log" >&2; exit 1; }
  cp "$(cd "$1" && swift build -c release --scratch-path "$scratch" --show-bin-path)/loanrisk" "$2"
}
if [ -z "${AFTER_BIN:-}" ]; then
  echo "== building this tree (release, $scratch)"
  AFTER_BIN=$tmp/loanrisk-after
  build "$root" "$AFTER_BIN"
fi
if [ -z "${BEFORE_BIN:-}" ]; then
  [ -n "${BEFORE:-}" ] || { echo "set BEFORE_BIN, or BEFORE=<commit> to build it" >&2; exit 2; }
  echo "== building $BEFORE (release, same scratch folder: the dependencies are reused)"
  mkdir "$tmp/before-src"
  git archive "$BEFORE" | tar -x -C "$tmp/before-src"
  BEFORE_BIN=$tmp/loanrisk-before
  build "$tmp/before-src" "$BEFORE_BIN"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
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

declare -A urls
for variant in before after; do
  port=$(free_port)
  binary=BEFORE_BIN
  [ "$variant" = after ] && binary=AFTER_BIN
  mkdir "$tmp/$variant"
  LOANRISK_ROOT=$root DATABASE_PATH=$tmp/$variant/bench.sqlite LOG_LEVEL=warning \
    "${!binary}" serve --hostname 127.0.0.1 --port "$port" >"$tmp/$variant/server.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/readyz"
  urls[$variant]="http://127.0.0.1:$port/api/v1/predict"
done

: > "$tmp/results.txt"
for round in $(seq "$rounds"); do
  echo "== round $round, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  order="before after"
  [ $((round % 2)) -eq 0 ] && order="after before"
  for c in $connections; do
    for variant in $order; do
      wrk -t2 -c"$c" -d"$warmup" -s "$tmp/post.lua" "${urls[$variant]}" >/dev/null
      line=$(wrk -t2 -c"$c" -d"$duration" --timeout 5s --latency -s "$tmp/post.lua" "${urls[$variant]}" | grep '^RESULT')
      echo "$round $c $variant $line" | tee -a "$tmp/results.txt"
    done
  done
done

python3 - "$tmp/results.txt" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    round_, c, variant, _, *fields = line.split()
    values = dict(f.split("=") for f in fields)
    runs[(int(c), variant)][int(round_)] = (float(values["rps"]), float(values["p99_ms"]), int(values["errors"]))
print()
print("| connections | buffered (before) req/s, p99 | group commit (after) req/s, p99 | after / before, req/s (median) | p99 after − before (median) |")
print("|---|---|---|---|---|")
for c in sorted({k[0] for k in runs}):
    before, after = runs[(c, "before")], runs[(c, "after")]
    cell = lambda r: ", ".join(f"{r[k][0]:,.0f} ({r[k][1]:.2f} ms{'' if r[k][2] == 0 else f', {r[k][2]} errors'})" for k in sorted(r))
    paired = [k for k in sorted(before) if k in after]
    ratio = statistics.median(after[k][0] / before[k][0] for k in paired)
    p99 = statistics.median(after[k][1] - before[k][1] for k in paired)
    print(f"| {c} | {cell(before)} | {cell(after)} | {ratio:.3f} | {p99:+.2f} ms |")
PY
