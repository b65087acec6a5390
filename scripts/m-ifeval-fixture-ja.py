#!/usr/bin/env python3
"""Builds Tests/Fixtures/m-ifeval/ja.jsonl: responses to every row of M-IFEval's Japanese data and the strict and
loose verdicts M-IFEval's own code gives them (JapaneseInstructionTests compares Assay's with these).

Reference code (not in this repository; copy it into a folder of your own, e.g. /tmp/mifeval-ref):
  instructions/ja_instructions.py            shisa-ai/M-IFEval @ 0a9f2cdcc356822b442ef2f40cda95e4f441378e
  instruction_utils/ja_instructions_util.py  shisa-ai/M-IFEval @ fbfbdeb6200630979d8a47c77227e07cc73f9d75
  evaluation_main.py (strict/loose functions) shisa-ai/M-IFEval @ 6bea109242cd0f77933d07d55f7977c90f6ff53a
The registry's `JA_INSTRUCTION_DICT` (shisa-ai/M-IFEval instructions_registry.py, stored version id 23686090505; the
index gives no commit) is restated below as REGISTRY: id -> class name in ja_instructions.

Run in a throwaway virtualenv with janome 0.5.1, ja_sentence_segmenter 0.3.0, langdetect 1.0.9, absl-py and
immutabledict from PyPI:

  python scripts/m-ifeval-fixture-ja.py --reference /tmp/mifeval-ref --data ../shared/datasets \\
      --out Tests/Fixtures/m-ifeval/ja.jsonl

Three things are changed around the reference, not in it, each because the reference as published cannot run:
- `ja_instructions_util.tokenizing_texts` calls `Tokenizer()(text)`, and janome's Tokenizer is not callable (a
  TypeError for every non-empty response of keywords:existence/frequency/forbidden_words and nominal_ending). It is
  replaced by `Tokenizer().tokenize(text)`, janome's API and what the other copies of this util call.
- `NumberedListChecker.build_description` formats its description with `num_items=` while the pattern names
  `{num_bullets}` (a KeyError for every row of number_numbered_lists). The description is not used for checking, so
  the build catches that KeyError after `_num_items` is set; `check_following` is the reference's.
- `langdetect.DetectorFactory.seed = 0`, as Assay seeds it.
The responses are deterministic (seeded per row and variant), so a rerun writes the same file.
"""

import argparse
import json
import os
import random
import re
import sys
import types

REGISTRY = {
    "keywords:existence": "KeywordChecker", "keywords:frequency": "KeywordFrequencyChecker",
    "keywords:forbidden_words": "ForbiddenWords", "keywords:letter_frequency": "LetterFrequencyChecker",
    "language:response_language": "ResponseLanguageChecker", "length_constraints:number_sentences": "NumberOfSentences",
    "length_constraints:number_paragraphs": "ParagraphChecker", "length_constraints:number_letters": "NumberOfLetters",
    "length_constraints:nth_paragraph_first_word": "ParagraphFirstWordCheck",
    "detectable_content:number_placeholders": "PlaceholderChecker", "detectable_content:postscript": "PostscriptChecker",
    "detectable_format:number_bullet_lists": "BulletListChecker",
    "detectable_format:number_numbered_lists": "NumberedListChecker",
    "detectable_format:constrained_response": "ConstrainedResponseChecker",
    "detectable_format:number_highlighted_sections": "HighlightSectionChecker",
    "detectable_format:multiple_sections": "SectionChecker", "detectable_format:json_format": "JsonFormat",
    "detectable_format:title": "TitleChecker", "combination:two_responses": "TwoResponsesChecker",
    "combination:repeat_prompt": "RepeatPromptThenAnswer", "startend:end_checker": "EndChecker",
    "startend:sentence_unified_end": "SentenceEndingUnification", "detectable_format:nominal_ending": "NominalEndingChecker",
    "letters:furigana": "FuriganaForKanji", "letters:kansuuji": "KanjiNumberNotationChecker",
    "letters:no_katakana": "NoKatakana", "letters:katakana_only": "KatakanaOnly", "letters:no_hiragana": "NoHiragana",
    "letters:hiragana_only": "HiraganaOnly", "letters:kanji": "KanjiLimit", "punctuation:no_comma": "CommaChecker",
    "punctuation:no_period": "PeriodChecker", "startend:quotation": "QuotationChecker",
}

TATOEBA = {"en": "eng", "fr": "fra", "es": "spa", "de": "deu", "it": "ita", "ko": "kor", "ru": "rus", "pt": "por"}
WORDS = ["桜", "自転車", "海", "時計", "猫", "本", "雨", "友達", "映画", "音楽"]
WRAPPERS = [
    lambda t: t,
    lambda t: "以下が回答です。\n" + t,
    lambda t: t + "\nお役に立てれば幸いです！",
    lambda t: "**回答**\n" + t + "\n*ご清聴ありがとうございました*",
]
HIRAGANA_TEXTS = ["きょうは いい てんき です。", "わたしは ねこが すきです。", "あめが ふって います！", "ありがとう ございました。"]
KATAKANA_TEXTS = ["コンニチハ。", "ワタシハ ネコガ スキデス。", "アメガ フッテイマス！", "アリガトウ・ゴザイマシタ。", "ｺﾝﾆﾁﾊ、ｹﾞﾝｷ?"]
NOMINAL = ["美しい夕焼け。", "静かな夜の海。", "春の訪れ！", "私の宝物。", "東京タワー？", "青い空と白い雲。"]
NON_NOMINAL = ["とても楽しかったです。", "雨が降りました。", "明日は晴れるでしょう。"]


def load_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


class Texts:
    def __init__(self, data):
        self.data = data
        self.japanese = load_lines(os.path.join(data, "tatoeba/v1/tatoeba.jpn-eng.jpn"))
        self.cache = {}

    def sentences(self, rng, count, language="ja"):
        lines = self.japanese
        if language != "ja":
            code = TATOEBA.get(language)
            if code not in self.cache:
                path = os.path.join(self.data, f"tatoeba/v1/tatoeba.{code}-eng.{code}")
                if language == "en":
                    path = os.path.join(self.data, "tatoeba/v1/tatoeba.jpn-eng.eng")
                self.cache[code] = load_lines(path) if code and os.path.exists(path) else self.japanese
            lines = self.cache[code]
        start = rng.randrange(len(lines))
        return [lines[(start + i) % len(lines)] for i in range(count)]

    def paragraph(self, rng, count=3):
        return "".join(self.sentences(rng, count))


def count_to(n, follow, less, rng):
    """A count that meets (or misses) `未満 n` / `以上 n`."""
    if follow != less:
        return n + rng.randrange(2)
    return max(0, n - 1 - rng.randrange(2))


def edit(texts, text, iid, kw, follow, rng):
    """One edit of `text` towards following (or breaking) one instruction."""
    kind = iid.split(":", 1)[1]
    less = lambda key: kw.get(key) == "未満"

    if kind == "keywords:existence":
        kws = kw["keywords"]
        if follow:
            return text + "".join(f"{k}について考えます。" for k in kws)
        return text + rng.choice(["", kws[0][:1] + "について。", kws[0] + "的な話。", kws[0] + "性です。"])
    if kind == "keywords:frequency":
        word, n = kw["keyword"], kw["frequency"]
        text = text.replace(word, "")
        k = count_to(n, follow, less("relation"), rng)
        return text + "".join(rng.choice([f"この{word}は便利です。", f"{word}が好き。", f"{word}。"]) for _ in range(k))
    if kind == "keywords:forbidden_words":
        words = kw["forbidden_words"]
        for w in words:
            text = text.replace(w, "")
        if follow:
            return text + rng.choice(["", words[0][:1] + "の話。"])
        return text + rng.choice(words) + rng.choice(["が大切です。", "。", "をとる。"])
    if kind == "keywords:letter_frequency":
        letter, n = kw["letter"], kw["let_frequency"]
        katakana = chr(ord(letter) + 96)
        text = text.replace(letter, "").replace(katakana, "")
        k = count_to(n, follow, less("let_relation"), rng)
        return text + "".join(katakana if i % 3 == 1 else letter for i in range(k))
    if kind == "language:response_language":
        return "".join(texts.sentences(rng, 4, kw["language"])) if follow else text
    if kind == "length_constraints:number_sentences":
        n = kw["num_sentences"]
        k = max(1, count_to(n, follow, less("relation"), rng))
        sentences = texts.sentences(rng, k)
        # Corners of the segmenter: 「」 and () protect their punctuation, a line ending in の joins the next.
        extra = rng.choice(["彼は「行くよ。すぐ行く！」と言った。", "これは(注。補足)です。", "私の\n本です。", "え?本当!"])
        sentences[0] = extra
        return rng.choice(["", "\n"]).join(sentences)
    if kind == "length_constraints:number_paragraphs":
        n = kw["num_paragraphs"]
        k = n if follow else n + rng.choice([-1, 1])
        return rng.choice(["\n***\n", " *** ", "\n\n***\n\n"]).join(texts.paragraph(rng, 2) for _ in range(max(1, k)))
    if kind == "length_constraints:number_letters":
        n = kw["num_letters"]
        target = n + rng.randrange(0, 20) if follow != less("relation") else max(1, n - rng.randrange(1, 20))
        body = ""
        while len(body) < target:
            body += texts.paragraph(rng, 3)
        return body[:target]
    if kind == "length_constraints:nth_paragraph_first_word":
        num, nth, first = kw["num_paragraphs"], kw["nth_paragraph"], kw["first_word"]
        paragraphs = [texts.paragraph(rng, 2) for _ in range(num)]
        if follow:
            paragraphs[nth - 1] = rng.choice([first, "「" + first, "『" + first]) + paragraphs[nth - 1]
        elif rng.random() < 0.5:
            paragraphs[nth - 1] = "次に" + paragraphs[nth - 1]
        else:
            paragraphs[nth - 1] = first + paragraphs[nth - 1]
            paragraphs.append(texts.paragraph(rng, 1))
        return "\n\n".join(paragraphs)
    if kind == "detectable_content:number_placeholders":
        n = kw["num_placeholders"]
        k = n + rng.randrange(2) if follow else max(0, n - 1)
        return text + "".join(f"[{w}]" for w in (WORDS * 2)[:k])
    if kind == "detectable_content:postscript":
        if not follow:
            return text + rng.choice(["", "\n追記：またね。", "\nPS またね。"])
        marker = kw["postscript_marker"]
        return text + "\n\n" + rng.choice([marker, marker.lower()]) + " " + rng.choice(["またお会いしましょう。", "お元気で！"])
    if kind == "detectable_format:number_bullet_lists":
        n = kw["num_bullets"]
        k = n if follow else n + rng.choice([-1, 1])
        marks = ["・", "  ・", "・・"]
        return text + "\n" + "\n".join(rng.choice(marks[:2]) + s for s in texts.sentences(rng, max(0, k))) + (
            "\n" + marks[2] + "これは数えない" if rng.random() < 0.3 else "")
    if kind == "detectable_format:number_numbered_lists":
        n = kw["num_items"]
        k = n if follow else n + rng.choice([-1, 1])
        return text + "\n" + "\n".join(f"{i + 1}. " + s for i, s in enumerate(texts.sentences(rng, max(0, k)))) + (
            "\n１０. 全角は数える" if rng.random() < 0.3 and not follow else "")
    if kind == "detectable_format:constrained_response":
        if follow:
            return rng.choice(["はい、そうです。", "私の答えは：いいえ、違います。", "どちらとも言えません。" + text])
        return rng.choice(["はい。", "いいえ、違う。", text])
    if kind == "detectable_format:number_highlighted_sections":
        n = kw["num_highlights"]
        k = n + rng.randrange(2) if follow else max(0, n - 1)
        return text + "".join(f"《{w}》" for w in (WORDS * 2)[:k]) + rng.choice(["", "《 》", "《》"])
    if kind == "detectable_format:multiple_sections":
        spliter, n = kw["section_spliter"], kw["num_sections"]
        k = n + rng.randrange(2) if follow else max(1, n - 1)
        numbers = lambda i: rng.choice([str(i + 1), chr(0xFF11 + i) if i < 9 else str(i + 1)])
        return "\n".join(f"第{numbers(i)}{spliter}\n" + texts.paragraph(rng, 2) for i in range(k))
    if kind == "detectable_format:json_format":
        if not follow:
            return text
        body = json.dumps({"回答": text, "言語": "ja"}, ensure_ascii=rng.random() < 0.5)
        return rng.choice([body, "```json\n" + body + "\n```", "```\n" + body + "\n```"])
    if kind == "detectable_format:title":
        if follow:
            return "『" + rng.choice(["喜びの詩", "春の海", "猫の一日"]) + "』\n" + text
        return rng.choice(["「喜びの詩」\n", "『 』\n", "『\n』", ""]) + text
    if kind == "combination:two_responses":
        if follow:
            return text + "\n******\n" + texts.paragraph(rng, 2)
        return rng.choice([text, text + "\n******\n" + text, text + "\n******\n\n******\n" + texts.paragraph(rng, 2)])
    if kind == "combination:repeat_prompt":
        p = kw["prompt_to_repeat"]
        return (p + "\n" + text) if follow else (text + "\n" + p if rng.random() < 0.5 else p[: len(p) // 2] + text)
    if kind == "startend:end_checker":
        phrase = kw["end_phrase"]
        if follow:
            return text + rng.choice([phrase, "「" + phrase + "」", phrase + "』"])
        return phrase + text
    if kind == "startend:sentence_unified_end":
        ending = kw["ending"]
        if follow:
            return "".join(rng.choice(["今日は晴れ", "私は学生", "それは本当"]) + ending + rng.choice(["。", "！", "？"])
                           for _ in range(3)) + rng.choice(["", "「そうだね」と言った" + ending + "。"])
        return text + rng.choice(["今日は晴れだ。", "そうですね", "「行きます」と言った。"])
    if kind == "detectable_format:nominal_ending":
        n = kw["count"]
        k = n + rng.randrange(2) if follow else max(0, n - 1)
        return "".join(NON_NOMINAL) + "".join(rng.choice(NOMINAL) for _ in range(k)) + rng.choice(["", "「引用の中の名詞。」"])
    if kind == "letters:furigana":
        if follow:
            return rng.choice(["今日（きょう）は晴（は）れです。", "私（わたし）の猫（ねこ）。", "ひらがなだけ。"])
        return rng.choice(["今日（きょう）は晴れです。", "漢字(かんじ)です。", text, "今日（キョウ）。"])
    if kind == "letters:kansuuji":
        if follow:
            return re.sub(r"\d", "", text) + rng.choice(["二〇二四年です。", "三つあります。", "Ⅻ章"])
        return text + rng.choice(["2024年です。", "３つ。", "٣"])
    if kind == "letters:no_katakana":
        if follow:
            return rng.choice(HIRAGANA_TEXTS) + "漢字も使う。"
        return text + rng.choice(["カタカナ。", "ｶﾀｶﾅ。", "ヺ"])
    if kind == "letters:katakana_only":
        if follow:
            return rng.choice(KATAKANA_TEXTS) + rng.choice(["", "123!", "ー・"])
        return rng.choice(KATAKANA_TEXTS) + rng.choice(["ヴ", "ヵ", "あ", "A", "漢"])
    if kind == "letters:no_hiragana":
        if follow:
            return rng.choice(KATAKANA_TEXTS) + "漢字使用。"
        return text
    if kind == "letters:hiragana_only":
        if follow:
            return rng.choice(HIRAGANA_TEXTS) + rng.choice(["", "ー", "123！"])
        return rng.choice(HIRAGANA_TEXTS) + rng.choice(["ゔ", "ゖ", "カ", "a", "字"])
    if kind == "letters:kanji":
        n = kw["kanji_limit"]
        k = count_to(n, follow, less("relation"), rng)
        kana = re.sub(r"[\u4e00-\u9faf]", "", text)
        return kana + "漢字" * (k // 2) + "字" * (k % 2)
    if kind == "punctuation:no_comma":
        return text.replace("、", "") if follow else text + "はい、そうです。"
    if kind == "punctuation:no_period":
        return text.replace("。", "") if follow else text + "終わり。"
    if kind == "startend:quotation":
        if follow:
            return rng.choice(["「{}」", " 「{}」\n"]).format(text)
        return rng.choice(["{}", "「{}", "『{}』", "“{}”"]).format(text)
    raise SystemExit(f"no edit for {iid}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", required=True, help="folder with instructions/ja_instructions.py, "
                        "instruction_utils/ja_instructions_util.py and evaluation_main.py from M-IFEval")
    parser.add_argument("--data", required=True, help="datasets root (m-ifeval/, tatoeba/)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--per-row", type=int, default=4, help="variants per row: all followed, none, two random mixes")
    args = parser.parse_args()

    import langdetect
    langdetect.DetectorFactory.seed = 0
    sys.path.insert(0, os.path.abspath(args.reference))
    from janome.tokenizer import Tokenizer
    from instruction_utils import ja_instructions_util
    from instructions import ja_instructions
    tokenizer = Tokenizer()
    ja_instructions_util.tokenizing_texts = lambda text: tokenizer.tokenize(text)
    build = ja_instructions.NumberedListChecker.build_description

    def numbered_build(self, **kwargs):
        try:
            return build(self, **kwargs)
        except KeyError:
            return ""
    ja_instructions.NumberedListChecker.build_description = numbered_build
    registry = types.ModuleType("instructions_registry")
    registry.INSTRUCTION_DICT = {"ja:" + k: getattr(ja_instructions, v) for k, v in REGISTRY.items()}
    sys.modules["instructions_registry"] = registry
    import evaluation_main

    texts = Texts(args.data)
    rows = [json.loads(l) for l in open(os.path.join(args.data, "m-ifeval/ja_input_data.jsonl"), encoding="utf-8")]
    out = []
    for index, row in enumerate(rows):
        kwargs = [{k: v for k, v in kw.items() if v is not None} for kw in row["kwargs"]]
        for variant in range(args.per_row):
            rng = random.Random(index * 7919 + variant + 20261129)
            text = texts.paragraph(rng, rng.randrange(2, 6))
            for iid, kw in zip(row["instruction_id_list"], kwargs):
                follow = variant == 0 if variant < 2 else rng.random() < 0.6
                text = edit(texts, text, iid, kw, follow, rng)
            text = WRAPPERS[(index + variant) % len(WRAPPERS)](text)
            strict = evaluation_main.strict(row["instruction_id_list"], kwargs, row["prompt"], text)
            loose = evaluation_main.loose(row["instruction_id_list"], kwargs, row["prompt"], text)
            out.append({"sample": index, "response": text, "instructions_strict": strict, "instructions_loose": loose})
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for entry in out:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    outcomes = {}
    for entry in out:
        for iid, verdict in zip(rows[entry["sample"]]["instruction_id_list"], entry["instructions_strict"]):
            outcomes.setdefault(iid, set()).add(verdict)
    missing = sorted(i for i, o in outcomes.items() if o != {True, False})
    print(f"{len(out)} responses to {len(rows)} rows; {len(outcomes)} types"
          + (f"; one outcome only: {missing}" if missing else "; every type followed and not followed"))


if __name__ == "__main__":
    main()
