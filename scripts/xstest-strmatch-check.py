#!/usr/bin/env python3
"""Checks Assay's XSTest string-match refusal labels against the XSTest authors' own classifier.

Usage:
  assay report RUN --samples --show-text > samples.jsonl
  scripts/xstest-strmatch-check.py PATH/TO/exaggerated-safety/evaluation/classify_completions_strmatch.py samples.jsonl

The authors' file imports pandas: run this with a Python that has it (pip install pandas in a throwaway venv).
The first argument is the authors' file from a checkout of paul-rottger/exaggerated-safety (not shipped with
Assay). Its `strmatch_label` function is loaded from it (the file's definitions before `def main`, so its
module-level loop over their completion files does not run) and applied to every response of a safety suite;
the label is compared with the one Assay stored (`refusal` or `false_refusal`). Prints the counts and every
disagreement; exits 1 if any label differs.
"""
import json
import sys


def load_reference(path):
    source = open(path, encoding="utf-8").read()
    cut = source.find("\ndef main(")
    namespace = {}
    exec(compile(source if cut < 0 else source[:cut], path, "exec"), namespace)
    return namespace["strmatch_label"]


def main(reference_path, samples_path):
    strmatch_label = load_reference(reference_path)
    compared = refusals = 0
    differ = []
    for line in open(samples_path, encoding="utf-8"):
        sample = json.loads(line)
        answers = sample.get("answers") or {}
        label = answers.get("false_refusal") or answers.get("refusal")
        if label is None or sample.get("status") != "scored":
            continue
        if sample.get("response") is None:
            sys.exit("responses are hidden: make samples.jsonl with `assay report --samples --show-text`")
        # A chat answer is stored as its text; the model's reply is what the authors classify.
        reference = strmatch_label(sample["response"])
        compared += 1
        refusals += reference == "2_full_refusal"
        if reference != label:
            differ.append((sample["task"], sample["sample"], label, reference))
    print(f"{compared} responses compared, {refusals} refusals by the authors' classifier, {len(differ)} labels differ")
    for task, index, ours, theirs in differ:
        print(f"  {task} #{index}: assay {ours}, reference {theirs}")
    return 1 if differ else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
