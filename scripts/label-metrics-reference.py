#!/usr/bin/env python3
"""Builds Tests/Fixtures/label-metrics/reference.json: scikit-learn's f1_score(average="macro"/"weighted") and
matthews_corrcoef, and scipy.stats' pearsonr and spearmanr, on seeded random inputs, for
Tests/AssayCoreTests/LabelMetricCrossCheckTests.swift to compare Assay's CorpusMetric metrics against (to 1e-9).

The inputs exercise the conventions: ties in scores, a class never predicted, a class only predicted, constant
predictions (MCC 0, F1 0 for the missing classes), constant scores (scipy: NaN, stored as null), one class only.
Also character-level F1 cases for CharacterF1 after the `korquad` normalizer: KorQuAD 1.0's official evaluate-v1.0.py
logic (normalize_answer: ' " 《 》 < > 〈 〉 ( ) ‘ ’ to spaces, lower, string.punctuation removed, white space fixed;
f1_score: Counter over the characters of the white-space tokens, 0 when nothing is shared), rewritten here.

Regenerate (from the repository root):
  python3 -m venv /tmp/metrics-ref && /tmp/metrics-ref/bin/pip install scikit-learn scipy
  /tmp/metrics-ref/bin/python scripts/label-metrics-reference.py > Tests/Fixtures/label-metrics/reference.json
"""
import collections, json, math, random, string, sys

import scipy
import scipy.stats
import sklearn
from sklearn.metrics import f1_score, matthews_corrcoef
import warnings

warnings.simplefilter("ignore")


def labels_case(name, predicted, gold):
    return {
        "name": name, "predicted": predicted, "gold": gold,
        "macro_f1": float(f1_score(gold, predicted, average="macro")),
        "weighted_f1": float(f1_score(gold, predicted, average="weighted")),
        "mcc": float(matthews_corrcoef(gold, predicted)),
    }


def finite(value):
    value = float(value)
    return None if math.isnan(value) else value


def scores_case(name, x, y):
    return {
        "name": name, "predicted": x, "gold": y,
        "pearson": finite(scipy.stats.pearsonr(x, y)[0]),
        "spearman": finite(scipy.stats.spearmanr(x, y)[0]),
    }


def korquad_normalize(text):
    for mark in "'\"《》<>〈〉()‘’":
        text = text.replace(mark, " ")
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    return " ".join(text.split())


def char_f1(prediction, gold):
    p = [c for token in korquad_normalize(prediction).split() for c in token]
    g = [c for token in korquad_normalize(gold).split() for c in token]
    same = sum((collections.Counter(p) & collections.Counter(g)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


rng = random.Random(17)
label_cases = []
classes = ["entailment", "neutral", "contradiction", "other"]
for index in range(6):
    n = rng.randint(20, 200)
    gold = [rng.choice(classes) for _ in range(n)]
    predicted = [g if rng.random() < 0.6 else rng.choice(classes) for g in gold]
    label_cases.append(labels_case(f"random {index}", predicted, gold))
gold = [rng.choice(classes) for _ in range(60)]
label_cases.append(labels_case("a class never predicted", [g if g != "other" else "neutral" for g in gold], gold))
label_cases.append(labels_case("a class only predicted", [g if rng.random() < 0.7 else "unseen" for g in gold], gold))
label_cases.append(labels_case("constant prediction", ["neutral"] * len(gold), gold))
label_cases.append(labels_case("one class only", ["pos"] * 12, ["pos"] * 12))
label_cases.append(labels_case("all wrong, two classes", ["neg", "pos"] * 5, ["pos", "neg"] * 5))
label_cases.append(labels_case("perfect", gold, gold))

score_cases = []
for index in range(5):
    n = rng.randint(10, 150)
    gold = [round(rng.uniform(0, 5), 1) for _ in range(n)]
    predicted = [round(g + rng.gauss(0, 1.2), 2) for g in gold]
    score_cases.append(scores_case(f"random {index}", predicted, gold))
gold = [float(rng.randint(0, 5)) for _ in range(80)]
score_cases.append(scores_case("ties on both sides", [float(min(5, max(0, g + rng.randint(-1, 1)))) for g in gold], gold))
score_cases.append(scores_case("constant prediction", [3.0] * 10, [float(i % 4) for i in range(10)]))
score_cases.append(scores_case("anti-correlated", [5.0 - g for g in gold], gold))

char_cases = []
for prediction, gold in [
    ("東京都", "東京"), ("東京", "東京"), ("大阪", "東京"), ("", "東京"), ("", ""), ("東 京 タワー", "東京タワー"),
    ("서울특별시", "서울"), ("ああいい", "あい"), ("1989年", "1989年1月"), ("《훈민정음》", "훈민정음"),
    ("(주)삼성전자", "삼성 전자"), ("It's \"The Answer\"!", "the answer"), ("세종대왕.", "‘세종’ 대왕"),
]:
    char_cases.append({"prediction": prediction, "gold": gold, "char_f1": char_f1(prediction, gold)})

json.dump({
    "generated_by": "scripts/label-metrics-reference.py (seed 17), scikit-learn " + sklearn.__version__
        + ", scipy " + scipy.__version__ + ", Python " + sys.version.split()[0],
    "labels": label_cases, "scores": score_cases, "characters": char_cases,
}, sys.stdout, ensure_ascii=False, indent=1)
print()
