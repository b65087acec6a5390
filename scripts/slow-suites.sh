#!/usr/bin/env bash
# Prints a `swift test --skip` pattern for the suites tagged `.slow`: every `@Suite(... .tags(.slow ...) ...)` that
# declares its struct on the same line, under Tests/. Fails if none is found (the tags moved or the layout changed).
#
#   swift test --skip-build --skip "$(scripts/slow-suites.sh)"     # the quick loop
set -euo pipefail
cd "$(dirname "$0")/.."
names="$(grep -rhE '^@Suite\(.*\.tags\([^)]*\.slow[,)].*\) *(final class|struct|class) [A-Za-z0-9_]+' Tests \
  | sed -E 's/.*(struct|class) ([A-Za-z0-9_]+).*/\2/' | sort -u | paste -sd'|')"
if [ -z "$names" ]; then
  echo "error: no suite tagged .slow under Tests/ - while building the quick loop's skip list; check scripts/slow-suites.sh's pattern" >&2
  exit 1
fi
# A suite's identifier is Module.Suite: match the name whole, so RateTests does not also skip AssayRateTests.
echo "\\.($names)\\b"
