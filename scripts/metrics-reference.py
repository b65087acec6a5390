#!/usr/bin/env python3
"""Reference scores for `assay metric`'s cross-check: sacrebleu (chrF, chrF++, BLEU), rouge-score (ROUGE-L) and
the SQuAD v1.1 evaluation logic (exact match, token F1), on two line-aligned files. Prints {"score": x} (0-100).
Runs in the throwaway virtualenv from scripts/setup-metrics-venv.sh.

usage: metrics-reference.py NAME HYP_FILE REF_FILE
"""
import collections, json, re, string, sys


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
    else:
        sys.exit(f"unknown metric {name}")
    print(json.dumps({"score": score}))


if __name__ == "__main__":
    main()
