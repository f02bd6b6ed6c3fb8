#!/usr/bin/env bash
# Upload benchmark (issues 4 and 12): the 50,000 x 120 workload through the real server with
# curl, as a browser's form post, and its drifted copy (ten columns in other units, every row
# with warnings), taken in turn. Prints the time to the 303, to the first results page, each
# file's median and their ratio, and the server's peak RSS. Loopback only. `Expect:` is cleared as a browser does: curl otherwise
# waits up to a second for a 100-continue before sending a large body.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/malloc-env  # the server runs with bin/web's malloc settings
work=bench/work
runs=${RUNS:-3}
port=${PORT:-18080}
[ -f "$work/model.txt" ] || python3 training/bench_workload.py --out "$work"
[ -f "$work/drifted.csv" ] || python3 bench/make_drifted.py "$work/applicants.csv" "$work/drifted.csv"
swift build -c release --product loanrisk >/dev/null
bin=$(swift build -c release --show-bin-path)/loanrisk
db=$(mktemp -d)/bench.sqlite
MODEL="$work/model.txt" DATABASE_PATH="$db" MAX_UPLOAD_MB=200 LOG_LEVEL=${LOG_LEVEL:-warning} \
  "$bin" serve --hostname 127.0.0.1 --port "$port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done

jar=$(mktemp)
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')
# Each upload leaves background work (its features, the audit log's reason codes: TreeSHAP,
# ~20 s on one thread for this model); wait for the server to go quiet so that no upload
# shares the cores with the one before it.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
wait_quiet() {
  local before after
  for _ in $(seq 120); do
    before=$(cpu_ticks); sleep 1; after=$(cpu_ticks)
    [ $((after - before)) -lt 5 ] && return
  done
}
times=$(mktemp)
for i in $(seq "$runs"); do
  for name in applicants drifted; do
    file="$work/$name.csv"
    wait_quiet
    read -r to303 location < <(curl -s -b "$jar" -H 'Expect:' -o /dev/null -w '%{time_total} %{redirect_url}\n' \
      -F "csrf=$token" -F "file=@$file;type=text/csv" "http://127.0.0.1:$port/batches")
    page=$(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$location")
    total=$(python3 -c "print(round($to303 + $page, 3))")
    echo "$name $total" >> "$times"
    echo "run $i, $name.csv ($(du -h "$file" | cut -f1)): upload to 303 ${to303} s; first results page ${page} s; to results page $total s"
  done
done
python3 - "$times" <<'PY'
import statistics, sys
seen = {}
for line in open(sys.argv[1]):
    name, total = line.split()
    seen.setdefault(name, []).append(float(total))
medians = {name: statistics.median(values) for name, values in seen.items()}
for name, median in medians.items():
    print(f"{name}.csv median to results page: {median:.3f} s")
print(f"drifted / in-range: {medians['drifted'] / medians['applicants']:.2f}x")
PY
echo "server peak RSS: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
