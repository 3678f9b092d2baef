#!/usr/bin/env bash
# A local three-node marketplace to try: three instances of src/MarketplaceEvents on http://127.0.0.1:5001, :5002 and
# :5003, sharing one PostgreSQL database (Storage:Postgres), one Redis (Realtime:Redis, with Realtime:RedisStreams:
# broadcasts and recovery sessions in Redis Streams) and one signing key. Ctrl+C stops everything it started.
#
#   scripts/three-nodes.sh                                  # private Redis and PostgreSQL in a temporary folder
#   scripts/three-nodes.sh --redis 127.0.0.1:6379 --postgres "Host=127.0.0.1;Username=postgres;Database=marketplace"
#
# Options:
#   --redis CONFIG       a Redis to use (StackExchange.Redis configuration or redis:// URL) instead of a private one
#   --postgres CONN      a PostgreSQL to use (Npgsql connection string) instead of a private one
#   --base-port PORT     the first node's port (default 5001; the others follow)
#   --no-build           run the existing Release build
#
# There is no load balancer in front: every node serves the page and the API, and a client stays on the node it
# was given. A browser page opened on one node's URL uses that node only (long-polling needs that: see "Running
# several nodes" in README.md for sticky sessions behind nginx or HAProxy). Kill a node (kill -9, its pid is printed)
# and watch the others: its clients' users go offline for the rest once the cluster notices (Realtime:NodeTimeout),
# and a client that reconnects to another node resumes its session there.
#
# Needs the .NET SDK and Node (to pick free ports and mint tokens); redis-server and PostgreSQL (Debian's packages:
# redis-server, postgresql) unless --redis and --postgres are given.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_PORT=5001
REDIS=""
POSTGRES=""
BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --redis) REDIS=$2; shift 2 ;;
    --postgres) POSTGRES=$2; shift 2 ;;
    --base-port) BASE_PORT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "three-nodes.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

DLL="$ROOT/src/MarketplaceEvents/bin/Release/net10.0/MarketplaceEvents.dll"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/three-nodes-XXXXXXXX")
NODE_PIDS=()
REDIS_PID=""
PG_PID=""
PG_IN=""
SLEEPER=""

# Children must not inherit the write end of PostgreSQL's stdin: it would keep the server alive after cleanup.
close_pg_in() {
  if [[ -n "$PG_IN" ]]; then exec {PG_IN}>&-; fi
}

cleanup() {
  trap - EXIT INT TERM
  echo
  echo "Stopping..."
  if [[ -n "$SLEEPER" ]]; then kill "$SLEEPER" 2>/dev/null || true; fi
  for pid in "${NODE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${NODE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  # Closing its stdin stops the private PostgreSQL and deletes its folder (scripts/private-postgres.sh).
  if [[ -n "$PG_PID" ]]; then
    close_pg_in
    wait "$PG_PID" 2>/dev/null || true
  fi
  if [[ -n "$REDIS_PID" ]]; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for_port() {
  local port=$1 what=$2 tries=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    tries=$((tries + 1))
    if [[ $tries -gt 200 ]]; then echo "three-nodes.sh: $what did not start on port $port" >&2; exit 1; fi
    sleep 0.05
  done
}

if [[ $BUILD -eq 1 ]]; then
  echo "Building src/MarketplaceEvents (Release)..."
  dotnet build "$ROOT/src/MarketplaceEvents" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; exit 1; }
fi
[[ -f "$DLL" ]] || { echo "three-nodes.sh: $DLL is missing (run without --no-build)" >&2; exit 1; }

if [[ -z "$REDIS" ]]; then
  command -v redis-server >/dev/null || { echo "three-nodes.sh: redis-server is not installed; give --redis" >&2; exit 1; }
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  wait_for_port "$port" redis-server
  REDIS="127.0.0.1:$port"
fi

if [[ -z "$POSTGRES" ]]; then
  # A private cluster that lives as long as this script holds its stdin open (a FIFO, closed by cleanup).
  mkfifo "$WORK/pg.in" "$WORK/pg.out"
  bash "$ROOT/scripts/private-postgres.sh" <"$WORK/pg.in" >"$WORK/pg.out" 2>"$WORK/postgres.log" &
  PG_PID=$!
  exec {PG_IN}>"$WORK/pg.in"
  if ! read -r -t 60 started port <"$WORK/pg.out" || [[ "$started" != started ]]; then
    cat "$WORK/postgres.log" >&2
    echo "three-nodes.sh: PostgreSQL did not start" >&2
    exit 1
  fi
  POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

KEY=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')
for i in 0 1 2; do
  port=$((BASE_PORT + i))
  mkdir -p "$WORK/node$i"
  # Each node in a folder of its own (nothing lands in the repository); all three start at once and migrate the
  # schema once between them (an advisory lock).
  (close_pg_in && cd "$WORK/node$i" && exec dotnet "$DLL" --urls "http://127.0.0.1:$port" \
    --Storage:Postgres="$POSTGRES" --Realtime:Redis="$REDIS" --Realtime:RedisStreams=true \
    --Auth:SigningKey="$KEY" >"$WORK/node$i.log" 2>&1) &
  NODE_PIDS+=($!)
done
for i in 0 1 2; do
  tries=0
  until grep -q "MarketplaceEvents listening on" "$WORK/node$i.log" 2>/dev/null; do
    tries=$((tries + 1))
    if ! kill -0 "${NODE_PIDS[$i]}" 2>/dev/null || [[ $tries -gt 1200 ]]; then
      tail -n 40 "$WORK/node$i.log" >&2
      echo "three-nodes.sh: node $i did not start" >&2
      exit 1
    fi
    sleep 0.05
  done
done

tokens=$(KEY="$KEY" node -e '
  const { createHmac } = require("crypto");
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  for (const [sub, name, role] of [["buyer-1", "Sample Buyer", "user"], ["provider-1", "Sample Provider", "provider"], ["admin-1", "Sample Admin", "admin"]]) {
    const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub, name, role, iat: now, exp: now + 86400 })}`;
    console.log(`  ${role.padEnd(8)} ${body}.${createHmac("sha256", process.env.KEY).update(body).digest("base64url")}`);
  }')

cat <<EOF

Three marketplace nodes are running:
  node 0  http://127.0.0.1:$BASE_PORT/   (pid ${NODE_PIDS[0]})
  node 1  http://127.0.0.1:$((BASE_PORT + 1))/   (pid ${NODE_PIDS[1]})
  node 2  http://127.0.0.1:$((BASE_PORT + 2))/   (pid ${NODE_PIDS[2]})
Redis:      $REDIS
PostgreSQL: $POSTGRES
Signing key (Auth:SigningKey): $KEY
Sample tokens (24 h; paste one into a page, or io(url, { auth: { token: "Bearer <token>" } })):
$tokens
Logs: $WORK/node*.log
Try: a buyer page on node 0 and a provider page on node 1, then kill -9 ${NODE_PIDS[0]}.
Ctrl+C stops everything.
EOF

# Until Ctrl+C (the nodes may die one by one meanwhile: that is what one tries here).
while :; do
  (close_pg_in && exec sleep 3600) &
  SLEEPER=$!
  wait "$SLEEPER" || true
done
