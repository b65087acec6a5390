#!/usr/bin/env bash
# Bradley-Terry with bootstrap on a large synthetic battle set: 100,000 battles among 50 models (true strengths
# spaced 20 Elo apart, 10% ties), 100 bootstrap rounds, through `assay ratings --battles`. Release build.
# Writes results/perf/bradley_terry.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product assay >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/battles.jsonl" <<'PY'
import json, math, random, sys
random.seed(1)
models = [f"model-{i:02d}" for i in range(50)]
strength = {m: 20 * i for i, m in enumerate(models)}
with open(sys.argv[1], "w") as out:
    for n in range(100_000):
        a, b = random.sample(models, 2)
        p = 1 / (1 + 10 ** ((strength[b] - strength[a]) / 400))
        r = random.random()
        winner = "tie" if r < 0.1 else ("model_a" if random.random() < p else "model_b")
        out.write(json.dumps({"model_a": a, "model_b": b, "winner": winner, "judge": "synthetic", "question_id": str(n)}) + "\n")
PY
runs=()
for i in 1 2 3; do
  start=$(date +%s.%N)
  .build/release/assay ratings --battles "$work/battles.jsonl" --rounds 100 --json > "$work/out.json"
  end=$(date +%s.%N)
  runs+=("$(python3 -c "print(round($end - $start, 3))")")
  echo "run $i: ${runs[-1]} s" >&2
done
mkdir -p results/perf
python3 - "$work/out.json" "${runs[@]}" > results/perf/bradley_terry.json <<'PY'
import json, statistics, sys
out = json.load(open(sys.argv[1]))
times = [float(t) for t in sys.argv[2:]]
bt = out["bradley_terry"]
top, bottom = bt["model-49"], bt["model-00"]
print(json.dumps({"benchmark": "assay ratings --battles (100,000 battles, 50 models, 100 bootstrap rounds)",
  "wall_s": times, "median_s": statistics.median(times),
  "spread_top_minus_bottom": round(top - bottom, 1), "true_spread": 980,
  "note": "wall time includes reading the JSONL file, the MLE fit, 100 bootstrap refits, win rates and agreement; the 10% ties are drawn independently of strength and count half a win each way, so the fitted spread is smaller than the generating one"}, indent=2))
PY
cat results/perf/bradley_terry.json
