#!/usr/bin/env python3
"""Reference scores for `assay metric`'s cross-check: sacrebleu (chrF, chrF++, BLEU), rouge-score (ROUGE-L), the
SQuAD v1.1 evaluation logic (exact match, token F1), and lm-evaluation-harness's own code for MLQA's exact match and
F1 (`tasks/mlqa/utils.py`) and AfroBench's MasakhaNER span F1 (`tasks/afrobench/masakhaner/prompt_1/utils.py`), on
two line-aligned files. Prints {"score": x} (0-100). Runs in the throwaway virtualenv from
scripts/setup-metrics-venv.sh, which unpacks those lm_eval files to ${ASSAY_CACHE:-~/.cache/assay}/lm-eval-reference
(`datasets` and `lm_eval.utils`, which they import but these functions do not use, are stand-ins here).

usage: metrics-reference.py NAME HYP_FILE REF_FILE [LANG]
"""
import collections, json, os, re, string, sys, types


def squad_normalize(text):
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def squad_f1(prediction, gold):
    p, g = squad_normalize(prediction).split(), squad_normalize(gold).split()
    common = collections.Counter(p) & collections.Counter(g)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


def lm_eval_module(relative):
    """A module of lm_eval's task code, imported without lm_eval's dependencies."""
    cache = os.environ.get("ASSAY_CACHE") or os.path.expanduser("~/.cache/assay")
    datasets = types.ModuleType("datasets")
    datasets.Dataset = object
    sys.modules.setdefault("datasets", datasets)
    utils = types.ModuleType("lm_eval.utils")
    utils.weighted_f1_score = None
    sys.modules.setdefault("lm_eval.utils", utils)
    import importlib.util
    path = os.path.join(cache, "lm-eval-reference", relative)
    spec = importlib.util.spec_from_file_location(relative.replace("/", "_"), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    name, hyp_path, ref_path = sys.argv[1:4]
    read = lambda path: open(path, encoding="utf-8").read().split("\n")
    hyps, refs = read(hyp_path), read(ref_path)
    if hyps and hyps[-1] == "" and refs and refs[-1] == "":
        hyps, refs = hyps[:-1], refs[:-1]
    if name in ("chrf", "chrf++", "bleu"):
        import sacrebleu
        metric = sacrebleu.metrics.BLEU() if name == "bleu" else sacrebleu.metrics.CHRF(word_order=2 if name == "chrf++" else 0)
        score = metric.corpus_score(hyps, [refs]).score
    elif name == "rouge_l":
        from rouge_score import rouge_scorer
        scorer = rouge_scorer.RougeScorer(["rougeL"])
        values = [scorer.score(r, h)["rougeL"].fmeasure for h, r in zip(hyps, refs)]
        score = 100 * sum(values) / len(values) if values else 0.0
    elif name == "squad_em":
        values = [float(squad_normalize(h) == squad_normalize(r)) for h, r in zip(hyps, refs)]
        score = 100 * sum(values) / len(values) if values else 0.0
    elif name == "squad_f1":
        values = [squad_f1(h, r) for h, r in zip(hyps, refs)]
        score = 100 * sum(values) / len(values) if values else 0.0
    elif name in ("mlqa_em", "mlqa_f1"):
        mlqa = lm_eval_module("lm_eval/tasks/mlqa/utils.py")
        lang = sys.argv[4]
        fn = mlqa.exact_match_score if name == "mlqa_em" else mlqa.f1_score
        values = [float(mlqa.metric_max_over_ground_truths(fn, h, [r], lang)) for h, r in zip(hyps, refs)]
        score = 100 * sum(values) / len(values) if values else 0.0
    elif name == "span_f1":
        afro = lm_eval_module("lm_eval/tasks/afrobench/masakhaner/prompt_1/utils.py")
        score = 100 * afro.span_f1_agg(list(zip(refs, hyps))) if hyps else 0.0
    else:
        sys.exit(f"unknown metric {name}")
    print(json.dumps({"score": score}))


if __name__ == "__main__":
    main()
