#!/usr/bin/env bash
# How soon a running server serves what `loanrisk models` changed in its database (issue 11):
# starts `loanrisk serve` on 127.0.0.1, registers and promotes lending-club 1.1.0 with the CLI,
# then asks POST /api/v1/predict every 10 ms until the answer names 1.1.0; then rolls back and
# waits for 2.1.0. Prints each pick-up time, from the CLI's return to the first answer by the
# new version. RUNS (default 3) rounds; BUILD=0 uses the release binary already built.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
port=${PORT:-18095}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
[ "${BUILD:-1}" = 0 ] || swift build -c release --product loanrisk >/dev/null
bin=$(swift build -c release --show-bin-path)/loanrisk
bash bench/make_variant.sh lending-club 1.1.0 "$work/v2" >/dev/null
db=$work/pickup.sqlite
DATABASE_PATH=$db LOG_LEVEL=error "$bin" serve --hostname 127.0.0.1 --port "$port" &
server=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.05; done
body='{}'
served() {
  curl -s -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/predict" \
    | python3 -c "import json,sys; print(json.load(sys.stdin)['model']['version'])"
}
wait_for() {
  local start=$1 version=$2
  while [ "$(served)" != "$version" ]; do sleep 0.01; done
  python3 -c "import time; print(f'{time.time() - $start:.2f}')"
}
"$bin" models register "$work/v2" --database "$db" >/dev/null
for i in $(seq "$runs"); do
  "$bin" models promote lending-club 1.1.0 --database "$db" >/dev/null
  up=$(wait_for "$(date +%s.%N)" 1.1.0)
  "$bin" models rollback lending-club --database "$db" >/dev/null
  down=$(wait_for "$(date +%s.%N)" 2.1.0)
  echo "run $i: promote served after ${up} s, rollback after ${down} s"
done
