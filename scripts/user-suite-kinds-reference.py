#!/usr/bin/env python3
"""Scores stored responses of the YAML-only suites of Tests/AssayCLITests/UserSuiteKindsTests.swift as the reference
scorers define their metrics, for the test to compare Assay's report with (to 1e-9). Standard library only: the test
runs it with the system python3 on every run (mock server and llama.cpp alike), so nothing here imports Assay's code
or its numbers.

Input (stdin, JSON): {"tasks": [{"kind": K, "task": "suite/variant", "data": PATH, "samples": [{"sample": i,
"response": TEXT}]}]}; each task's data file is read here in its own layout (SQuAD v1.1 JSON, JSQuAD JSON lines,
a TSV with a header, a CSV, ARC JSON lines) and sample i is row i of the file. Output (stdout, JSON): per task the
corpus value of each metric on a 0..1 scale ("metrics"), each sample's extracted answer ("answers", null when nothing
was extracted), and for few-shot tasks the rows each item's exemplars come from ("exemplars").

The rules, written from the references' published code and documentation (kept in step with the suites' YAML in
the test; the extraction steps are the suites' own, applied here with Python's `re`, which Assay's `findall` step
emulates):
  - squad (several golds): the official SQuAD v1.1 evaluate-v1.1.py: normalize_answer (lower, string.punctuation
    removed, \\b(a|an|the)\\b removed, white space split and joined), exact_match_score, f1_score (Counter over the
    white-space tokens, 0 when nothing is shared), each the maximum over the golds (metric_max_over_ground_truths).
  - jsquad: JGLUE's patch (transformers-4.24.0_jglue-1.1.0.patch) to transformers' squad_metrics.py:
    normalize_answer = white-space fix of (lower(s).rstrip("。")), tokens = the characters of the normalized text;
    get_raw_scores drops golds that normalize to "" and, with none left, scores against [""]; compute_f1 gives
    int(gold == pred) when either side has no token.
  - korquad: KorQuAD 1.0's evaluate-v1.0.py: normalize_answer (' " 《 》 < > 〈 〉 ( ) ‘ ’ to spaces, lower,
    string.punctuation removed, white space fixed), f1_score over the characters of the white-space tokens (0 when
    nothing is shared), maximum over the golds.
  - nli: scikit-learn's f1_score(average="macro" / "weighted") and matthews_corrcoef, from the confusion matrix over
    every label that is gold or predicted (a label's F1 is 0 when it has no true positive: zero_division's default;
    weighted by gold support; MCC 0 when either side is one class, as sklearn returns). No answer is the label "".
  - sts: scipy.stats.pearsonr and spearmanr (Pearson of the ranks, ties given their average rank) over the items
    whose answer reads as a number; where scipy returns NaN (a constant side, fewer than 2 items) Assay reports 0.
  - fewshot: SQuAD v1.1 exact match and F1 (one gold); exemplars are the first `count` rows of the evaluated file,
    the item's own row left out and the next row standing in.
  - arc: accuracy of the last standalone letter A-E against the letter of the option whose label is answerKey.

Run by the test; by hand (from the repository root):
  python3 scripts/user-suite-kinds-reference.py < input.json
  python3 scripts/user-suite-kinds-reference.py --self-check .   # the rules against the committed reference outputs
"""
import collections, csv, json, math, re, string, sys

PUNCTUATION = set(string.punctuation)


# SQuAD v1.1 (evaluate-v1.1.py)
def squad_normalize(s):
    s = s.lower()
    s = "".join(ch for ch in s if ch not in PUNCTUATION)
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def squad_f1(prediction, gold):
    p, g = squad_normalize(prediction).split(), squad_normalize(gold).split()
    same = sum((collections.Counter(p) & collections.Counter(g)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


def squad_em(prediction, gold):
    return float(squad_normalize(prediction) == squad_normalize(gold))


# JSQuAD (JGLUE's patch to transformers' squad_metrics.py)
def jglue_normalize(s):
    return " ".join(s.lower().rstrip("。").split())


def jglue_scores(prediction, golds):
    golds = [g for g in golds if jglue_normalize(g)] or [""]
    exact = max(float(jglue_normalize(g) == jglue_normalize(prediction)) for g in golds)

    def f1(gold):
        g, p = list(jglue_normalize(gold)), list(jglue_normalize(prediction))
        same = sum((collections.Counter(g) & collections.Counter(p)).values())
        if len(g) == 0 or len(p) == 0:
            return float(g == p)
        if same == 0:
            return 0.0
        precision, recall = same / len(p), same / len(g)
        return 2 * precision * recall / (precision + recall)

    return exact, max(f1(g) for g in golds)


# KorQuAD 1.0 (evaluate-v1.0.py)
def korquad_normalize(s):
    for mark in "'\"《》<>〈〉()‘’":
        s = s.replace(mark, " ")
    s = "".join(ch for ch in s.lower() if ch not in PUNCTUATION)
    return " ".join(s.split())


def korquad_f1(prediction, gold):
    p = [c for token in korquad_normalize(prediction).split() for c in token]
    g = [c for token in korquad_normalize(gold).split() for c in token]
    same = sum((collections.Counter(p) & collections.Counter(g)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


# scikit-learn's f1_score and matthews_corrcoef, from the confusion matrix
def label_metrics(predicted, gold):
    labels = sorted(set(predicted) | set(gold))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for p, g in zip(predicted, gold):
        matrix[index[g]][index[p]] += 1
    true_sum = [sum(row) for row in matrix]
    pred_sum = [sum(matrix[r][c] for r in range(len(labels))) for c in range(len(labels))]
    f1s = []
    for i in range(len(labels)):
        tp = matrix[i][i]
        f1s.append(0.0 if tp == 0 else 2 * tp / (true_sum[i] + pred_sum[i]))
    n = len(gold)
    macro = sum(f1s) / len(f1s)
    weighted = sum(f * t for f, t in zip(f1s, true_sum)) / sum(true_sum)
    correct = sum(matrix[i][i] for i in range(len(labels)))
    cov_tp = correct * n - sum(t * p for t, p in zip(true_sum, pred_sum))
    cov_pp = n * n - sum(p * p for p in pred_sum)
    cov_tt = n * n - sum(t * t for t in true_sum)
    mcc = 0.0 if cov_pp * cov_tt == 0 else cov_tp / math.sqrt(cov_tt * cov_pp)
    return {"macro_f1": macro, "weighted_f1": weighted, "mcc": mcc}


# scipy.stats.pearsonr and spearmanr (NaN reported as 0)
def pearson(x, y):
    if len(x) < 2:
        return 0.0
    mx, my = sum(x) / len(x), sum(y) / len(y)
    dx, dy = [a - mx for a in x], [b - my for b in y]
    sxx, syy = sum(a * a for a in dx), sum(b * b for b in dy)
    if sxx == 0 or syy == 0:
        return 0.0
    r = sum(a * b for a, b in zip(dx, dy)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def average_ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


# The suites' extraction steps
def findall_take(pattern, text, take):
    found = re.findall(pattern, text)
    if not found:
        return None
    return found[0] if take == "first" else found[-1]


NLI_LABEL = r"\b(entailment|neutral|contradiction|\d+)\b"
NLI_DIGITS = [(r"^\d*[0369]$", "entailment"), (r"^\d*[147]$", "neutral"), (r"^\d*[258]$", "contradiction")]
STS_NUMBER = r"[0-9]{1,3}(?:\.[0-9]{1,2})?"
ARC_LETTER = r"\b([A-E])\b"


def nli_answer(response):
    answer = findall_take(NLI_LABEL, response, "last")
    if answer is None:
        return None
    for pattern, label in NLI_DIGITS:
        answer = re.sub(pattern, label, answer)
    return answer


# Data files in their own layouts
def squad_rows(path):
    with open(path, encoding="utf-8") as f:
        root = json.load(f)
    return [{"question": qa["question"], "golds": [a["text"] for a in qa["answers"]]}
            for article in root["data"] for paragraph in article["paragraphs"] for qa in paragraph["qas"]]


def jsonl_rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def tsv_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line]


def csv_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def score(task):
    kind, path, samples = task["kind"], task["data"], task["samples"]
    answers, out = {}, {}
    if kind in ("squad", "korquad", "jsquad"):
        rows = jsonl_rows(path) if kind == "jsquad" else squad_rows(path)
        sums = collections.defaultdict(float)
        for s in samples:
            response = s["response"]
            answers[s["sample"]] = response
            if kind == "jsquad":
                exact, f1 = jglue_scores(response, rows[s["sample"]]["answers"]["text"])
                sums["exact_match_jsquad"] += exact
                sums["char_f1_jsquad"] += f1
            elif kind == "korquad":
                sums["char_f1"] += max(korquad_f1(response, g) for g in rows[s["sample"]]["golds"])
            else:
                golds = rows[s["sample"]]["golds"]
                sums["exact_match"] += max(squad_em(response, g) for g in golds)
                sums["f1"] += max(squad_f1(response, g) for g in golds)
        out["metrics"] = {name: value / len(samples) for name, value in sums.items()}
    elif kind == "fewshot":
        rows, count = jsonl_rows(path), task["count"]
        em = f1 = 0.0
        exemplars = {}
        for s in samples:
            i, response = s["sample"], s["response"]
            answers[i] = response
            em += squad_em(response, rows[i]["answer"])
            f1 += squad_f1(response, rows[i]["answer"])
            exemplars[i] = [j for j in range(len(rows)) if j != i][:count]
        out["metrics"] = {"exact_match": em / len(samples), "f1": f1 / len(samples)}
        out["exemplars"] = exemplars
    elif kind == "nli":
        rows = tsv_rows(path)
        predicted, gold = [], []
        for s in samples:
            answer = nli_answer(s["response"])
            answers[s["sample"]] = answer
            predicted.append((answer or "").strip().lower())
            gold.append(rows[s["sample"]]["label"].strip().lower())
        out["metrics"] = label_metrics(predicted, gold)
    elif kind == "sts":
        rows = csv_rows(path)
        x, y = [], []
        for s in samples:
            answer = findall_take(STS_NUMBER, s["response"], "first")
            answers[s["sample"]] = answer
            if answer is not None:
                x.append(float(answer))
                y.append(float(rows[s["sample"]]["score"]))
        out["metrics"] = {"pearson": pearson(x, y), "spearman": pearson(average_ranks(x), average_ranks(y))}
        out["pairs"] = len(x)
    elif kind == "arc":
        rows = jsonl_rows(path)
        right = 0
        for s in samples:
            row = rows[s["sample"]]
            labels = [c["label"] for c in row["question"]["choices"]]
            letter = "ABCDEFGHIJ"[labels.index(row["answerKey"])]
            answer = findall_take(ARC_LETTER, s["response"], "last")
            answers[s["sample"]] = answer
            right += answer == letter
        out["metrics"] = {"letter": right / len(samples)}
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    out["answers"] = answers
    return out


def self_check(root):
    """The rules above against the references' own outputs committed beside other tests: scikit-learn and scipy
    (Tests/Fixtures/label-metrics, scripts/label-metrics-reference.py) and transformers 4.24.0 with JGLUE's patch
    (Tests/Fixtures/jsquad, scripts/jsquad-reference.py). Prints how many cases agree; exits 1 on any difference."""
    with open(root + "/Tests/Fixtures/label-metrics/reference.json", encoding="utf-8") as f:
        labels = json.load(f)
    with open(root + "/Tests/Fixtures/jsquad/reference.json", encoding="utf-8") as f:
        jsquad = json.load(f)
    bad, checked = [], 0
    for case in labels["labels"]:
        mine = label_metrics(case["predicted"], case["gold"])
        for name in ("macro_f1", "weighted_f1", "mcc"):
            checked += 1
            if abs(mine[name] - case[name]) > 1e-12:
                bad.append((case["name"], name, mine[name], case[name]))
    for case in labels["scores"]:
        x, y = case["predicted"], case["gold"]
        for name, mine in (("pearson", pearson(x, y)), ("spearman", pearson(average_ranks(x), average_ranks(y)))):
            checked += 1
            if abs(mine - (case[name] if case[name] is not None else 0.0)) > 1e-12:
                bad.append((case["name"], name, mine, case[name]))
    for case in labels["characters"]:
        checked += 1
        if abs(korquad_f1(case["prediction"], case["gold"]) - case["char_f1"]) > 1e-12:
            bad.append((case["prediction"], "char_f1", korquad_f1(case["prediction"], case["gold"]), case["char_f1"]))
    for case in jsquad["cases"]:
        exact, f1 = jglue_scores(case["prediction"], case["golds"])
        checked += 2
        if exact != case["exact_match"] or abs(f1 - case["char_f1"]) > 1e-12:
            bad.append((case["name"], "jsquad", (exact, f1), (case["exact_match"], case["char_f1"])))
    print(json.dumps({"checked": checked, "differing": bad}, ensure_ascii=False))
    sys.exit(1 if bad else 0)


def main():
    if sys.argv[1:2] == ["--self-check"]:
        self_check(sys.argv[2])
    request = json.load(sys.stdin)
    json.dump({"tasks": {task["task"]: score(task) for task in request["tasks"]}}, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
