#!/usr/bin/env python3
"""Responses for scripts/bench/ifeval.sh: for each of IFEval's 541 prompts, N real model answers (AlpacaEval's GPT-4
outputs, cycled) in four forms: as written, upper-cased, lower-cased, and wrapped in quotes with a postscript, so
the sentence, word, language and format checkers all do real work. Deterministic.

usage: ifeval_responses.py DATASETS_DIR PER_PROMPT > responses.jsonl
"""
import json, sys

datasets, per_prompt = sys.argv[1], int(sys.argv[2])
rows = [json.loads(line) for line in open(f"{datasets}/ifeval/input_data.jsonl", encoding="utf-8")]
outputs = [o["output"] for o in json.load(open(f"{datasets}/alpaca_eval/results/gpt4/model_outputs.json", encoding="utf-8"))]
forms = [lambda t: t, str.upper, str.lower, lambda t: '"' + t + '"\n\nP.S. That is all.']
n = 0
for index in range(len(rows)):
    for k in range(per_prompt):
        text = forms[k % len(forms)](outputs[(index * per_prompt + k) % len(outputs)])
        print(json.dumps({"sample": index, "response": text}, ensure_ascii=False))
        n += 1
