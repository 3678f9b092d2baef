#!/usr/bin/env bash
# The packages as an application gets them. Packs every package under src/ into a folder feed
# (artifacts/packages), then builds samples/ConsumerSample from that feed only (never from project references),
# twice: with the JIT (artifacts/consumer/jit) and published as a native AOT executable (artifacts/consumer/aot).
# interop-tests/packages/consumer.test.mjs then runs both against the real socket.io-client (scripts/test.sh runs
# this before the interop tests, which include that file).
#
#   bash scripts/consumer-check.sh              # build the libraries (Release), pack, build both programs
#   bash scripts/consumer-check.sh --no-build   # the libraries are already built in Release (scripts/test.sh)
#   bash scripts/consumer-check.sh --no-aot     # skip the native AOT publish (the longest step)
#
# samples/ConsumerSample/NuGet.config maps this repository's package ids to the feed only, so they cannot come from
# anywhere else (nor from project references); their own dependencies (MessagePack, StackExchange.Redis, ...) and,
# for the AOT publish, the AOT compiler and runtime packs come from NuGet's usual source, as for any consumer.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

build=true
aot=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    --no-aot) aot=false ;;
    *) echo "consumer-check.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

FEED="$ROOT/artifacts/packages"
CONSUMER="$ROOT/artifacts/consumer"
SAMPLE="$ROOT/samples/ConsumerSample"
started=$SECONDS
phase() { printf '[consumer-check] %s (%ss)\n' "$*" "$((SECONDS - started))"; }

version="$(dotnet msbuild src/SocketIo/SocketIo.csproj -getProperty:Version)"
phase "packing version $version into $FEED"
rm -rf "$FEED" "$CONSUMER/jit" "$CONSUMER/aot"
mkdir -p "$FEED"
for project in src/*/*.csproj; do
  [[ "$(dotnet msbuild "$project" -getProperty:IsPackable)" == "true" ]] || continue
  if $build; then
    dotnet pack "$project" -c Release -o "$FEED" -v quiet -nologo
  else
    dotnet pack "$project" -c Release -o "$FEED" --no-build -v quiet -nologo
  fi
done
ls "$FEED"

# The sample's private package folder may hold an earlier build of the same version: NuGet would take it as it is.
rm -rf "$CONSUMER"/packages/aspnetcore.engineio "$CONSUMER"/packages/aspnetcore.socketio*
rm -rf "$SAMPLE/bin" "$SAMPLE/obj"

phase "JIT build of the sample from the feed alone"
dotnet restore "$SAMPLE" -p:SocketIoPackageVersion="$version" -v quiet
dotnet build "$SAMPLE" -c Release --no-restore -o "$CONSUMER/jit" -p:SocketIoPackageVersion="$version" -v quiet -nologo

if $aot; then
  phase "native AOT publish of the sample"
  rm -rf "$SAMPLE/bin" "$SAMPLE/obj"
  log="$CONSUMER/aot-publish.log"
  if ! dotnet publish "$SAMPLE" -c Release -r linux-x64 -p:PublishAot=true -p:SocketIoPackageVersion="$version" \
      -o "$CONSUMER/aot" -nologo > "$log" 2>&1; then
    cat "$log" >&2
    echo "consumer-check.sh: the native AOT publish failed" >&2
    exit 1
  fi
  # The trimming and AOT analysis of the whole program (the packages included) must be silent.
  if grep -E "warning (IL|CS)[0-9]+" "$log" >&2; then
    echo "consumer-check.sh: the native AOT publish reported trimming or AOT warnings (above)" >&2
    exit 1
  fi
  ls -la "$CONSUMER/aot/ConsumerSample"
fi
phase "done"
