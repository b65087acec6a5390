#!/usr/bin/env python3
"""Reference BFCL summary figures for the check of Assay's BFCLSummary against bfcl-eval's own averaging.

Draws per-category results (accuracy as correct/count, counts up to the category's size, some categories left out)
with random.Random(20261206) and computes each summary figure with bfcl-eval 2026.3.23's own helpers from
bfcl_eval/eval_checker/eval_runner_helper.py (calculate_unweighted_accuracy, calculate_weighted_accuracy,
calculate_percentage_weighted_accuracy), combined as its leaderboard code combines them. Writes
Tests/Fixtures/bfcl/summary.json: a list of {"categories": {name: {"accuracy", "count"}}, "expected": {figure:
accuracy or null}}. A figure is null when bfcl would display "N/A" (a category it needs was not run); the
single-turn overall is bfcl's percentage-weighted helper over non-live, live and irrelevance with weights 10:10:10
(its overall adds multi-turn 30 and agentic 40, which are not single-turn).

Runs in the virtualenv of scripts/bfcl-reference.py (whose module stubs it reuses), plus numpy and pandas, which the
helper module imports:
    /tmp/bfcl-venv/bin/pip install numpy==1.26.4 pandas==2.2.3
    /tmp/bfcl-venv/bin/python scripts/bfcl-summary-reference.py [--out FILE] [--check]
"""
import argparse
import importlib.util
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bfcl_reference", os.path.join(HERE, "bfcl-reference.py"))
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)  # installs the model_config stub and BFCL_PROJECT_ROOT
from bfcl_eval.eval_checker import eval_runner_helper as helper  # noqa: E402

SIZES = {"simple_python": 400, "simple_java": 100, "simple_javascript": 50, "multiple": 200, "parallel": 200,
         "parallel_multiple": 200, "irrelevance": 240, "live_simple": 258, "live_multiple": 1053, "live_parallel": 16,
         "live_parallel_multiple": 24, "live_irrelevance": 884, "live_relevance": 16}


def score(categories, name):
    if name in categories:
        c = categories[name]
        return {"accuracy": c["accuracy"], "total_count": c["count"], "display_accuracy": c["accuracy"]}
    # what get_category_score returns for a category that was not evaluated
    return {"accuracy": 0, "total_count": 0, "display_accuracy": "N/A"}


def shown(result):
    return None if result["display_accuracy"] == "N/A" else result["accuracy"]


def figures(categories):
    s = lambda name: score(categories, name)
    simple = helper.calculate_unweighted_accuracy([s("simple_python"), s("simple_java"), s("simple_javascript")])
    non_live = helper.calculate_unweighted_accuracy([simple, s("multiple"), s("parallel"), s("parallel_multiple")])
    live = helper.calculate_weighted_accuracy(
        [s("live_simple"), s("live_multiple"), s("live_parallel"), s("live_parallel_multiple")])
    irrelevance = helper.calculate_unweighted_accuracy([s("irrelevance"), s("live_irrelevance")])
    relevance = s("live_relevance")
    overall = helper.calculate_percentage_weighted_accuracy([non_live, live, irrelevance], [10, 10, 10])
    return {"non-live simple": shown(simple), "non-live overall": shown(non_live), "live overall": shown(live),
            "hallucination: irrelevance": shown(irrelevance), "hallucination: relevance": shown(relevance),
            "single-turn overall": shown(overall)}


def cases():
    rng = random.Random(20261206)
    out = []
    for index in range(60):
        categories = {}
        for name, size in SIZES.items():
            if index >= 10 and rng.random() < 0.08:
                continue  # not run
            count = size if index % 3 == 0 else rng.randint(1, size)
            correct = rng.choice([0, count, rng.randint(0, count)])
            categories[name] = {"accuracy": correct / count, "count": count}
        out.append({"categories": categories, "expected": figures(categories)})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(HERE, "..", "Tests", "Fixtures", "bfcl", "summary.json"))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = json.dumps(cases(), indent=1, sort_keys=True) + "\n"
    if args.check:
        same = open(args.out).read() == text
        print("identical" if same else "differs")
        sys.exit(0 if same else 1)
    with open(args.out, "w") as handle:
        handle.write(text)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
