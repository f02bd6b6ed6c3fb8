#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests: Debian's postgresql binaries,
# a fresh data folder, trust authentication on 127.0.0.1 only.
#   tests/postgres/cluster.sh start [port]   prints the DATABASE_URL to use
#   tests/postgres/cluster.sh stop  [port]
#   tests/postgres/cluster.sh pause|resume [port]   stops the server keeping its data, starts it again (an outage)
# With LOANRISK_PG_SSL_CERT and LOANRISK_PG_SSL_KEY (PEM files) set at start, the server also
# accepts TLS with that certificate (tests/tls checks sslmode=verify-full); without, no TLS.
# As root (CI), the server runs as the postgres user, which Debian's package creates.
set -euo pipefail
action=${1:-start}
port=${2:-55432}
dir=${LOANRISK_PG_DIR:-/tmp/loanrisk-pg-$port}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Tests, not durability: no fsync; enough connections for the suite's servers.
serve() {
  local ssl=""
  [ -f "$dir/server.key" ] && ssl="-c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 $ssl" \
    start >/dev/null
}

case "$action" in
  start)
    if [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "postgres://loanrisk@127.0.0.1:$port/loanrisk?sslmode=disable"
      exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-instructions -E UTF8 >/dev/null
    if [ -n "${LOANRISK_PG_SSL_CERT:-}" ] && [ -n "${LOANRISK_PG_SSL_KEY:-}" ]; then
      # PostgreSQL refuses a key file others can read; it must be the server user's own.
      cp "$LOANRISK_PG_SSL_CERT" "$dir/server.crt"
      cp "$LOANRISK_PG_SSL_KEY" "$dir/server.key"
      chmod 600 "$dir/server.key"
      [ "$(id -u)" = 0 ] && chown postgres "$dir/server.crt" "$dir/server.key"
    fi
    serve
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE ROLE loanrisk LOGIN SUPERUSER" postgres
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE loanrisk OWNER loanrisk" postgres
    echo "postgres://loanrisk@127.0.0.1:$port/loanrisk?sslmode=disable"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  pause)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    serve
    ;;
  *)
    echo "usage: $0 start|stop|pause|resume [port]" >&2
    exit 2
    ;;
esac
