#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster: initdb in a fresh temporary folder, the server on 127.0.0.1:PORT (a free
# port is picked when none is given), trust authentication for the `postgres` user, fsync off (nothing in it has to
# survive a crash). Prints one line, `started <port>`, once the server accepts connections, then keeps it running
# until its standard input closes or it gets SIGINT/SIGTERM: then a fast shutdown, and the folder is deleted. Tying
# the server to stdin is what makes it die with whatever started it, even when that is killed with SIGKILL.
#
#   bash scripts/private-postgres.sh [PORT]        # connection: Host=127.0.0.1;Port=PORT;Username=postgres;Database=postgres
#
# initdb refuses to run as root: as root, the cluster is created and run as the `postgres` user (Debian's package
# creates it). Used by interop-tests/lib/postgres.mjs and scripts/three-nodes.sh; the .NET tests have the same steps
# in tests/MarketplaceEvents.Tests/Postgres/PostgresServer.cs. Needs Debian's postgresql package (or initdb and
# postgres on PATH).
set -euo pipefail

find_bin() {
  local dir newest
  # Debian keeps each major version apart; the newest (sorted as versions: 9 before 10).
  newest=$(for dir in /usr/lib/postgresql/*/bin; do [[ -x "$dir/initdb" && -x "$dir/postgres" ]] && echo "$dir"; done | sort -V | tail -n 1)
  if [[ -n "$newest" ]]; then echo "$newest"; return; fi
  if command -v initdb >/dev/null && command -v postgres >/dev/null; then dirname "$(command -v initdb)"; return; fi
  return 1
}

free_port() {
  # Asks the kernel for a free loopback port (Node is there whenever these scripts run).
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Runs as the cluster's owner: creates, starts, waits for stdin to close (or a signal), stops, deletes.
serve() {
  local bin=$1 dir=$2 port=$3 pid=""
  stop() {
    trap - INT TERM
    if [[ -n "$pid" ]]; then
      kill -INT "$pid" 2>/dev/null || true   # fast shutdown
      wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
  }
  trap 'stop; exit 0' INT TERM
  if ! "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    stop
    exit 1
  fi
  "$bin/postgres" -D "$dir/data" -p "$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$dir" \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 >"$dir/server.log" 2>&1 &
  pid=$!
  local tries=0
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; do
    tries=$((tries + 1))
    if ! kill -0 "$pid" 2>/dev/null || [[ $tries -gt 300 ]]; then
      echo "private-postgres: the server did not start on port $port" >&2
      cat "$dir/server.log" >&2
      pid=""
      stop
      exit 1
    fi
    sleep 0.1
  done
  echo "started $port"
  # Until whoever started us closes our stdin (when done, or when it dies). In the background and waited for, so that
  # a signal is handled at once; stdin passed explicitly, since a background command's own is /dev/null.
  exec 3<&0
  cat <&3 >/dev/null &
  wait $! || true
  stop
}

bin=$(find_bin) || { echo "private-postgres: PostgreSQL is not installed (no initdb)" >&2; exit 1; }
port=${1:-$(free_port)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/marketplace-pg-XXXXXXXX")

if [[ $(id -u) -eq 0 ]]; then
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  # The function's text is handed over, not this file's path: the checkout need not be readable by `postgres`.
  exec runuser -u postgres -- bash -c "set -euo pipefail; $(declare -f serve); serve \"\$@\"" serve "$bin" "$dir" "$port"
fi
serve "$bin" "$dir" "$port"
