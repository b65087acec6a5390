#!/usr/bin/env bash
# `assay validate` over every suite (all variants: every data file read and sha256-checked, every row turned into a
# sample, the first prompt of each variant rendered) and `assay suites --json`, 5 runs each, release build.
# Writes results/perf/validate.json with the medians. Target (suite-library issue): validate under 30 s here.
set -euo pipefail
cd "$(dirname "$0")/../.."
export ASSAY_DATA="${ASSAY_DATA:-$(cd .. && pwd)/shared/datasets}"
swift build -c release --product assay >&2
bin=.build/release/assay
variants=$($bin suites --json | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d))")
time_runs() {
  local out=()
  for i in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    out+=("$(python3 -c "print(round($end - $start, 3))")")
  done
  echo "${out[*]}"
}
validate_runs=$(time_runs $bin validate)
suites_runs=$(time_runs $bin suites --json)
mkdir -p results/perf
python3 - "$variants" "$validate_runs" "$suites_runs" <<'PY'
import json, statistics, sys, platform, os
variants = int(sys.argv[1])
v = [float(x) for x in sys.argv[2].split()]
s = [float(x) for x in sys.argv[3].split()]
result = {
    "command": "scripts/bench/validate.sh",
    "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    "variants": variants,
    "validate_seconds": {"runs": v, "median": statistics.median(v)},
    "suites_json_seconds": {"runs": s, "median": statistics.median(s)},
    "target_validate_seconds": 30,
    "target_met": statistics.median(v) < 30,
}
json.dump(result, open("results/perf/validate.json", "w"), indent=1)
print(json.dumps(result, indent=1))
PY
