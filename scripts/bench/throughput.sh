#!/usr/bin/env bash
# Throughput of `assay run` against Assay's mock server with fixed latency: achieved requests/s against the ideal
# (concurrency / latency), harness CPU per 1,000 requests, and peak memory. Release build. Writes
# results/perf/throughput.json. Not a test: run it by hand on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
export ASSAY_DATA="${ASSAY_DATA:-$(cd .. && pwd)/shared/datasets}"
latency_ms="${LATENCY_MS:-50}"
swift build -c release --product assay >&2
swift build -c release --product assay-mock-server >&2
bin=.build/release
work=$(mktemp -d)
trap 'kill $mock_pid 2>/dev/null; rm -rf "$work"' EXIT
"$bin/assay-mock-server" --latency-ms "$latency_ms" --threads 1 > "$work/mock.out" &
mock_pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/mock.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/listening on //p' "$work/mock.out")
results=()
# concurrency:suite-flags (sized so each run lasts a few seconds at the ideal rate)
for spec in "1:--suite mgsm --limit 10" "8:--suite mgsm --limit 80" "32:--suite mgsm" "128:--suite mgsm,gsm8k"; do
  c=${spec%%:*}
  flags=${spec#*:}
  db="$work/c$c.sqlite"
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time" "$bin/assay" run --base-url "$url" --model mock-model $flags \
    --concurrency "$c" --db "$db" --no-cache --fresh > /dev/null 2> "$work/err"
  end=$(date +%s.%N)
  read -r user sys rss_kb < "$work/time"
  n=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from sample').fetchone()[0])" "$db")
  json=$(python3 - "$c" "$n" "$start" "$end" "$user" "$sys" "$rss_kb" "$latency_ms" <<'PY'
import json, sys
c, n = int(sys.argv[1]), int(sys.argv[2])
start, end, user, sys_, rss, lat = map(float, sys.argv[3:9])
wall = end - start
ideal = c / (lat / 1000)
achieved = n / wall
print(json.dumps({"concurrency": c, "requests": n, "wall_s": round(wall, 3), "achieved_rps": round(achieved, 1),
  "ideal_rps": round(ideal, 1), "ratio": round(achieved / ideal, 3),
  "cpu_ms_per_request": round((user + sys_) * 1000 / n, 3), "peak_rss_mb": round(rss / 1024, 1)}))
PY
)
  echo "$json" >&2
  results+=("$json")
done
mkdir -p results/perf
python3 - "$latency_ms" "${results[@]}" > results/perf/throughput.json <<'PY'
import json, sys, platform, os
print(json.dumps({"benchmark": "assay run vs assay-mock-server", "latency_ms": int(sys.argv[1]),
  "cores": os.cpu_count(), "runs": [json.loads(r) for r in sys.argv[2:]],
  "note": "wall time includes process start, suite loading and the final report"}, indent=2))
PY
cat results/perf/throughput.json
