#!/usr/bin/env python3
"""Reference IFEval verdicts for the cross-check of `assay score --suite ifeval --per-item`: lm-evaluation-harness's
copy of Google's instruction checkers (its `process_results`, unchanged), run on the same input lines
{"sample", "response"}. Prints per line {"sample", "prompt_strict", "prompt_loose", "instructions_strict",
"instructions_loose"}.

Runs in the throwaway virtualenv from scripts/setup-metrics-venv.sh, which unpacks lm_eval's `tasks/ifeval` folder to
${ASSAY_CACHE:-~/.cache/assay}/ifeval-reference (without lm_eval's own dependencies) and nltk's Punkt English
parameters to ${ASSAY_CACHE}/nltk_data. langdetect is seeded with 0: lm-eval leaves it unseeded, so its verdicts on
texts near a language boundary can change from run to run; seed 0 is the reproducible run Assay matches.

usage: ifeval-reference.py DATASET_JSONL RESPONSES_JSONL
"""
import json, logging, os, sys, types

cache = os.environ.get("ASSAY_CACHE") or os.path.expanduser("~/.cache/assay")
os.environ.setdefault("NLTK_DATA", os.path.join(cache, "nltk_data"))
sys.path.insert(0, os.path.join(cache, "ifeval-reference"))

# lm_eval's ifeval/utils.py imports only `eval_logger` from lm_eval.utils; a stand-in spares its dependencies.
stub = types.ModuleType("lm_eval.utils")
stub.eval_logger = logging.getLogger("lm_eval")
sys.modules["lm_eval.utils"] = stub
logging.disable(logging.CRITICAL)  # the checkers log every text langdetect cannot classify

import langdetect  # noqa: E402

langdetect.DetectorFactory.seed = 0

from lm_eval.tasks.ifeval import utils  # noqa: E402

dataset_path, responses_path = sys.argv[1], sys.argv[2]
with open(dataset_path, encoding="utf-8") as handle:
    rows = [json.loads(line) for line in handle if line.strip()]
with open(responses_path, encoding="utf-8") as handle:
    for line in handle:
        if not line.strip():
            continue
        entry = json.loads(line)
        result = utils.process_results(rows[entry["sample"]], [entry["response"]])
        print(json.dumps({
            "sample": entry["sample"],
            "prompt_strict": result["prompt_level_strict_acc"],
            "prompt_loose": result["prompt_level_loose_acc"],
            "instructions_strict": result["inst_level_strict_acc"],
            "instructions_loose": result["inst_level_loose_acc"],
        }, ensure_ascii=False))
