#!/usr/bin/env python3
"""Builds Tests/Fixtures/m-ifeval/ja-janome.jsonl (committed gzipped: gzip -9 -n): janome's own tokenization of a few hundred varied Japanese texts
(JanomeCrossCheckTests compares Assay's JanomeTokenizer with it token by token), and, with --sentences-out,
Tests/Fixtures/m-ifeval/ja-sentences.jsonl: M-IFEval's `count_sentences` pipeline (ja_sentence_segmenter 0.3.0) on the
same texts plus segmenter corners, each line {"text": ..., "sentences": [...]}.

Texts: every line of the M-IFEval Japanese prompts (m-ifeval/ja_input_data.jsonl), a seeded draw of Tatoeba Japanese
sentences (tatoeba/v1/tatoeba.jpn-eng.jpn), and hand-made corners: unknown kanji and katakana words, full- and
half-width digits, Latin, Greek and Cyrillic words, symbols and emoji, spaces and tabs, repeated punctuation, and texts
longer than janome's 500/1024 code point chunks (cut at 、。 or blank lines).

Run in a virtualenv with janome 0.5.1 and ja_sentence_segmenter 0.3.0 from PyPI:

  python scripts/janome-crosscheck.py --data ../shared/datasets --out Tests/Fixtures/m-ifeval/ja-janome.jsonl \\
      --sentences-out Tests/Fixtures/m-ifeval/ja-sentences.jsonl

Each line: {"text": ..., "tokens": [[surface, part_of_speech, infl_type, infl_form, base_form, reading, phonetic]...]}.
The draw is seeded, so a rerun writes the same file.
"""

import argparse
import json
import os
import random

from janome.tokenizer import Tokenizer

CORNERS = [
    "すもももももももものうち",
    "令和元年に東京スカイツリーへ行きました。",
    "ｶﾀｶﾅの半角テキストとﾊﾝｶｸｶﾅ、それに全角１２３と半角456。",
    "ChatGPTとGPT-4oはOpenAIのモデルです。iPhone 15 Proも。",
    "αβγとДобрый деньとΩの記号。",
    "記号だけ！？！？……――〜〜。。。、、、",
    "絵文字😀も入る文章🎉です。",
    "タブ\tと  スペース　全角スペースの  混在  。",
    "魑魅魍魎と鬱蒼と薔薇と檸檬と齟齬。",
    "ヴァイオリニストのシュヴァルツェネッガーさんとグッゲンハイム美術館。",
    "二〇二四年十二月三十一日、午後十一時五十九分。",
    "1,234,567円と3.14159と１０％オフ。",
    "「かぎかっこ」と『二重かぎかっこ』と（丸かっこ）と【隅付き】。",
    "第1章\n第２節\n第三項",
    "P.S. 追伸です。",
    "《強調》された*マークダウン*の**太字**と`コード`。",
    "https://example.com/path?q=日本語&x=1 と user@example.jp",
    "ｱｲｳｴｵ ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟﾌﾟ",
    "ぁぃぅぇぉっゃゅょゎゕゖ",
    "〇と々と〆とヶと〻",
    "\u3000先頭の全角スペースと末尾の改行\n\n",
    "Ⅰ章とⅡ章と①②③と㈱と㌔",
    "東京都千代田区千代田1-1-1",
    "ーーーー長音だけ",
    "あ",
    "。",
    "漢",
    "ABC",
    "\n\n改行\n\n\n段落\n\n",
]


SEGMENTER_CORNERS = [
    "彼は「行くよ。すぐ行く！」と言った。", "これは(注。補足)です。", "これは（注。補足）です。", "私の\n本です。",
    "私の \n本です。", "の\nだ。", "私の\n\n本です。", "え?本当!", "え？本当！", "半角｡句点｡", "｢かぎ。｣です。",
    "「入れ子「内。」外。」終わり。", "∯。∯と。", "あ∯。∯い。", "行1\r\n行2\r行3\u2028行4\x0c行5", "   \n\n  ",
    "ＡＢＣ１２３。ｱｲｳ。", "―ーー—。〜～~。", "英語 と 日本語 の 間 の 空白。Hello world. これ!", "100%。#タグ!",
    "（（二重）。）", "(開き。だけ", "閉じ。)だけ", "「開き。だけ", "。。。", "!?!?", "の", "のの\nの",
]


def load_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sentences-out")
    args = parser.parse_args()
    rng = random.Random(20261129)
    texts = list(CORNERS)
    with open(os.path.join(args.data, "m-ifeval/ja_input_data.jsonl"), encoding="utf-8") as f:
        prompts = [json.loads(line)["prompt"] for line in f]
    for prompt in prompts:
        texts.extend(line for line in prompt.split("\n") if line.strip())
    texts.extend(prompts[:20])
    tatoeba = os.path.join(args.data, "tatoeba/v1/tatoeba.jpn-eng.jpn")
    if os.path.exists(tatoeba):
        lines = load_lines(tatoeba)
        texts.extend(rng.sample(lines, 300))
        # Long texts: janome cuts them into chunks at 500..1024 code points.
        for _ in range(4):
            start = rng.randrange(len(lines) - 80)
            texts.append("".join(lines[start:start + 60]))
        texts.append("\n\n".join(lines[:70]))
        texts.append("あ" * 1100 + "。" + "カ" * 1500)
        texts.append(("猫が好きです、" * 200))
    seen = set()
    unique = [t for t in texts if not (t in seen or seen.add(t))]
    tokenizer = Tokenizer()
    with open(args.out, "w", encoding="utf-8") as out:
        for text in unique:
            tokens = [[t.surface, t.part_of_speech, t.infl_type, t.infl_form, t.base_form, t.reading, t.phonetic]
                      for t in tokenizer.tokenize(text)]
            out.write(json.dumps({"text": text, "tokens": tokens}, ensure_ascii=False) + "\n")
    if args.sentences_out:
        import functools
        from ja_sentence_segmenter.common.pipeline import make_pipeline
        from ja_sentence_segmenter.concatenate.simple_concatenator import concatenate_matching
        from ja_sentence_segmenter.normalize.neologd_normalizer import normalize
        from ja_sentence_segmenter.split.simple_splitter import split_newline, split_punctuation
        # count_sentences' pipeline, as ja_instructions_util builds it.
        split_punc2 = functools.partial(split_punctuation, punctuations=r"。!?")
        concat_tail_no = functools.partial(concatenate_matching, former_matching_rule=r"^(?P<result>.+)(の)$",
                                           remove_former_matched=False)
        segmenter = make_pipeline(normalize, split_newline, concat_tail_no, split_punc2)
        with open(args.sentences_out, "w", encoding="utf-8") as out:
            for text in SEGMENTER_CORNERS + unique:
                out.write(json.dumps({"text": text, "sentences": list(segmenter(text))}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
