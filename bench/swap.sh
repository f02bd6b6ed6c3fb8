#!/usr/bin/env bash
# Zero-downtime model hot swap under load: prints figures and fails (exit 1) if a single
# request failed or got a mixed answer, or a swap failed.
#   bash bench/swap.sh                      # ~1 minute after the release build
#   DURATION=60 SWAPS=200 bash bench/swap.sh
#   BUILD=0 bash bench/swap.sh              # use the release binary already built
# 1. builds the release server and makes a second version of the bundled lending-club model in
#    bench/work/swap (model.txt with `sigmoid:0.9` instead of `sigmoid:1`, so every probability
#    differs; bundle.json with version 1.1.0 and the new sha256; no golden.csv);
# 2. starts the server on 127.0.0.1 with an admin token, registers 1.1.0 through the admin API
#    and asks each version once for the probability of examples/lending-club-one.json;
# 3. runs wrk (-t2 -c64, --latency, DURATION seconds, default 20) on POST /api/v1/predict with
#    that applicant while the champion alias moves 2.1.0 <-> 1.1.0 SWAPS times (default 50),
#    spread evenly over the run, through PUT /admin/v1/models/lending-club/aliases/champion;
#    bench/swap/check.lua checks every answer: status 200 and a (model.version,
#    probability_of_default) pair that is one of the two expected ones, never one version's
#    probability under the other's label ("mixed");
# 4. prints requests/s, p50/p99, requests, failed (non-200 + socket errors), mixed, swaps done
#    and failed, the median swap time, and the server's RSS before and after the swaps.
# Everything listens on 127.0.0.1 only; the 2 cores are shared by the server, wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/malloc-env  # the server runs with bin/web's malloc settings
root=$PWD
work=bench/work/swap
port=${PORT:-18090}
duration=${DURATION:-20}
duration=${duration%s}           # "20s" works too
swaps=${SWAPS:-50}
warmup=${WARMUP:-3}
warmup=${warmup%s}
connections=${CONNECTIONS:-64}
query=${QUERY:-}                 # e.g. QUERY='?reasons=0'
name=lending-club
v1=2.1.0
v2=1.1.0

if ! command -v wrk >/dev/null; then
  echo "== installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

rm -rf "$work"
mkdir -p "$work/v2"
if [ "${BUILD:-1}" != 0 ]; then
  echo "== building (release)"
  if ! swift build -c release --product loanrisk >"$work/build.log" 2>&1; then
    tail -n 30 "$work/build.log" >&2
    exit 1
  fi
fi
bin=$(swift build -c release --show-bin-path)/loanrisk
[ -x "$bin" ] || { echo "no release binary at $bin" >&2; exit 1; }

# ---- version 1.1.0: the same trees, a different sigmoid, so every probability changes
bash bench/make_variant.sh "$name" "$v2" "$work/v2"

# ---- the server
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/readyz"; then
  echo "something already answers on 127.0.0.1:$port (set PORT)" >&2
  exit 1
fi
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
base=http://127.0.0.1:$port
auth="Authorization: Bearer $token"
server=""
swapper=""
cleanup() {
  [ -z "$swapper" ] || kill "$swapper" 2>/dev/null || true
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap cleanup EXIT
echo "== LoanRisk on 127.0.0.1:$port"
LOANRISK_ROOT=$root DATABASE_PATH=$work/bench.sqlite ADMIN_TOKEN="bench:$token" LOG_LEVEL=warning \
  "$bin" serve --hostname 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server=$!
deadline=$((SECONDS + 60))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" 2>/dev/null)" = 200 ]; do
  kill -0 "$server" 2>/dev/null || { echo "the server exited:" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "no 200 from $base/readyz within 60 s" >&2; exit 1; }
  sleep 0.2
done

promote() {  # version -> prints "<http status> <seconds>", the answer in $work/promote.json
  curl -s -o "$work/promote.json" -w '%{http_code} %{time_total}\n' -X PUT -H "$auth" \
    -H 'Content-Type: application/json' -d "{\"version\":\"$1\"}" "$base/admin/v1/models/$name/aliases/champion"
}

predict() {  # -> prints "<version> <probability as the server wrote it>"
  curl -fsS -H 'Content-Type: application/json' --data-binary @examples/lending-club-one.json \
    "$base/api/v1/predict?reasons=0" | python3 -c '
import json, re, sys
text = sys.stdin.read()
print(json.loads(text)["model"]["version"], re.search(r"\"probability_of_default\"\s*:\s*([-+0-9.eE]+)", text).group(1))'
}

status=$(curl -s -o "$work/register.json" -w '%{http_code}' -H "$auth" \
  -F "model=@$work/v2/model.txt" -F "bundle=@$work/v2/bundle.json" "$base/admin/v1/models/$name/versions")
echo "register $v2: HTTP $status $(cat "$work/register.json")"
[ "$status" = 201 ] || { echo "registering $v2 answered $status, not 201" >&2; exit 1; }

read -r got1 p1 < <(predict)
read -r status _ < <(promote "$v2")
[ "$status" = 200 ] || { echo "promoting $v2 answered $status: $(cat "$work/promote.json")" >&2; exit 1; }
read -r got2 p2 < <(predict)
read -r status _ < <(promote "$v1")
[ "$status" = 200 ] || { echo "promoting $v1 back answered $status: $(cat "$work/promote.json")" >&2; exit 1; }
read -r got3 p3 < <(predict)
echo "expected: $got1 -> $p1, $got2 -> $p2 (back to $got3 -> $p3)"
[ "$got1" = "$v1" ] && [ "$got2" = "$v2" ] && [ "$got3" = "$v1" ] && [ "$p3" = "$p1" ] \
  || { echo "the champion did not move as asked" >&2; exit 1; }
[ "$p1" != "$p2" ] || { echo "both versions give $p1: the check could not tell them apart" >&2; exit 1; }

script=bench/swap/check.lua
args=(-- "$v1" "$p1" "$v2" "$p2" examples/lending-club-one.json)
url="$base/api/v1/predict$query"

echo "== warm-up: wrk -t2 -c$connections -d${warmup}s"
wrk -t2 -c"$connections" -d"${warmup}s" -s "$script" "$url" "${args[@]}" > "$work/wrk-warmup.txt"
grep '^RESULT' "$work/wrk-warmup.txt" | sed 's/^RESULT /warm-up: /'
rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }  # kB
rss_before=$(rss)

# ---- the run: wrk in the background, the swaps on a fixed schedule meanwhile
interval=$(awk -v d="$duration" -v n="$swaps" 'BEGIN { printf "%.6f", d / (n + 1) }')
echo "== wrk -t2 -c$connections -d${duration}s --latency $url, $swaps champion swaps every ${interval} s"
wrk -t2 -c"$connections" -d"${duration}s" --timeout 5s --latency -s "$script" "$url" "${args[@]}" > "$work/wrk.txt" 2>&1 &
wrk_pid=$!
start=$EPOCHREALTIME
: > "$work/swaps.txt"
(
  for i in $(seq "$swaps"); do
    if [ $((i % 2)) = 1 ]; then target=$v2; else target=$v1; fi
    pause=$(awk -v s="$start" -v now="$EPOCHREALTIME" -v i="$i" -v iv="$interval" 'BEGIN { p = s + i * iv - now; printf "%.6f", (p > 0 ? p : 0) }')
    sleep "$pause"
    at=$(awk -v s="$start" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.3f", now - s }')
    read -r code seconds < <(curl -s -o "$work/swap-answer.json" -w '%{http_code} %{time_total}\n' -X PUT -H "$auth" \
      -H 'Content-Type: application/json' -d "{\"version\":\"$target\"}" "$base/admin/v1/models/$name/aliases/champion" || echo "000 0")
    echo "$i $at $target $code $seconds" >> "$work/swaps.txt"
    [ "$code" = 200 ] || echo "swap $i to $target: HTTP $code $(cat "$work/swap-answer.json" 2>/dev/null)" >> "$work/swap-failures.txt"
  done
) &
swapper=$!
wait "$swapper" || true
swapper=""
wait "$wrk_pid" || { echo "wrk failed:" >&2; cat "$work/wrk.txt" >&2; exit 1; }
rss_after=$(rss)
cat "$work/wrk.txt"
[ ! -s "$work/swap-failures.txt" ] || cat "$work/swap-failures.txt"

champion=$(curl -s -H "$auth" "$base/admin/v1/models" | python3 -c '
import json, sys
print(next(m["champion"] for m in json.load(sys.stdin)["models"] if m["name"] == sys.argv[1]))' "$name")
logged=$(grep -ciE 'error|critical' "$work/server.log" || true)

swap_status=0
python3 - "$work" "$swaps" "$rss_before" "$rss_after" "$champion" "$logged" "$v1" "$v2" <<'PY' || swap_status=$?
import re, statistics, sys
work, planned, before, after, champion, logged, v1, v2 = sys.argv[1:]
planned, before, after = int(planned), int(before), int(after)
text = open(f"{work}/wrk.txt").read()
r = dict(kv.split("=") for kv in re.search(r"^RESULT (.*)$", text, re.M).group(1).split())
r = {k: float(v) for k, v in r.items()}
swaps = [line.split() for line in open(f"{work}/swaps.txt")]
good = [float(s[4]) for s in swaps if s[3] == "200"]
failed_swaps = len(swaps) - len(good) + (planned - len(swaps))
print()
print("| hot swap under load, wrk -t2 -c64 (2 cores shared with wrk) | |")
print("|---|---|")
print(f"| requests/s | **{r['rps']:,.0f}** |")
print(f"| p50 / p99 latency | {r['p50_ms']:.2f} ms / {r['p99_ms']:.2f} ms (max {r['max_ms']:.1f} ms) |")
print(f"| requests | {r['requests']:,.0f} in {r['seconds']:.1f} s ({r['served1']:,.0f} answered by {v1}, {r['served2']:,.0f} by {v2}) |")
print(f"| failed (non-200 + socket errors) | **{r['failed']:.0f}** ({r['non200']:.0f} non-200; connect {r['connect']:.0f}, read {r['read']:.0f}, write {r['write']:.0f}, timeout {r['timeout']:.0f}) |")
print(f"| mixed (version and probability disagree) | **{r['mixed']:.0f}** ({r['crossed']:.0f} crossed, {r['other']:.0f} other) |")
if good:
    print(f"| champion swaps done / failed | {len(good)} / **{failed_swaps}** (planned {planned}) |")
    print(f"| swap time (PUT to its answer) | median {statistics.median(good) * 1000:.1f} ms, max {max(good) * 1000:.1f} ms |")
else:
    print(f"| champion swaps done / failed | 0 / **{failed_swaps}** (planned {planned}) |")
print(f"| server RSS before / after the swaps | {before / 1024:.1f} MB / {after / 1024:.1f} MB ({(after - before) / before * 100:+.1f} %) |")
print(f"| champion after the run | {champion} |")
if int(logged):
    print(f"server log: {logged} line(s) mention an error, see {work}/server.log")
bad = r["failed"] > 0 or r["mixed"] > 0 or failed_swaps > 0
if bad:
    print("FAILED: " + ", ".join(x for x in (
        f"{r['failed']:.0f} failed requests" if r["failed"] else "",
        f"{r['mixed']:.0f} mixed answers" if r["mixed"] else "",
        f"{failed_swaps} failed swaps" if failed_swaps else "") if x), file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# ---- the cost of a challenger: the same load with the champion alone, then with $v2 shadow-scoring
cduration=${CHALLENGER_DURATION:-15}
read -r status _ < <(promote "$v1")
[ "$status" = 200 ] || { echo "promoting $v1 answered $status" >&2; exit 1; }
rate() { grep '^RESULT' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
echo
echo "== challenger cost: wrk -t2 -c$connections -d${cduration}s, champion $v1 alone, then with challenger $v2"
wrk -t2 -c"$connections" -d"${cduration}s" --latency -s "$script" "$url" "${args[@]}" > "$work/wrk-alone.txt"
status=$(curl -s -o "$work/challenger.json" -w '%{http_code}' -X PUT -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"version\":\"$v2\"}" "$base/admin/v1/models/$name/aliases/challenger")
[ "$status" = 200 ] || { echo "setting the challenger answered $status: $(cat "$work/challenger.json")" >&2; exit 1; }
wrk -t2 -c"$connections" -d"${cduration}s" --latency -s "$script" "$url" "${args[@]}" > "$work/wrk-shadow.txt"
sleep 1  # the last pairs are written within 200 ms
pairs=$(curl -s -H "$auth" "$base/admin/v1/models/$name/challenger" | python3 -c 'import json, sys; print(json.load(sys.stdin)["pairs"])')
python3 - "$(rate "$work/wrk-alone.txt" rps)" "$(rate "$work/wrk-shadow.txt" rps)" "$(rate "$work/wrk-alone.txt" p99_ms)" \
  "$(rate "$work/wrk-shadow.txt" p99_ms)" "$(rate "$work/wrk-shadow.txt" requests)" "$pairs" "$(rate "$work/wrk-shadow.txt" failed)" <<'PY'
import sys
alone, shadow, p99a, p99s, requests, pairs, failed = map(float, sys.argv[1:])
print("| champion alone vs with a challenger | alone | with challenger |")
print("|---|---|---|")
print(f"| requests/s | {alone:,.0f} | {shadow:,.0f} ({(shadow - alone) / alone * 100:+.1f} %) |")
print(f"| p99 latency | {p99a:.2f} ms | {p99s:.2f} ms |")
print(f"| answers / shadow pairs kept | | {requests:,.0f} / {pairs:,.0f} ({pairs / requests * 100:.1f} %) |")
print(f"| failed | | {failed:.0f} |")
PY
exit "$swap_status"
