#!/usr/bin/env bash
# Upload benchmark (issue 4): the 50,000 x 120 workload through the real server with curl,
# as a browser's form post. Prints the time to the 303, to the first results page, and the
# server's peak RSS. Loopback only. `Expect:` is cleared as a browser does: curl otherwise
# waits up to a second for a 100-continue before sending a large body.
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work
runs=${RUNS:-3}
port=${PORT:-18080}
[ -f "$work/model.txt" ] || python3 training/bench_workload.py --out "$work"
swift build -c release --product loanrisk >/dev/null
bin=$(swift build -c release --show-bin-path)/loanrisk
db=$(mktemp -d)/bench.sqlite
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} MODEL="$work/model.txt" DATABASE_PATH="$db" MAX_UPLOAD_MB=200 LOG_LEVEL=${LOG_LEVEL:-warning} \
  "$bin" serve --hostname 127.0.0.1 --port "$port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

jar=$(mktemp)
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')
size=$(du -h "$work/applicants.csv" | cut -f1)
echo "file: $work/applicants.csv ($size, $(($(wc -l < "$work/applicants.csv") - 1)) rows)"
for i in $(seq "$runs"); do
  read -r to303 location < <(curl -s -b "$jar" -H 'Expect:' -o /dev/null -w '%{time_total} %{redirect_url}\n' \
    -F "csrf=$token" -F "file=@$work/applicants.csv;type=text/csv" "http://127.0.0.1:$port/batches")
  page=$(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$location")
  echo "run $i: upload to 303 ${to303} s; first results page ${page} s; to results page $(python3 -c "print(round($to303 + $page, 3))") s"
done
echo "server peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
