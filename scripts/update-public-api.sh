#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every package under src/ (every project whose IsPackable is true) from the
# current code: the file is emptied, then the PublicApiAnalyzers code fix for RS0016 (`dotnet format analyzers`)
# writes every public symbol that PublicAPI.Shipped.txt does not already list. Review the diff and commit it with
# the change of the public surface.
#
#   bash scripts/update-public-api.sh            # every package
#   bash scripts/update-public-api.sh src/SocketIo/SocketIo.csproj ...   # only these projects
#   bash scripts/update-public-api.sh --ship     # at a release: move every Unshipped entry into Shipped
#
# A symbol listed in PublicAPI.Shipped.txt that is gone from the code is an error (RS0017) the build reports: a
# breaking change, to be undone or recorded by hand as a "*REMOVED*<line>" entry in PublicAPI.Unshipped.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

ship=false
projects=()
for arg in "$@"; do
  case "$arg" in
    --ship) ship=true ;;
    *) projects+=("$arg") ;;
  esac
done
if [[ ${#projects[@]} -eq 0 ]]; then
  for project in src/*/*.csproj; do
    [[ "$(dotnet msbuild "$project" -getProperty:IsPackable)" == "true" ]] && projects+=("$project")
  done
fi

header='#nullable enable'
for project in "${projects[@]}"; do
  dir="$(dirname "$project")"
  shipped="$dir/PublicAPI.Shipped.txt"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [[ -f "$shipped" ]] || echo "$header" > "$shipped"

  if $ship; then
    # Shipped := Shipped + Unshipped, sorted; "*REMOVED*X" entries take X out of Shipped.
    { grep -v '^#' "$shipped" || true; grep -v '^#' "$unshipped" 2>/dev/null | grep -v '^\*REMOVED\*' || true; } \
      | grep -v '^$' | LC_ALL=C sort -u > "$shipped.tmp"
    if grep -q '^\*REMOVED\*' "$unshipped" 2>/dev/null; then
      grep '^\*REMOVED\*' "$unshipped" | sed 's/^\*REMOVED\*//' | LC_ALL=C sort -u > "$shipped.removed"
      LC_ALL=C comm -23 "$shipped.tmp" "$shipped.removed" > "$shipped.kept"
      mv "$shipped.kept" "$shipped.tmp"
      rm -f "$shipped.removed"
    fi
    { echo "$header"; cat "$shipped.tmp"; } > "$shipped"
    rm -f "$shipped.tmp"
    echo "$header" > "$unshipped"
    echo "shipped: $project"
    continue
  fi

  echo "$header" > "$unshipped"
  # RS0016's code fix adds each public symbol missing from both files to PublicAPI.Unshipped.txt.
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn --verbosity quiet
  body="$(grep -v '^#' "$unshipped" | grep -v '^$' | LC_ALL=C sort -u || true)"
  { echo "$header"; [[ -z "$body" ]] || echo "$body"; } > "$unshipped"
  echo "$project: $(printf '%s' "$body" | grep -c . || true) unshipped public symbols"
done
