#!/usr/bin/env bash
# The JSON API benchmark: prints figures, asserts nothing (speed is not a test).
#   bash bench/api.sh                       # ~2 minutes after the release build
#   DURATION=10s BATCH_RUNS=3 bash bench/api.sh
# 1. single-applicant POSTs with wrk (-t2 -c32, --latency) against LoanRisk (release,
#    POST /api/v1/predict: with its four reasons, the default, then with ?reasons=0) and against
#    the yardstick bench/peer_fastapi.py (FastAPI + uvicorn with 2 workers + pydantic + pandas +
#    LightGBM, POST /predict, which gives no reasons), the same body (the first row of
#    Data/samples/lending-club-sample.csv), one server at a time;
# 2. one request of 1,000 applicants ({"applicants": [...]}) to LoanRisk, timed with curl, with
#    reasons and with ?reasons=0.
# Everything listens on 127.0.0.1 only. The machine has 2 cores that the server under test and
# wrk share: that is how the figures are defined.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/malloc-env  # the server runs with bin/web's malloc settings
root=$PWD
duration=${DURATION:-30s}
warmup=${WARMUP:-3s}
connections=${CONNECTIONS:-32}
batch_runs=${BATCH_RUNS:-5}
batch_size=${BATCH_SIZE:-1000}

if ! command -v wrk >/dev/null; then
  echo "== installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if ! python3 -c "import fastapi, uvicorn, uvloop, httptools, lightgbm, pandas" 2>/dev/null; then
  echo "== installing the peer's packages"
  python3 -m pip install -q -r training/requirements.txt -r bench/peer_requirements.txt
fi

tmp=$(mktemp -d -t loanrisk-api-bench.XXXXXX)
echo "== building (release)"
if ! swift build -c release --product loanrisk >"$tmp/build.log" 2>&1; then
  tail -n 30 "$tmp/build.log" >&2
  rm -rf "$tmp"
  exit 1
fi
bin=$(swift build -c release --show-bin-path)/loanrisk
[ -x "$bin" ] || { echo "no release binary at $bin" >&2; rm -rf "$tmp"; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() {  # url, seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "no answer from $1 within $2 s" >&2; return 1; }
    sleep 0.2
  done
}

stop() {  # pid
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Bodies: one applicant (the first sample row, numbers as JSON numbers) and a batch.
python3 - "$tmp" "$batch_size" <<'PY'
import csv, json, sys
tmp, size = sys.argv[1], int(sys.argv[2])
bundle = json.load(open("Data/models/lending-club/bundle.json"))
rows = list(csv.DictReader(open("Data/samples/lending-club-sample.csv", newline="")))
def applicant(row, suffix=""):
    out = {bundle["id_column"]: row[bundle["id_column"]] + suffix}
    for f in bundle["features"]:
        text = row[f["name"]].strip()
        if text == "":
            out[f["name"]] = None
        elif f["kind"] == "categorical":
            out[f["name"]] = text
        elif f["kind"] == "integer" and text.lstrip("-").isdigit():
            out[f["name"]] = int(text)
        else:
            out[f["name"]] = float(text)
    return out
json.dump(applicant(rows[0]), open(f"{tmp}/one.json", "w"))
batch = [applicant(rows[i % len(rows)], f"-{i // len(rows)}") for i in range(size)]
json.dump({"applicants": batch}, open(f"{tmp}/batch.json", "w"))
PY

cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open("$tmp/one.json", "rb"))
wrk.body = f:read("*a")
f:close()

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA

run_wrk() {  # label url
  echo "== wrk $1: warm-up $warmup, then -t2 -c$connections -d$duration --latency"
  wrk -t2 -c"$connections" -d"$warmup" -s "$tmp/post.lua" "$2" >/dev/null
  wrk -t2 -c"$connections" -d"$duration" --timeout 5s --latency -s "$tmp/post.lua" "$2" | tee "$tmp/wrk-$1.txt"
}

# ---- LoanRisk (release)
port=$(free_port)
echo "== LoanRisk on 127.0.0.1:$port"
LOANRISK_ROOT=$root DATABASE_PATH=$tmp/bench.sqlite \
  "$bin" serve --hostname 127.0.0.1 --port "$port" >"$tmp/loanrisk.log" 2>&1 &
lr_pid=$!
pids+=("$lr_pid")
wait_for "http://127.0.0.1:$port/readyz" 30
curl -fsS -H 'Content-Type: application/json' --data-binary @"$tmp/one.json" \
  "http://127.0.0.1:$port/api/v1/predict" > "$tmp/answer-loanrisk.json"
echo "answer: $(cat "$tmp/answer-loanrisk.json")"
run_wrk loanrisk "http://127.0.0.1:$port/api/v1/predict"
run_wrk loanrisk-noreasons "http://127.0.0.1:$port/api/v1/predict?reasons=0"

run_batch() {  # label query
  echo "== batch $1: $batch_size applicants in one request, $batch_runs runs ($(du -k "$tmp/batch.json" | cut -f1) KB body)"
  curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary @"$tmp/batch.json" \
    "http://127.0.0.1:$port/api/v1/predict$2"  # warm-up
  : > "$tmp/batch-times-$1.txt"
  for _ in $(seq "$batch_runs"); do
    curl -sS -o "$tmp/batch-answer.json" -w '%{http_code} %{time_total}\n' -H 'Expect:' \
      -H 'Content-Type: application/json' --data-binary @"$tmp/batch.json" \
      "http://127.0.0.1:$port/api/v1/predict$2" | tee -a "$tmp/batch-times-$1.txt"
  done
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; assert len(r)==int(sys.argv[2]), len(r)" \
    "$tmp/batch-answer.json" "$batch_size"
}
run_batch reasons ""
run_batch noreasons "?reasons=0"
stop "$lr_pid"

# ---- the yardstick: FastAPI + uvicorn (2 workers) + pandas + LightGBM
port=$(free_port)
echo "== peer (FastAPI + uvicorn, 2 workers) on 127.0.0.1:$port"
python3 bench/peer_fastapi.py --host 127.0.0.1 --port "$port" --workers 2 >"$tmp/peer.log" 2>&1 &
peer_pid=$!
pids+=("$peer_pid")
wait_for "http://127.0.0.1:$port/healthz" 60
curl -fsS -H 'Content-Type: application/json' --data-binary @"$tmp/one.json" \
  "http://127.0.0.1:$port/predict" > "$tmp/answer-peer.json"
echo "answer: $(cat "$tmp/answer-peer.json")"
run_wrk peer "http://127.0.0.1:$port/predict"
stop "$peer_pid"

python3 - "$tmp" "$batch_size" <<'PY'
import json, re, statistics, sys
tmp, size = sys.argv[1], int(sys.argv[2])
def wrk(label):
    text = open(f"{tmp}/wrk-{label}.txt").read()
    fields = dict(kv.split("=") for kv in re.search(r"^RESULT (.*)$", text, re.M).group(1).split())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    fields["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    return {k: float(v) for k, v in fields.items()}
lr, bare, peer = wrk("loanrisk"), wrk("loanrisk-noreasons"), wrk("peer")
a, b = json.load(open(f"{tmp}/answer-loanrisk.json")), json.load(open(f"{tmp}/answer-peer.json"))
print()
print("| single applicant, wrk -t2 -c32 (2 cores shared with wrk) | LoanRisk (Swift, release), 4 reasons | LoanRisk, ?reasons=0 | FastAPI + LightGBM (2 workers), no reasons | ratio (with reasons) |")
print("|---|---|---|---|---|")
print(f"| requests/s | **{lr['rps']:,.0f}** | {bare['rps']:,.0f} | {peer['rps']:,.0f} | {lr['rps'] / peer['rps']:.1f}x |")
print(f"| p50 latency | **{lr['p50_ms']:.2f} ms** | {bare['p50_ms']:.2f} ms | {peer['p50_ms']:.2f} ms | {peer['p50_ms'] / lr['p50_ms']:.1f}x |")
print(f"| p99 latency | **{lr['p99_ms']:.2f} ms** | {bare['p99_ms']:.2f} ms | {peer['p99_ms']:.2f} ms | {peer['p99_ms'] / lr['p99_ms']:.1f}x |")
print(f"| requests (errors, non-2xx) | {lr['requests']:,.0f} ({lr['errors']:.0f}, {lr['non2xx']:.0f}) | {bare['requests']:,.0f} ({bare['errors']:.0f}, {bare['non2xx']:.0f}) | {peer['requests']:,.0f} ({peer['errors']:.0f}, {peer['non2xx']:.0f}) | |")
same = a["probability_of_default"] == b["probability_of_default"] and a["decision"] == b["decision"]
print(f"| same answer | {a['probability_of_default']!r} {a['decision']} ({len(a.get('reasons', []))} reasons) | | {b['probability_of_default']!r} {b['decision']} | {'identical' if same else 'DIFFERENT'} |")
for label, title in (("reasons", "with reasons"), ("noreasons", "?reasons=0")):
    times = [float(line.split()[1]) for line in open(f"{tmp}/batch-times-{label}.txt") if line.startswith("200 ")]
    if not times:
        print(f"batch {label}: no 200 answers", file=sys.stderr)
        sys.exit(1)
    best, median = min(times), statistics.median(times)
    print()
    print(f"| {size:,} applicants in one JSON request to LoanRisk, {title} ({len(times)} runs) | best | median |")
    print("|---|---|---|")
    print(f"| time (curl time_total) | {best * 1000:.1f} ms | {median * 1000:.1f} ms |")
    print(f"| rows/s | **{size / best:,.0f}** | {size / median:,.0f} |")
PY
