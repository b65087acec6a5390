#!/usr/bin/env python3
"""Builds Tests/Fixtures/jsquad/reference.json: JSQuAD's exact match and character F1 as JGLUE computes them, on
hostile Japanese answers, for Tests/AssayCoreTests/JSQuADCrossCheckTests.swift to compare Assay's
`exact_match_jsquad` and `char_f1_jsquad` (JSQuADMetric) against (to 1e-12).

The reference: JGLUE (yahoojapan/JGLUE) scores JSQuAD with transformers' `squad_metrics.py` as its patch
`fine-tuning/patch/transformers-4.24.0_jglue-1.1.0.patch` changes it. The patch changes exactly two things in that
file's scoring, which this script applies to the real transformers 4.24.0 module before calling its own
`get_raw_scores` (gold filtering, the empty-answer rule, exact match and F1 are transformers' code, unchanged):
  - `normalize_answer`: no ASCII punctuation removed, and instead of dropping English articles, trailing "。" are
    stripped (`text.rstrip("。")`); lower() first and the white-space fix last are kept;
  - `compute_f1`: the tokens are the characters of the normalized answer (`list(normalize_answer(s))`), not its
    white-space tokens; done here by replacing `get_tokens`, which `compute_f1` calls for both sides.

Regenerate (from the repository root):
  python3 -m venv /tmp/venv-jsquad && /tmp/venv-jsquad/bin/pip install "transformers==4.24.0"
  /tmp/venv-jsquad/bin/python scripts/jsquad-reference.py > Tests/Fixtures/jsquad/reference.json
"""
import inspect, json, sys

import transformers
from transformers.data.metrics import squad_metrics
from transformers.data.processors.squad import SquadExample

# The functions the patch leaves alone must be the ones it was written against.
assert "get_tokens(a_gold)" in inspect.getsource(squad_metrics.compute_f1), "compute_f1 no longer calls get_tokens"
assert "normalize_answer(answer[\"text\"])" in inspect.getsource(squad_metrics.get_raw_scores)


def jglue_normalize_answer(s):
    def remove_trailing_full_stops(text):
        return text.rstrip("。")

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        return text

    def lower(text):
        return text.lower()

    return white_space_fix(remove_trailing_full_stops(remove_punc(lower(s))))


squad_metrics.normalize_answer = jglue_normalize_answer
squad_metrics.get_tokens = lambda s: list(squad_metrics.normalize_answer(s))

GOLDS = ["東京スカイツリー", "スカイツリー"]
CASES = [
    # (name, prediction, golds)
    ("exact, first gold", "東京スカイツリー", GOLDS),
    ("exact, second gold", "スカイツリー", GOLDS),
    ("trailing full stop stripped", "スカイツリー。", GOLDS),
    ("several trailing full stops", "スカイツリー。。。", GOLDS),
    ("full stop before a trailing space stays", "スカイツリー。 ", GOLDS),
    ("leading full stop stays", "。スカイツリー", GOLDS),
    ("full-width full stop U+FF0E stays", "スカイツリー．", GOLDS),
    ("half-width ideographic full stop U+FF61 stays", "スカイツリー｡", GOLDS),
    ("comma stays", "スカイツリー、", GOLDS),
    ("corner brackets stay", "「スカイツリー」", GOLDS),
    ("white corner brackets and question mark", "『スカイツリー』？", GOLDS),
    ("a space inside counts", "スカイ ツリー", GOLDS),
    ("ideographic space U+3000 becomes one space", "スカイ\u3000ツリー", ["スカイ ツリー"]),
    ("tab and newline runs become one space", "東京\n\t タワー", ["東京 タワー"]),
    ("U+001C splits in Python", "東京\u001cタワー", ["東京 タワー"]),
    ("no-break space splits", "東京\u00a0タワー", ["東京 タワー"]),
    ("zero-width space does not split", "東京\u200bタワー", ["東京タワー"]),
    ("surrounding spaces trimmed", "  東京タワー  ", ["東京タワー"]),
    ("full-width digits are not folded", "１９８９年", ["1989年"]),
    ("half-width digits against half-width", "1989年", ["1989年", "平成元年"]),
    ("partial date", "1989年1月", ["1989年1月7日"]),
    ("full-width capitals lowered to full-width", "ＡＢＣ", ["abc"]),
    ("full-width capitals against full-width lower", "ＡＢＣ", ["ａｂｃ"]),
    ("ASCII capitals lowered", "NHK放送センター", ["nhk放送センター"]),
    ("ASCII punctuation kept", "U.S.A.", ["usa"]),
    ("half-width katakana not folded", "ｽｶｲﾂﾘｰ", GOLDS),
    ("decomposed voiced mark vs precomposed", "か\u3099", ["が"]),
    ("decomposed vs decomposed", "か\u3099き", ["か\u3099"]),
    ("dotted capital I lowers to two code points", "İstanbul", ["i\u0307stanbul"]),
    ("Greek final sigma", "ΟΔΟΣ", ["οδος"]),
    ("emoji counted as characters", "東京🗼", ["東京"]),
    ("ZWJ family emoji", "👨\u200d👩\u200d👧です", ["👨です"]),
    ("astral ideograph", "𠮷野家", ["吉野家"]),
    ("repeated characters counted once each", "ああああ", ["あい"]),
    ("best over three golds", "東京都庁", ["東京", "都庁", "東京都庁舎"]),
    ("no shared character", "大阪", ["東京"]),
    ("empty prediction", "", ["東京"]),
    ("prediction only a full stop", "。", ["東京"]),
    ("prediction only spaces", "   ", ["東京"]),
    ("empty prediction, empty gold", "", [""]),
    ("empty prediction, no golds", "", []),
    ("prediction, no golds", "東京", []),
    ("empty gold dropped", "東京", ["", "東京"]),
    ("gold of only a full stop dropped, none left", "東京", ["。"]),
    ("gold of only a full stop, empty prediction", "", ["。 "]),
    ("long answer, short gold", "東京都墨田区押上一丁目にある電波塔", GOLDS),
]

examples, predictions = [], {}
for index, (name, prediction, golds) in enumerate(CASES):
    qid = f"q{index}"
    examples.append(SquadExample(qid, "質問", "文脈", None, None, "title",
                                 answers=[{"text": gold, "answer_start": 0} for gold in golds]))
    predictions[qid] = prediction
exact, f1 = squad_metrics.get_raw_scores(examples, predictions)
evaluation = squad_metrics.make_eval_dict(exact, f1)

json.dump({
    "generated_by": "scripts/jsquad-reference.py: transformers " + transformers.__version__
        + " squad_metrics with JGLUE 1.1.0's normalize_answer and character tokens, Python " + sys.version.split()[0],
    "cases": [
        {"name": name, "prediction": prediction, "golds": golds,
         "exact_match": float(exact[f"q{i}"]), "char_f1": float(f1[f"q{i}"])}
        for i, (name, prediction, golds) in enumerate(CASES)
    ],
    "exact": evaluation["exact"], "f1": evaluation["f1"], "total": evaluation["total"],
}, sys.stdout, ensure_ascii=False, indent=1)
print()
