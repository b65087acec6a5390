#!/usr/bin/env python3
"""The reference verdicts on hostile and multilingual MGSM and GSM8K responses, for the reference-compatible
pipelines of benchmarks/mgsm/mgsm.yaml (`simple-evals`, `lm-eval-flexible`) and benchmarks/gsm8k/gsm8k.yaml
(`lm-eval-strict`, `lm-eval-flexible`); Tests/AssaySuitesTests/ReferenceExtractionTests.swift scores the same
responses with Assay and expects these verdicts.

What it runs, not re-implementations:
  simple-evals  parse_answer, score_mgsm and LANG_TO_ANSWER_PREFIX from openai/simple-evals mgsm_eval.py (commit
                06379826668f; the same functions at 5e623c2b), read from $SIMPLE_EVALS (default
                /tmp/simple-evals/mgsm_eval.py; the file is not in this repository and is not on PyPI). Only those
                three definitions are taken (with `import re`), since the module imports its package's siblings.
  lm-eval       lm-eval's own filter and metric objects, built from its installed task files as ConfigurableTask
                builds them: the filter_list of tasks/gsm8k/gsm8k-cot.yaml (strict-match, flexible-extract) and
                of tasks/mgsm/native_cot/mgsm_native_cot_<lang>.yaml (flexible-extract), each through
                build_filter_ensemble, and get_metric("exact_match") called with the metric_list's kwargs (gsm8k_cot:
                ignore_case, regexes_to_ignore; mgsm native CoT: ignore_case, ignore_punctuation) on
                references=[target], predictions=[filtered answer], as process_results does.

Regenerate (from the repository root):
  python3 -m venv /tmp/venv-lmeval && /tmp/venv-lmeval/bin/pip install lm-eval==0.4.13
  # save simple-evals' mgsm_eval.py (github.com/openai/simple-evals) as /tmp/simple-evals/mgsm_eval.py
  /tmp/venv-lmeval/bin/python scripts/math-extraction-reference.py > Tests/Fixtures/math-extraction/reference.jsonl
The responses are built below without randomness, so the output is deterministic.
"""
import ast
import json
import os
import pathlib
import re
import sys

import lm_eval
import yaml
from lm_eval.api.registry import get_metric
from lm_eval.filters import build_filter_ensemble

SIMPLE_EVALS = os.environ.get("SIMPLE_EVALS", "/tmp/simple-evals/mgsm_eval.py")
TASKS = pathlib.Path(lm_eval.__file__).parent / "tasks"
LANGUAGES = ["bn", "de", "en", "es", "fr", "ja", "ru", "sw", "te", "th", "zh"]


def load_simple_evals():
    tree = ast.parse(pathlib.Path(SIMPLE_EVALS).read_text(encoding="utf-8"))
    wanted = {"parse_answer", "score_mgsm", "LANG_TO_ANSWER_PREFIX"}
    body = [node for node in tree.body
            if (isinstance(node, ast.FunctionDef) and node.name in wanted)
            or (isinstance(node, ast.Assign) and any(getattr(t, "id", None) in wanted for t in node.targets))]
    namespace = {"re": re}
    exec(compile(ast.Module(body=body, type_ignores=[]), SIMPLE_EVALS, "exec"), namespace)
    return namespace


class LmEvalTask:
    """One lm-eval task's filters and exact_match, from its YAML as ConfigurableTask reads them."""

    def __init__(self, config):
        self.filters = {}
        for entry in config["filter_list"]:
            components = [[f["function"], {k: v for k, v in f.items() if k != "function"}] for f in entry["filter"]]
            self.filters[entry["name"]] = build_filter_ensemble(entry["name"], components)
        (metric,) = [m for m in config["metric_list"] if m["metric"] == "exact_match"]
        self.kwargs = {k: v for k, v in metric.items() if k not in ["metric", "aggregation", "higher_is_better", "hf_evaluate"]}
        self.metric = get_metric("exact_match", False)

    def verdict(self, name, response, target):
        resps = [[response]]
        for step in self.filters[name].filters:
            resps = step().apply(resps, [{}])
        (answer,) = list(resps)
        score = self.metric(references=[target], predictions=[answer], **self.kwargs)["exact_match"]
        return answer, bool(score == 1.0)


def read_yaml(path):
    # Task files may carry !function tags; none of the keys read here use them.
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def mgsm_task(language):
    config = dict(read_yaml(TASKS / "mgsm" / "native_cot" / "cot_yaml"))
    config.update(read_yaml(TASKS / "mgsm" / "native_cot" / f"mgsm_native_cot_{language}.yaml"))
    return LmEvalTask(config)


NATIVE = {"bn": 0x09E6, "te": 0x0C66, "th": 0x0E50, "ja": 0xFF10, "zh": 0xFF10}


def native(text, language):
    zero = NATIVE.get(language, 0x0966)  # Devanagari for the Latin-script languages
    return "".join(chr(zero + int(c)) if c.isdigit() and c.isascii() else c for c in text)


def mgsm_responses(language, prefix):
    """(target, response) pairs: how models write answers, and hostile text."""
    p = prefix
    work = "9 * 2 = 18"
    cases = [
        ("18", f"{work}\n{p}: 18"),
        ("18", f"{work}\n{p}: 18."),
        ("18", f"{work}\n{p}:18"),
        ("18", f"{work}\n**{p}:** **18**"),
        ("18", f"{work}\n{p.lower()}: 18"),
        ("18", f"{work}\n{p}: {native('18', language)}"),
        ("18", f"{work}\n{p}：１８"),
        ("18", f"{work}\n{p}: -18"),
        ("18", f"{work}\n{p}: 18.0"),
        ("18", f"{work}\n{p}: 18.00 dollars"),
        ("18", f"{work}\n{p}: 18,00"),
        ("18", f"{work}\n{p}: $18"),
        ("18", f"{work}\n{p}: 18...\n"),
        ("18", f"{work}\n{p}: 18\r\n"),
        ("18", f"{work}\n{p}: 18\n\nCheck: 9 + 9 = 18, and 2 * 9 = 18 too. 3 apples"),
        ("18", f"{work}\n{p}: 18 (9 eggs at 2 each)"),
        ("18", f"{p}: 3\nWait, recount. {work}\n{p}: 18"),
        ("18", f"{work}\nThe answer is 18."),
        ("18", ""),
        ("18", f"{p}:"),
        ("18", f"{p}: eighteen"),
        ("7500", f"{p}: 7.500"),
        ("7500", f"{p}: 7,500"),
        ("7500", f"{p}: 7 500"),
        ("7500", f"{p}: 7\u00a0500"),
        ("6", f"{p}: $6.00"),
        ("6", f"{p}: 6.50"),
        ("1234", f"{p}: 1,234."),
        ("1234", f"{p}: 1.234,00"),
        ("2,125", f"{p}: 2125"),
        ("2,125", f"{p}: 2,125"),
        ("2,125", f"{p}: 2.125"),
        ("0", f"{p}: 0"),
        ("0", f"{p}: 0.0"),
    ]
    if language in ["bn", "de", "zh"]:  # huge numbers, in a few languages only (the fixture stays small)
        cases += [("1", f"{p}: 1." + "0" * 1500), ("18", f"{p}: " + "9" * 1500)]
    decomposed = p.replace("é", "e\u0301")
    if decomposed != p:
        cases.append(("18", f"{work}\n{decomposed}: 18"))
    return cases


GSM8K_RESPONSES = [
    ("18", "She has 16 - 3 - 4 = 9 eggs. 9 * 2 = 18. The answer is 18."),
    ("18", "9 * 2 = 18. The answer is 18"),
    ("18", "The answer is 18\n"),
    ("18", "The answer is 18.\n\nQ: There are 15 trees in the grove."),
    ("18", "The answer is $18."),
    ("18", "The answer is $18.00."),
    ("18", "The answer is 18.00."),
    ("18", "The answer is 18..."),
    ("18", "The answer is -18."),
    ("18", "The answer is 18 dollars."),
    ("18", "the answer is 18."),
    ("18", "THE ANSWER IS 18."),
    ("18", "The answer is: 18."),
    ("18", "The answer is **18**."),
    ("18", "The answer is १८."),
    ("18", "The answer is １８."),
    ("18", "The answer is 18\r\n"),
    ("18", "The answer is 18.\nThe answer is 19."),
    ("18", "The answer is 17. Wait: 9 * 2 = 18"),
    ("18", "#### 18"),
    ("18", "So 9 * 2 = 18 dollars, and she keeps 3 eggs."),
    ("18", ""),
    ("18", "The answer is ."),
    ("7500", "The answer is 7.500."),
    ("7500", "The answer is 7,500."),
    ("7500", "The answer is 7 500."),
    ("1234", "The answer is 1,234."),
    ("1234", "The answer is 1.234,00."),
    ("6", "The answer is $6.00."),
    ("1,450,000", "The answer is 1450000."),
    ("1,450,000", "The answer is 1,450,000."),
    ("1,450,000", "The answer is $1,450,000.00."),
    ("70000", "The answer is 70,000 dollars."),
    ("5", "The answer is 5.5."),
    ("1", "The answer is 1." + "0" * 2000),
    ("18", "The answer is " + "9" * 2000 + "."),
]


def main():
    simple = load_simple_evals()
    out = []
    for language in LANGUAGES:
        prefix = simple["LANG_TO_ANSWER_PREFIX"][language]
        task = mgsm_task(language)
        for target, response in mgsm_responses(language, prefix):
            parsed = simple["parse_answer"](response, prefix)
            flexible, flexible_right = task.verdict("flexible-extract", response, target)
            out.append({
                "suite": "mgsm", "variant": language, "target": target, "response": response,
                "answers": {"simple-evals": parsed, "lm-eval-flexible": flexible},
                "correct": {"simple-evals": bool(simple["score_mgsm"](target, parsed)), "lm-eval-flexible": flexible_right},
            })
    gsm8k = LmEvalTask(read_yaml(TASKS / "gsm8k" / "gsm8k-cot.yaml"))
    for target, response in GSM8K_RESPONSES:
        strict, strict_right = gsm8k.verdict("strict-match", response, target)
        flexible, flexible_right = gsm8k.verdict("flexible-extract", response, target)
        out.append({
            "suite": "gsm8k", "variant": "main", "target": target, "response": response,
            "answers": {"lm-eval-strict": strict, "lm-eval-flexible": flexible},
            "correct": {"lm-eval-strict": strict_right, "lm-eval-flexible": flexible_right},
        })
    for row in out:
        # The references' answers help reading a failure; long ones (huge numbers) are left out.
        row["answers"] = {k: v for k, v in row["answers"].items() if len(v) <= 40}
        sys.stdout.write(json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"{len(out)} responses; lm-eval {lm_eval.__version__ if hasattr(lm_eval, '__version__') else '?'}", file=sys.stderr)


if __name__ == "__main__":
    main()
