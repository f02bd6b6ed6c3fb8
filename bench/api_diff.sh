#!/usr/bin/env bash
# Do two builds answer the JSON API byte for byte the same? Starts each release binary in
# turn (a fresh database each), posts the same varied requests to both
# (bench/api_responses.py: every golden row of the three bundles, variants with strings,
# nulls, unknown fields, out-of-range values and unseen categories, batches, errors; reasons
# 0, 4 and 10 and contributions) and diffs the answers. Exit 0 when identical.
#   bash bench/api_diff.sh OLD_BINARY NEW_BINARY
#   bash bench/api_diff.sh --save FILE BINARY      # keep one build's answers
#   bash bench/api_diff.sh --against FILE BINARY   # compare a build with kept answers
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d -t loanrisk-api-diff.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

answers() {  # binary output
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  LOANRISK_ROOT=$root DATABASE_PATH=$tmp/db-$RANDOM.sqlite "$1" serve --hostname 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "$1 did not start" >&2; cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
  python3 bench/api_responses.py --url "http://127.0.0.1:$port" --out "$2"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

case "${1:-}" in
  --save) answers "$3" "$2"; echo "saved $(grep -c '^== ' "$2") answers to $2" ;;
  --against) answers "$3" "$tmp/new.txt"; reference=$2 ;;
  *) answers "$1" "$tmp/old.txt"; answers "$2" "$tmp/new.txt"; reference=$tmp/old.txt ;;
esac
if [ -n "${reference:-}" ]; then
  if cmp -s "$reference" "$tmp/new.txt"; then
    echo "identical: $(grep -c '^== ' "$tmp/new.txt") answers"
  else
    diff "$reference" "$tmp/new.txt" | head -n 40
    echo "DIFFERENT answers" >&2
    exit 1
  fi
fi
