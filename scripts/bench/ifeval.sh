#!/usr/bin/env bash
# `assay score --suite ifeval --per-item` against lm-evaluation-harness's IFEval checkers (Google's reference code,
# scripts/ifeval-reference.py, langdetect seeded with 0) on the same responses: PER_PROMPT (default 4) per prompt,
# from scripts/bench/ifeval_responses.py (real model answers in four forms). Both run RUNS times (default 3); the
# script records their median wall time and peak memory, checks that every per-item verdict agrees (the prompts with
# a non-letter `letter`, where the reference draws a random letter, excepted), and writes results/perf/ifeval.json.
# Release build unless ASSAY_BIN names a binary; the reference virtualenv and resources come from
# scripts/setup-metrics-venv.sh. Not a test: run it by hand on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=$(cd "${ASSAY_SHARED:-../shared}" && pwd)
runs="${RUNS:-3}"
per_prompt="${PER_PROMPT:-4}"
cache="${ASSAY_CACHE:-$HOME/.cache/assay}"
venv=$(bash scripts/setup-metrics-venv.sh)
export ASSAY_DATA="$shared/datasets" ASSAY_RESOURCES="${ASSAY_RESOURCES:-$cache/resources}" ASSAY_SUITES_DIR="$PWD/benchmarks"
if [[ -n "${ASSAY_BIN:-}" ]]; then
  assay="$ASSAY_BIN"
else
  swift build -c release --product assay >&2
  assay=.build/release/assay
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/bench/ifeval_responses.py "$ASSAY_DATA" "$per_prompt" > "$work/responses.jsonl"
count=$(wc -l < "$work/responses.jsonl")
time_of() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out"; cat "$work/time"; }
assay_times=(); reference_times=()
for run in $(seq "$runs"); do
  assay_times+=("$(time_of "$assay" score --suite ifeval --responses "$work/responses.jsonl" --per-item)")
  cp "$work/out" "$work/assay.jsonl"
  reference_times+=("$(time_of "$venv/bin/python" scripts/ifeval-reference.py "$ASSAY_DATA/ifeval/input_data.jsonl" "$work/responses.jsonl")")
  cp "$work/out" "$work/reference.jsonl"
  echo "run $run: assay ${assay_times[-1]}, reference ${reference_times[-1]} (seconds, peak KB)" >&2
done
python3 - "$work/assay.jsonl" "$work/reference.jsonl" "$ASSAY_DATA/ifeval/input_data.jsonl" "$count" "$per_prompt" \
  "${assay_times[*]}" "${reference_times[*]}" <<'PY'
import json, statistics, sys
ours, theirs, dataset, count, per_prompt = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rows = [json.loads(l) for l in open(dataset, encoding="utf-8")]
random_rows = {i for i, r in enumerate(rows) for id, k in zip(r["instruction_id_list"], r["kwargs"])
               if id == "keywords:letter_frequency" and not ("a" <= k["letter"].lower() <= "z" and len(k["letter"]) == 1)}
a = [json.loads(l) for l in open(ours)]
b = [json.loads(l) for l in open(theirs)]
assert len(a) == len(b) == count, (len(a), len(b), count)
disagree = [(x["sample"]) for x, y in zip(a, b) if x["sample"] not in random_rows and
            (x["instructions_strict"], x["instructions_loose"]) != (y["instructions_strict"], y["instructions_loose"])]
def pairs(text):
    values = text.split()
    return [(float(values[i]), int(values[i + 1])) for i in range(0, len(values), 2)]
ours_t, theirs_t = pairs(sys.argv[6]), pairs(sys.argv[7])
median = lambda xs: statistics.median(xs)
result = {
    "responses": count, "per_prompt": per_prompt, "runs": len(ours_t),
    "assay_seconds_median": median([t for t, _ in ours_t]), "reference_seconds_median": median([t for t, _ in theirs_t]),
    "assay_peak_kb_median": median([m for _, m in ours_t]), "reference_peak_kb_median": median([m for _, m in theirs_t]),
    "verdicts_disagreeing": len(disagree), "items_excluded_random_letter": sum(1 for x in a if x["sample"] in random_rows),
}
result["speedup"] = round(result["reference_seconds_median"] / result["assay_seconds_median"], 2)
json.dump(result, open("results/perf/ifeval.json", "w"), indent=2)
print(json.dumps(result, indent=2))
sys.exit(1 if disagree else 0)
PY
