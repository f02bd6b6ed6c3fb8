#!/usr/bin/env bash
# Hardening benchmark (issue 16), on a release server with its default settings, loopback only:
#  1. a 4 MB .csv.gz that inflates to 4 GiB, alone and three at once: the answer and the
#     server's peak RSS (VmHWM: first, so that nothing else has raised it);
#  2. `curl -F file=@…` of a 2 MB file with curl's own Expect: 100-continue: its total time;
#  3. the 66 MB 50,000 x 120 workload as .csv and as .csv.gz, in turn: time to the 303; with
#     BASELINE_BIN (an older release binary), the same uploads to it too, alternating, so the
#     two builds are compared in the same minutes;
#  4. on a fresh server (its RSS is theirs alone), 3,000 connections that send headers and one
#     byte of a 100 KB body: how long the server holds them, its RSS meanwhile, and a normal
#     request's time while they are held.
set -euo pipefail
cd "$(dirname "$0")/.."
work=bench/work
port=${PORT:-18090}
runs=${RUNS:-3}
[ -f "$work/model.txt" ] || python3 training/bench_workload.py --out "$work"
# LOANRISK_BIN: a release binary already built (else this builds one).
if [ -z "${LOANRISK_BIN:-}" ]; then
  swift build -c release --product loanrisk >/dev/null
  LOANRISK_BIN=$(swift build -c release --show-bin-path)/loanrisk
fi
bin=$LOANRISK_BIN
tmp=$(mktemp -d)
servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
start() {  # binary port database: starts a server and waits for it; its pid in $started
  MODEL="$work/model.txt" DATABASE_PATH="$3" LOG_LEVEL=${LOG_LEVEL:-warning} "$1" serve --hostname 127.0.0.1 --port "$2" &
  started=$!
  servers+=("$started")
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$2/readyz" >/dev/null && break; sleep 0.1; done
}
start "$bin" "$port" "$tmp/bench.sqlite"
server=$started
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$server/status"; }
hwm() { awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$server/status"; }
echo "idle server: RSS $(rss)"

bomb="$tmp/bomb.csv.gz"
python3 - "$bomb" <<'PY'
import sys, zlib
c = zlib.compressobj(9, zlib.DEFLATED, 31); block = b"\0" * (64 << 20)
with open(sys.argv[1], "wb") as f:
    f.write(c.compress(b"id,loan_amnt\n"))
    for _ in range(64): f.write(c.compress(block))
    f.write(c.flush())
PY
jar="$tmp/jar"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')
post() {  # file label [port jar token]
  curl -s -b "${4:-$jar}" -H 'Expect:' -o "$tmp/page.$2" -w '%{http_code} %{time_total}' -F "csrf=${5:-$token}" -F "file=@$1" "http://127.0.0.1:${3:-$port}/batches"
}
echo "bomb: $(du -h "$bomb" | cut -f1) of gzip inflating to 4 GiB"
echo "  alone: $(post "$bomb" 0) (HTTP status, seconds); $(grep -o 'larger than the [0-9]* MB limit' "$tmp/page.0" | head -1); peak RSS $(hwm)"
pids=()
for i in 1 2 3; do post "$bomb" "$i" > "$tmp/bomb.$i" & pids+=($!); done
wait "${pids[@]}"
echo "  three at once: $(cat "$tmp"/bomb.1) / $(cat "$tmp"/bomb.2) / $(cat "$tmp"/bomb.3); peak RSS $(hwm)"

head -c 2000000 "$work/applicants.csv" | head -n -1 > "$tmp/two-mb.csv"
echo "curl -F of a 2 MB file, curl's Expect: 100-continue left on: $(curl -s -b "$jar" -o /dev/null -w '%{http_code} %{time_total} s' -F "csrf=$token" -F "file=@$tmp/two-mb.csv" "http://127.0.0.1:$port/batches")"

gzip -1 -c "$work/applicants.csv" > "$tmp/applicants.csv.gz"
echo "the workload, $(du -h "$work/applicants.csv" | cut -f1) as .csv and $(du -h "$tmp/applicants.csv.gz" | cut -f1) as .csv.gz, taken in turn:"
cpu_ticks() { local t=0 pid; for pid in "${servers[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$t"; }
wait_quiet() {  # the previous upload's background work (features, cells, reason codes) settles
  local before after
  for _ in $(seq 120); do before=$(cpu_ticks); sleep 1; after=$(cpu_ticks); [ $((after - before)) -lt 5 ] && return 0; done
  return 0
}
if [ -n "${BASELINE_BIN:-}" ]; then
  base_port=$((port + 1))
  start "$BASELINE_BIN" "$base_port" "$tmp/baseline.sqlite"
  base_jar="$tmp/base-jar"
  base_token=$(curl -s -c "$base_jar" "http://127.0.0.1:$base_port/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//;s/"//')
fi
for i in $(seq "$runs"); do
  wait_quiet; plain=$(post "$work/applicants.csv" plain)
  wait_quiet; gz=$(post "$tmp/applicants.csv.gz" gz)
  line="  run $i: .csv $plain, .csv.gz $gz"
  if [ -n "${BASELINE_BIN:-}" ]; then
    wait_quiet; base_plain=$(post "$work/applicants.csv" base-plain "$base_port" "$base_jar" "$base_token")
    wait_quiet; base_gz=$(post "$tmp/applicants.csv.gz" base-gz "$base_port" "$base_jar" "$base_token")
    line="$line; baseline .csv $base_plain, .csv.gz $base_gz"
  fi
  echo "$line (HTTP status, seconds to the 303)"
done
echo "server peak RSS so far: $(hwm)"
kill "${servers[@]}" 2>/dev/null || true
wait "${servers[@]}" 2>/dev/null || true
servers=()
start "$bin" "$port" "$tmp/fresh.sqlite"
server=$started
echo "fresh server for the stalled connections: RSS $(rss)"
python3 - "$port" "$server" <<'PY'
import socket, sys, time, selectors, urllib.request
port, pid = int(sys.argv[1]), sys.argv[2]
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"): return int(line.split()[1]) // 1024
socks = []
for _ in range(3000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /api/v1/predict HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
    socks.append(s)
opened = time.monotonic()
body = open("examples/lending-club-one.json", "rb").read()
t = time.monotonic()
req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/predict", data=body, headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=30).read()
print(f"3,000 stalled bodies open: RSS {rss()} MB; one predict meanwhile {1000 * (time.monotonic() - t):.1f} ms")
sel = selectors.DefaultSelector()
for s in socks:
    s.setblocking(False); sel.register(s, selectors.EVENT_READ)
closed = []
while len(closed) < len(socks) and time.monotonic() - opened < 120:
    for key, _ in sel.select(timeout=0.5):
        try:
            data = key.fileobj.recv(65536)
        except OSError:
            data = b""
        if not data:
            closed.append(time.monotonic() - opened); sel.unregister(key.fileobj)
closed.sort()
if closed:
    print(f"closed {len(closed)} of 3,000: first after {closed[0]:.1f} s, last after {closed[-1]:.1f} s; RSS after {rss()} MB")
else:
    print(f"none of the 3,000 closed within 120 s; RSS {rss()} MB")
PY

