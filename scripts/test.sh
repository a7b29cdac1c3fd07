#!/usr/bin/env bash
# `npm test`: sets up what the tests need (scripts/test-tools.sh), type checks, lints (once, on the
# current Node: it reads the sources, whatever Node runs them), then runs the whole jest suite once
# on each Node of TEST_NODE_VERSIONS. Arguments go to jest, e.g. `npm test -- test/limits`.
#
# TEST_NODE_VERSIONS lists, separated by spaces or commas:
#   current  the Node running npm (developers' machines, CI's machine);
#   image    the Node of the production image (the Dockerfile's FROM version).
# The default, "current image", drops the second pass when the current Node already has the
# image's major version. `npm run test:current` is TEST_NODE_VERSIONS=current.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian installs haproxy (and other daemons) in /usr/sbin, which a non-root user's PATH lacks.
export PATH="$PATH:/usr/sbin"
image_node=$(bash scripts/test-tools.sh)
image_version=$("$image_node" --version)
current_node=$(command -v node)
current_version=$(node --version)

requested=${TEST_NODE_VERSIONS:-}
passes=()
for name in ${requested//,/ }; do
  case "$name" in
    current | image) passes+=("$name") ;;
    *) echo "TEST_NODE_VERSIONS: unknown entry '$name' (use current and/or image)" >&2; exit 1 ;;
  esac
done
if [ -z "$requested" ]; then
  passes=(current)
  [ "${current_version%%.*}" = "${image_version%%.*}" ] || passes+=(image)
fi
[ ${#passes[@]} -gt 0 ] || { echo "TEST_NODE_VERSIONS names no Node to run on" >&2; exit 1; }

node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
npm run --silent lint

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
summary=()
failed=0 passed_total=0 failed_total=0 skipped_total=0
for pass in "${passes[@]}"; do
  if [ "$pass" = image ]; then bin=$image_node version=$image_version; else bin=$current_node version=$current_version; fi
  echo "=== jest on Node $version ($pass) ===" >&2
  started=$SECONDS
  # The Node's own folder first on PATH: whatever the tests spawn as `node` (npm too) runs on it.
  status=0
  PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/jest/bin/jest.js --json --outputFile="$results/$pass.json" "$@" || status=$?
  # jest's counts, "0 0 0" when it died before writing them.
  read -r passed failed_count skipped < <(node -e '
    try { const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests, r.numPendingTests + r.numTodoTests); }
    catch { console.log(0, 0, 0); }' "$results/$pass.json")
  passed_total=$((passed_total + passed)) failed_total=$((failed_total + failed_count)) skipped_total=$((skipped_total + skipped))
  if [ $status -eq 0 ]; then outcome=passed; else outcome="FAILED (exit $status)"; failed=1; fi
  summary+=("Node $version ($pass): $outcome, $passed passed, $failed_count failed, $skipped skipped, $((SECONDS - started)) s")
done
printf '%s\n' "" "${summary[@]}" >&2
# One plain closing line over all passes, alone on its line for tools that read it.
echo "jest: $passed_total passed, $failed_total failed, $skipped_total skipped"
exit $failed
