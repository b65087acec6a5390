#!/usr/bin/env bash
# Prints a `swift test --skip` pattern for the tests tagged `.slow` under Tests/: every suite whose `@Suite(...)`
# carries `.tags(.slow ...)` and declares its type on the same line, and every `@Test(.tags(.slow ...)) func name(`.
# Fails if none is found (the tags moved or the layout changed).
#
#   swift test --skip-build --skip "$(scripts/slow-suites.sh)"     # the quick loop
set -euo pipefail
cd "$(dirname "$0")/.."
suites="$(grep -rhE '^@Suite\(.*\.tags\([^)]*\.slow[,)].*\) *(final class|struct|class) [A-Za-z0-9_]+' Tests \
  | sed -E 's/.*(struct|class) ([A-Za-z0-9_]+).*/\2/' | sort -u | paste -sd'|')"
tests="$(grep -rhE '^ *@Test\(.*\.tags\([^)]*\.slow[,)].*\) *func [A-Za-z0-9_]+' Tests \
  | sed -E 's/.*func ([A-Za-z0-9_]+).*/\1/' | sort -u | paste -sd'|')"
if [ -z "$suites" ] && [ -z "$tests" ]; then
  echo "error: nothing tagged .slow under Tests/ - while building the quick loop's skip list; check scripts/slow-suites.sh's patterns" >&2
  exit 1
fi
# Test identifiers read Module.Suite/function(labels): suites match whole (RateTests must not skip AssayRateTests),
# functions by their name after the slash.
pattern=""
[ -n "$suites" ] && pattern="\\.($suites)\\b"
[ -n "$tests" ] && pattern="${pattern:+$pattern|}/($tests)\\("
echo "$pattern"
