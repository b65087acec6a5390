#!/usr/bin/env bash
# The throughput kit (scripts/bench/throughput.py): assay run against the mock server at concurrency 1/8/32/128
# with 50 ms latency, a 14,042-item MMLU run for memory, adaptive concurrency under 429s, assay validate, and
# rescoring 100,000 responses. Writes results/perf/throughput.json. Not a test: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 scripts/bench/throughput.py "$@"
