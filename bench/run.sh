#!/usr/bin/env bash
# Runs the benchmarks of issue 6: builds the bench servers and the load generator in Release, then runs every
# scenario against ours (bench/DotnetServer), the reference (bench/node-server.mjs, npm socket.io) and the control
# (bench/ControlServer), and writes a Markdown report under bench/results/. Scenario 6 (issue 11) runs two nodes of
# ours (--redis, the classic Redis adapter) and of the reference (@socket.io/redis-adapter) on a private redis-server
# (a free loopback port, no persistence, killed at the end); it is skipped when redis-server is missing (fails under CI=true).
# "ours" is the default configuration (AddSocketIo + MapSocketIo); "direct" is ours with UseSocketIoDirectWebSockets()
# and runs scenarios 1, 2 and 7 (issue 15: idle memory, fan-out, serial acks on one connection) beside it.
#
#   bash bench/run.sh                 the full run (about 50-55 minutes on 2 cores)
#   bash bench/run.sh --scenarios 1,2,7                         issue 15's figures (about 30-35 minutes)
#   bash bench/run.sh --smoke         a few seconds with small counts (scripts/test.sh runs this)
#   bash bench/run.sh --reps 3 --scenarios 2,3 --servers ours,reference
#   bash bench/run.sh --scenarios 6 --servers ours,reference      the Redis cluster only (about 2 minutes)
#   BENCH_INLINE=1 bash bench/run.sh --scenarios 7 --reps 3     ours and the control with Kestrel's inline scheduling
#
# Everything listens on and connects to loopback only; the servers are child processes that stop with the run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

[[ -d node_modules/socket.io ]] || npm ci --no-audit --no-fund

if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
  for project in bench/DotnetServer bench/ControlServer bench/LoadGenerator; do
    dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
  done
fi

exec dotnet bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll "$@"
