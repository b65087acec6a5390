#!/usr/bin/env python3
"""Judges the answers an Assay run stored for the BFCL suites with bfcl-eval's own code and compares verdicts.

For every scored sample of the bfcl and bfcl-relevance suites in an Assay results database, this reads the stored
reply, finds the item by its row (sample_index is the line of BFCL_v4_<category>.json) and lets bfcl-eval 2026.3.23
decode and check it exactly as scripts/bfcl-reference.py does (its evaluate_ast and evaluate_relevance, which follow
bfcl-eval's runner). Prints per category: samples, Assay's accuracy, bfcl-eval's accuracy, verdicts that differ;
exits 1 if any differ.

Run in the throwaway virtualenv of scripts/bfcl-reference.py (its docstring has the install command):
    /tmp/bfcl-venv/bin/python scripts/bfcl-check-run.py results.sqlite [--data ../shared/datasets/bfcl]
"""
import argparse
import importlib.util
import json
import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bfcl_reference", os.path.join(HERE, "bfcl-reference.py"))
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="an Assay results database (assay run --db)")
    parser.add_argument("--data", default=reference.DEFAULT_DATA, help="folder with BFCL_v4_*.json and possible_answer/")
    args = parser.parse_args()
    db = sqlite3.connect(f"file:{args.database}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT s.task_id, s.sample_index, s.response, s.correct, rt.variant_id FROM sample s "
        "JOIN run_task rt ON rt.run_id = s.run_id AND rt.task_id = s.task_id "
        "WHERE s.status = 'scored' AND (s.task_id LIKE 'bfcl/%' OR s.task_id LIKE 'bfcl-relevance/%') "
        "ORDER BY s.task_id, s.sample_index").fetchall()
    if not rows:
        sys.exit(f"error: {args.database} holds no scored bfcl samples")
    cache = {}
    table = {}
    differ = []
    for task_id, index, response, correct_json, _ in rows:
        variant = task_id.split("/", 1)[1]
        category = variant.replace("-", "_")
        if category not in cache:
            prompts = reference.read_jsonl(os.path.join(args.data, f"BFCL_v4_{category}.json"))
            answer_path = os.path.join(args.data, "possible_answer", f"BFCL_v4_{category}.json")
            answers = reference.read_jsonl(answer_path) if os.path.exists(answer_path) else None
            cache[category] = (prompts, answers)
        prompts, answers = cache[category]
        text = response or ""
        if answers is None:
            valid = reference.evaluate_relevance(text, category)[0]
        else:
            valid = reference.evaluate_ast(text, prompts[index], answers[index]["ground_truth"], category)[0]
        assay = bool(json.loads(correct_json or "{}").get("accuracy"))
        row = table.setdefault(category, [0, 0, 0, 0])
        row[0] += 1
        row[1] += assay
        row[2] += valid
        if assay != valid:
            row[3] += 1
            differ.append((task_id, index, assay, valid, text[:160]))
    print("| category | n | Assay | bfcl-eval | differ |")
    print("|---|---:|---:|---:|---:|")
    for category, (n, a, b, d) in sorted(table.items()):
        print(f"| {category} | {n} | {100 * a / n:.1f} | {100 * b / n:.1f} | {d} |")
    total = sum(r[0] for r in table.values())
    print(f"\n{total - len(differ)} of {total} verdicts equal")
    for item in differ[:50]:
        print("differs:", item)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
