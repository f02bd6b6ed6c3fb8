#!/usr/bin/env bash
# Do two builds render the pages byte for byte the same? Starts each binary in turn (a fresh
# SQLite database each, a lending-club challenger, a drift webhook that nobody answers), walks
# the same pages with bench/pages_fetch.py (uploads, batch views, rows, reviews, model cards,
# challenger, monitoring, docs, error pages) and diffs the HTML. Batch ids, request ids, CSRF
# tokens, times and the port are masked; nothing else. Exit 0 when identical.
#   bash bench/pages_diff.sh OLD_BINARY NEW_BINARY
#   bash bench/pages_diff.sh --save FILE BINARY      # keep one build's pages
#   bash bench/pages_diff.sh --against FILE BINARY   # compare a build with kept pages
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d -t loanrisk-pages-diff.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pages() {  # binary output
  local port token
  port=$(free_port)
  token=pages-diff-$RANDOM$RANDOM$RANDOM$RANDOM
  # The webhook's port is closed: each drift event's one delivery fails, and is listed.
  LOANRISK_ROOT=$root DATABASE_PATH=$tmp/db-$RANDOM.sqlite ADMIN_TOKEN=bench:$token \
    MONITOR_MIN_APPLICANTS=10 DRIFT_WEBHOOK_URL=http://127.0.0.1:$(free_port)/drift DRIFT_WEBHOOK_ATTEMPTS=1 \
    "$1" serve --hostname 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "$1 did not start" >&2; cat "$tmp/server.log" >&2; exit 1; }
    sleep 0.2
  done
  python3 bench/pages_fetch.py --url "http://127.0.0.1:$port" --admin "$token" --out "$2"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

case "${1:-}" in
  --save) pages "$3" "$2"; echo "saved $(grep -c '^== ' "$2") pages to $2" ;;
  --against) pages "$3" "$tmp/new.txt"; reference=$2 ;;
  *) pages "$1" "$tmp/old.txt"; pages "$2" "$tmp/new.txt"; reference=$tmp/old.txt ;;
esac
if [ -n "${reference:-}" ]; then
  if cmp -s "$reference" "$tmp/new.txt"; then
    echo "identical: $(grep -c '^== ' "$tmp/new.txt") pages, $(wc -c <"$tmp/new.txt") bytes"
  else
    diff "$reference" "$tmp/new.txt" | head -n 40
    echo "DIFFERENT pages" >&2
    exit 1
  fi
fi
