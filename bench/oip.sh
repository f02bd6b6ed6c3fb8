#!/usr/bin/env bash
# Open Inference Protocol benchmark (issue 16): requests/s for one applicant over REST JSON
# tensors, REST binary tensors (Triton's extension, binary outputs too) and gRPC
# (raw_input_contents). Prints figures, asserts nothing (speed is not a test).
#   bash bench/oip.sh                              # ~2 minutes after the release build
#   DURATION=10s CONNECTIONS=32 SCRATCH=.build-oip bash bench/oip.sh
#   LOANRISK_BIN=path/to/loanrisk bash bench/oip.sh   # that binary, no build
# REST: wrk -t2 -c$CONNECTIONS --latency, POST /v2/models/lending-club/infer with the body
# bench/oip_bodies.py writes (the first row of Data/samples/lending-club-sample.csv).
# gRPC: bench/oip_grpc_load.py, 2 processes x CONNECTIONS/2 calls in flight, the same row.
# One protocol at a time against one release server on 127.0.0.1; the 2 cores are shared by
# the server and the load generator: that is how the figures are defined.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20s}
connections=${CONNECTIONS:-32}
scratch=${SCRATCH:-.build}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
python3 -c "import grpc, tritonclient.grpc" 2>/dev/null || python3 -m pip install -q -r tests/api/requirements.txt

tmp=$(mktemp -d -t loanrisk-oip-bench.XXXXXX)
bin=${LOANRISK_BIN:-}
if [ -z "$bin" ]; then
  echo "== building (release, $scratch)"
  if ! swift build -c release --scratch-path "$scratch" --product loanrisk >"$tmp/build.log" 2>&1; then
    tail -n 30 "$tmp/build.log" >&2; rm -rf "$tmp"; exit 1
  fi
  bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)/loanrisk
fi
echo "== server: $bin"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
grpc_port=$(free_port)
LOANRISK_ROOT=$PWD DATABASE_PATH="$tmp/bench.sqlite" LOG_LEVEL=warning GRPC_PORT=$grpc_port \
  "$bin" serve --hostname 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || { echo "server did not start:" >&2; tail "$tmp/server.log" >&2; exit 1; }
  sleep 0.2
done

python3 bench/oip_bodies.py "$tmp"
url="http://127.0.0.1:$port/v2/models/lending-club/infer"
# The answers agree before anything is timed.
curl -fsS -H 'Content-Type: application/json' --data-binary @"$tmp/oip.json" "$url" >/dev/null
curl -fsS -H 'Content-Type: application/octet-stream' -H "Inference-Header-Content-Length: $(cat "$tmp/oip.bin.header")" \
  --data-binary @"$tmp/oip.bin" "$url" -o /dev/null

post_script() {  # body file, extra header line (lua), script path
  cat >"$3" <<LUA
local f = io.open("$1", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
$2
LUA
}
post_script "$tmp/oip.json" 'wrk.headers["Content-Type"] = "application/json"' "$tmp/json.lua"
post_script "$tmp/oip.bin" "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"
wrk.headers[\"Inference-Header-Content-Length\"] = \"$(cat "$tmp/oip.bin.header")\"" "$tmp/bin.lua"

seconds=${duration%s}
summary() { grep -E "Requests/sec|99%|50%" | tr -s ' ' | sed 's/^/  /'; }
echo "== REST JSON tensors ($connections connections, $duration, one applicant, $(wc -c <"$tmp/oip.json") bytes)"
wrk -t2 -c"$connections" -d3s -s "$tmp/json.lua" "$url" >/dev/null
wrk -t2 -c"$connections" -d"$duration" --latency -s "$tmp/json.lua" "$url" | summary
echo "== REST binary tensors, binary outputs ($(wc -c <"$tmp/oip.bin") bytes)"
wrk -t2 -c"$connections" -d3s -s "$tmp/bin.lua" "$url" >/dev/null
wrk -t2 -c"$connections" -d"$duration" --latency -s "$tmp/bin.lua" "$url" | summary
echo "== gRPC ModelInfer, raw_input_contents ($(wc -c <"$tmp/oip.grpc") bytes)"
python3 bench/oip_grpc_load.py "127.0.0.1:$grpc_port" "$tmp/oip.grpc" 2 $((connections / 2)) "$seconds" 3
