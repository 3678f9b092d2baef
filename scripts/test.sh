#!/usr/bin/env bash
# Runs every test of the repository: the .NET test projects, the packages (packed into a folder feed, and a sample
# app built from it with the JIT and as native AOT: scripts/consumer-check.sh), then the Node interop tests (the real
# npm clients against the fixture server and against that sample), then the benchmark harness in its smoke mode
# (bench/run.sh --smoke). Needs only the .NET SDK, Node and npm (and a C toolchain for the native AOT link). Exits
# non-zero if any step or any test fails, and ends with one line: "N passed, N failed" (dotnet, node, the benchmark
# smoke run and the package check together).
#
# Results are kept in TestResults/test-sh/: dotnet/*.trx and interop.tap.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/TestResults/test-sh"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "test.sh: '$tool' is not on PATH" >&2; exit 1; }
done

started=$SECONDS
step() {
  printf '\n==> %s (%ss so far)\n' "$*" "$((SECONDS - started))"
}

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

step "npm dependencies"
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

step "dotnet restore"
dotnet restore Marketplace.sln

step "dotnet build (Release)"
dotnet build Marketplace.sln -c Release --no-restore

step "postgresql (for the PostgreSQL store tests and the PostgreSQL adapter's tests)"
# Each test run starts its own cluster with initdb in a temporary folder (tests/MarketplaceEvents.Tests/Postgres).
# Debian's package is installed when missing and this runs as root (CI does); elsewhere those tests are skipped,
# except under CI=true.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    { apt-get -o DPkg::Lock::Timeout=300 update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql >/dev/null; } \
      || echo "test.sh: could not install postgresql" >&2
  fi
fi
echo "postgresql: $(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1 || command -v initdb || echo "not found")"

# From here on a failure does not stop the script: both test runs go ahead, so one run reports every failure,
# and the exit status says whether anything failed.
step "redis-server (for the Redis adapter tests)"
# tests/SocketIo.Redis.Tests and interop-tests/cluster start their own redis-server on a free loopback port. Debian's
# package is installed when missing and this runs as root; elsewhere those tests are skipped, except under CI=true.
if ! command -v redis-server >/dev/null && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  { apt-get -o DPkg::Lock::Timeout=300 update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq redis-server >/dev/null; } \
    || echo "test.sh: could not install redis-server" >&2
fi
echo "redis-server: $(command -v redis-server || echo 'not found')"

step "dotnet test"
dotnet_status=0
dotnet test Marketplace.sln -c Release --no-build \
  --logger "console;verbosity=normal" --logger trx --results-directory "$RESULTS/dotnet" || dotnet_status=$?

step "chromium (for the browser interop tests)"
# interop-tests/browser runs socket.io-client's browser bundle in headless Chromium. Debian's package is installed
# when missing and this runs as root (CI does); elsewhere those tests are skipped, except under CI=true.
if [[ -z "${CHROMIUM_PATH:-}" ]]; then
  if ! command -v chromium >/dev/null && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || echo "test.sh: could not install chromium" >&2
  fi
  if command -v chromium >/dev/null; then export CHROMIUM_PATH; CHROMIUM_PATH="$(command -v chromium)"; fi
fi
echo "chromium: ${CHROMIUM_PATH:-not found}"

step "packages: pack, and the consumer sample from the feed (JIT and native AOT)"
# Packs every library into artifacts/packages and builds samples/ConsumerSample from that feed alone, with the JIT and
# as a native AOT executable; interop-tests/packages/consumer.test.mjs (in the interop run below) connects
# socket.io-client to both. Its result is one more passed or failed check in the summary.
packages_status=0
bash scripts/consumer-check.sh --no-build || packages_status=$?

step "node interop tests"
node_status=0
FIXTURE_CONFIGURATION=Release npm run test:interop | tee "$RESULTS/interop.tap" || node_status=$?

step "benchmark harness (smoke)"
# A few seconds of every benchmark scenario with small counts, so that the harness keeps working. Its result is one
# more passed or failed check in the summary; the numbers are in TestResults/test-sh/bench-smoke.md.
bench_status=0
BENCH_NO_BUILD=1 bash bench/run.sh --smoke --report "$RESULTS/bench-smoke.md" || bench_status=$?

# --- Summary -----------------------------------------------------------------------------------------------------

# Sums one attribute of the <Counters> element over every TRX file (one per test project).
trx_sum() {
  local attribute=$1 total=0 value file
  for file in "$RESULTS"/dotnet/*.trx; do
    [[ -e "$file" ]] || continue
    value=$(grep -o "<Counters [^>]*" "$file" | grep -o " $attribute=\"[0-9]*\"" | grep -o "[0-9]\+" || true)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

# The node test runner's own summary lines ("# pass N" with the TAP reporter).
tap_count() {
  sed -n "s/^# $1 \([0-9][0-9]*\)\$/\1/p" "$RESULTS/interop.tap" | tail -n 1
}

dotnet_passed=$(trx_sum passed)
dotnet_failed=$(($(trx_sum failed) + $(trx_sum error) + $(trx_sum timeout) + $(trx_sum aborted)))

node_passed=$(tap_count pass)
node_failed=$(tap_count fail)
node_cancelled=$(tap_count cancelled)
if [[ -z "$node_passed" || -z "$node_failed" ]]; then
  echo "test.sh: no summary from the node test runner (see $RESULTS/interop.tap)" >&2
  node_passed=${node_passed:-0}
  node_failed=${node_failed:-0}
  [[ $node_status -ne 0 ]] || node_status=1
fi
# Cancelled tests (their parent failed or timed out) did not pass either.
node_failed=$((node_failed + ${node_cancelled:-0}))

echo
echo "==> summary ($((SECONDS - started))s in all)"
echo "dotnet test: $dotnet_passed passed, $dotnet_failed failed (exit status $dotnet_status)"
echo "node interop: $node_passed passed, $node_failed failed (exit status $node_status)"
bench_passed=$((bench_status == 0 ? 1 : 0))
bench_failed=$((bench_status == 0 ? 0 : 1))
echo "benchmark smoke: $bench_passed passed, $bench_failed failed (exit status $bench_status)"
packages_passed=$((packages_status == 0 ? 1 : 0))
packages_failed=$((packages_status == 0 ? 0 : 1))
echo "packages and consumer sample builds: $packages_passed passed, $packages_failed failed (exit status $packages_status)"
echo "$((dotnet_passed + node_passed + bench_passed + packages_passed)) passed, $((dotnet_failed + node_failed + bench_failed + packages_failed)) failed"

if [[ $dotnet_status -ne 0 || $node_status -ne 0 || $bench_status -ne 0 || $packages_status -ne 0 || $dotnet_failed -ne 0 || $node_failed -ne 0 ]]; then
  exit 1
fi
