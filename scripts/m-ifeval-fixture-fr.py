#!/usr/bin/env python3
"""Builds Tests/Fixtures/m-ifeval/fr.jsonl: responses to every row of M-IFEval's French data and the strict and
loose verdicts M-IFEval's own code gives them (FrenchInstructionTests compares Assay's with these).

Reference code (not in this repository; fetch it into a folder of your own):
  instructions/fr_instructions.py            shisa-ai/M-IFEval @ 1d97ec7d84abe86eeea3e68f327866fe195bea6c
  instruction_utils/fr_instructions_util.py  keimoriyama/M-IFEval @ 2a7b3efe83f5fd84a1d9d5b1d34d882d8d6a5866
  instructions_registry.py (FR part)         keimoriyama/M-IFEval @ 2a7b3efe83f5fd84a1d9d5b1d34d882d8d6a5866
  evaluation_main.py (strict/loose functions) shisa-ai/M-IFEval @ 6bea109242cd0f77933d07d55f7977c90f6ff53a
(shisa-ai's copy of the util is not in the index, and its stored registries either lack French or name a class that
fr_instructions.py comments out; keimoriyama's is a fork of the same lightblue-tech code and lists exactly the 30 ids
fr_input_data.jsonl uses.)

Run in a virtualenv with nltk 3.10.4, langdetect 1.0.9, absl-py and immutabledict, with NLTK_DATA holding
tokenizers/punkt_tab/{english,french} (nltk 3.10 loads `tokenizers/punkt/french.pickle` as punkt_tab's French):

  NLTK_DATA=$HOME/.cache/assay/nltk_data python scripts/m-ifeval-fixture-fr.py \\
      --reference /tmp/mifeval-ref-fr --data ../shared/datasets --out Tests/Fixtures/m-ifeval/fr.jsonl

Two things are changed around the reference, not in it: `nltk.download` is a no-op (the util calls it at import and
the machine is offline; punkt_tab is already in NLTK_DATA), and `langdetect.DetectorFactory.seed = 0`, as Assay seeds
it. The responses are deterministic (seeded per row and variant), so a rerun writes the same file.
"""

import argparse
import json
import os
import random
import re
import sys
import unicodedata

TATOEBA = {"ko": "kor", "te": "tel", "ml": "mal", "zh": "cmn", "sw": "swh", "ja": "jpn", "bn": "ben", "fi": "fin",
           "en": "eng", "es": "spa", "de": "deu", "it": "ita", "pt": "por", "ru": "rus"}

CAPITALS = ["TRÈS", "IMPORTANT", "JAMAIS", "TOUJOURS", "ÉNORME", "VRAI", "BRAVO", "SUPER", "ATTENTION", "NOUVEAU"]
PLAIN_WORDS = ["maison", "jardin", "soleil", "rivière", "chemin", "fenêtre", "musique", "lumière", "village", "forêt"]
WRAPPERS = [
    lambda t: t,
    lambda t: "Voici ma réponse :\n" + t,
    lambda t: t + "\nJ'espère que cela vous aide !",
    lambda t: "**Réponse**\n" + t + "\n*Merci de votre attention*",
]


def load_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


class Texts:
    def __init__(self, data):
        self.data = data
        self.french = load_lines(os.path.join(data, "tatoeba/v1/tatoeba.fra-eng.fra"))
        self.cache = {}

    def sentences(self, rng, count, language="fr"):
        if language == "fr":
            lines = self.french
        else:
            code = TATOEBA.get(language)
            if code not in self.cache:
                path = os.path.join(self.data, f"tatoeba/v1/tatoeba.{code}-eng.{code}")
                self.cache[code] = load_lines(path) if code and os.path.exists(path) else self.french
            lines = self.cache[code]
        start = rng.randrange(len(lines))
        return [lines[(start + i) % len(lines)] for i in range(count)]

    def paragraph(self, rng, count=3):
        return " ".join(self.sentences(rng, count))


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# Corners where Python and a port could part: Unicode digits, decomposed accents, apostrophes, case folding.
CORNERS = {
    "detectable_content:no_digits": [" Le ² et le ① ne sont pas des chiffres.", " Mais ٣ en est un.", " ou ௩ aussi."],
    "detectable_content:informal_address": [" Je t'aime.", " Je t’aime.", " C'est t' ici.", " Le tutoiement.",
                                            " TU viens ?", " Tes amis.", " Táche."],
    "special_character:no_accents": [" Ÿ et ø et ō.", " naïve", " été", " Ç"],
    "special_character:ethel_or_cedilla": [" Œuvre.", " oe et c.", " Ça.", " ǅ."],
    "startend:quotation": ["“{}”", "«{}»", "‹{}›", "'{}\"", "  \"{}\"\n"],
    "change_case:french_lowercase": [" ß et ŉ.", " 123", " ǆ", " İstanbul."],
    "punctuation:no_comma": [" Un， deux.", " Un، deux.", " 3,5 kg."],
    "detectable_format:constrained_response": [" oui.", " Peut-etre.", " Non !", " Non."],
}


def corner(text, iid, kw, rng):
    kind = iid.split(":", 1)[1]
    if kind == "special_character:accents":
        mapping = kw["word_to_accentuate"]
        forms = []
        for plain, accented in mapping.items():
            forms.append(rng.choice([accented.upper(), plain.capitalize(), unicodedata.normalize("NFD", accented),
                                     accented + "s", "l'" + accented, plain + "_" + accented]))
        return text + " " + " ".join(forms) + "."
    options = CORNERS.get(kind)
    if not options:
        return None
    choice = rng.choice(options)
    return choice.format(text) if "{}" in choice else text + choice


def edit(texts, text, iid, kw, follow, rng, prompt, corners=False):
    """One edit of `text` towards following (or breaking) one instruction."""
    if corners:
        edited = corner(text, iid, kw, rng)
        if edited is not None:
            return edited
    kind = iid.split(":", 1)[1]
    less = lambda key: kw.get(key) == "moins de"

    if kind == "change_case:capital_word_frequency":
        n = kw["capital_frequency"]
        lowered = text.lower()
        if follow != less("capital_relation"):  # want at least n
            k = n + rng.randrange(2)
        else:  # want fewer than n
            k = max(0, n - 1 - rng.randrange(2))
        words = [CAPITALS[i % len(CAPITALS)] for i in range(k)]
        return lowered + (" " + " ".join(words) + "." if words else "")
    if kind == "change_case:french_capital":
        # langdetect never says "fr" for upper-case French (it says en, de, ca or vi); only text it cannot read
        # (circled letters, Roman numerals: "No features in text") follows, as the reference counts that as followed.
        if not follow:
            return rng.choice([text, text.upper()])
        return rng.choice([text.upper(), "ⓄⓊⒾ, Ⓑ Ⓘ Ⓔ Ⓝ !", "Ⅻ"])
    if kind == "change_case:french_lowercase":
        return text.lower() if follow else text
    if kind == "combination:repeat_prompt":
        p = kw["prompt_to_repeat"]
        return (p + "\n" + text) if follow else (text + "\n" + p if rng.random() < 0.5 else p[: len(p) // 2] + " " + text)
    if kind == "combination:two_responses":
        if follow:
            return text + "\n******\n" + texts.paragraph(rng, 2)
        return rng.choice([text, text + "\n******\n" + text, text + "\n******\n\n******\n" + texts.paragraph(rng, 2)])
    if kind == "detectable_content:informal_address":
        if follow:
            return rng.choice(["Tu sais, ", "Je te le dis : ", "Écoute-moi, toi. ", "J'ai lu ton message. "]) + text
        text = re.sub(r"\b(tu|te|toi|ton|ta|tes)\b", "vous", text, flags=re.IGNORECASE)
        return re.sub(r"\bt'", "vous ", text, flags=re.IGNORECASE)
    if kind == "detectable_content:no_digits":
        return re.sub(r"\d", "", text) if follow else text + rng.choice([" Il est né en 1987.", " J'ai 3 chats.", " ٣"])
    if kind == "detectable_content:number_placeholders":
        n = kw["num_placeholders"]
        k = n + rng.randrange(2) if follow else max(0, n - 1)
        return text + " " + " ".join(f"[{w}]" for w in (PLAIN_WORDS * 2)[:k])
    if kind == "detectable_content:postscript":
        if not follow:
            return text
        marker = kw["postscript_marker"]
        return text + "\n\n" + marker + " " + rng.choice(["Merci de m'avoir lu.", "À bientôt !", "N'oubliez pas."])
    if kind == "detectable_format:constrained_response":
        if follow:
            return rng.choice(["Oui.", "Ma réponse est : Non.", "Peut-être. " + text])
        return re.sub(r"(Oui|Non|Peut-être)\.", r"\1 !", text)
    if kind == "detectable_format:json_format":
        if not follow:
            return text
        body = json.dumps({"réponse": text, "langue": "fr"}, ensure_ascii=rng.random() < 0.5)
        return rng.choice([body, "```json\n" + body + "\n```", "```\n" + body + "\n```"])
    if kind == "detectable_format:multiple_sections":
        spliter, n = kw["section_spliter"], kw["num_sections"]
        k = n + rng.randrange(2) if follow else max(1, n - 1)
        return "\n\n".join(f"{spliter} {i + 1}\n" + texts.paragraph(rng, 2) for i in range(k))
    if kind == "detectable_format:number_bullet_lists":
        n = kw["num_bullets"]
        k = n if follow else n + rng.choice([-1, 1])
        marks = ["* ", "- ", "  * "]
        return text + "\n" + "\n".join(rng.choice(marks) + s for s in texts.sentences(rng, max(0, k)))
    if kind == "detectable_format:number_highlighted_sections":
        n = kw["num_highlights"]
        k = n + rng.randrange(2) if follow else max(0, n - 1)
        return text + " " + " ".join(rng.choice(["*{}*", "**{}**"]).format(w) for w in (PLAIN_WORDS * 2)[:k])
    if kind == "detectable_format:title":
        if follow:
            return "<<" + rng.choice(["Hymne à la joie", "Le robot amoureux", "Saisons"]) + ">>\n" + text
        return rng.choice(["##Hymne à la joie##\n", "<< >>\n", ""]) + text
    if kind == "keywords:existence":
        kws = kw["keywords"]
        if follow:
            return text + " " + ", ".join(k.upper() if rng.random() < 0.3 else k for k in kws) + "."
        return text + " " + kws[0] + "."
    if kind == "keywords:forbidden_words":
        words = kw["forbidden_words"]
        for w in words:
            text = re.sub(r"\b" + w + r"\b", "", text, flags=re.IGNORECASE)
        return text if follow else text + " " + rng.choice(words).capitalize() + " !"
    if kind == "keywords:frequency":
        word, n = kw["keyword"], kw["frequency"]
        text = re.sub(word, "", text, flags=re.IGNORECASE)
        if follow != less("relation"):
            k = n + rng.randrange(2)
        else:
            k = max(0, n - 1 - rng.randrange(2))
        return text + "".join(f" Le mot {word} revient." for _ in range(k))
    if kind == "keywords:letter_frequency":
        letter, n = kw["letter"], kw["let_frequency"]
        text = re.sub(letter, "", text, flags=re.IGNORECASE)
        if follow != less("let_relation"):
            k = n + rng.randrange(2)
        else:
            k = max(0, n - 1 - rng.randrange(2))
        return text + " " + " ".join(letter.upper() if i % 3 == 0 else letter for i in range(k))
    if kind == "language:response_language":
        return " ".join(texts.sentences(rng, 4, kw["language"])) if follow else text
    if kind == "length_constraints:nth_paragraph_first_word":
        num, nth, first = kw["num_paragraphs"], kw["nth_paragraph"], kw["first_word"]
        paragraphs = [texts.paragraph(rng, 2) for _ in range(num)]
        if follow:
            paragraphs[nth - 1] = rng.choice([first, first.capitalize(), '"' + first + ',']) + " " + paragraphs[nth - 1]
        elif rng.random() < 0.5:
            paragraphs[nth - 1] = "Ensuite " + paragraphs[nth - 1]
        else:
            paragraphs[nth - 1] = first + " " + paragraphs[nth - 1]
            paragraphs.append(texts.paragraph(rng, 1))
        return "\n\n".join(paragraphs)
    if kind == "length_constraints:number_paragraphs":
        n = kw["num_paragraphs"]
        k = n if follow else n + rng.choice([-1, 1])
        return rng.choice(["\n***\n", " *** ", "\n\n***\n\n"]).join(texts.paragraph(rng, 2) for _ in range(max(1, k)))
    if kind == "length_constraints:number_sentences":
        n = kw["num_sentences"]
        if follow != less("relation"):
            k = n + rng.randrange(3)
        else:
            k = max(1, n - 1 - rng.randrange(3))
        sentences = texts.sentences(rng, k)
        # The reference's extra abbreviations (etc., M., cf.) must not end a sentence.
        extra = rng.choice(["Il a acheté des pommes, des poires, etc. et il est parti.", "M. Dupont est arrivé.",
                            "Voir cf. le chapitre deux.", "Le Dr. Martin, env. quarante ans, vit ici."])
        if sentences:
            sentences[0] = extra
        return " ".join(sentences)
    if kind == "length_constraints:number_words":
        n = kw["num_words"]
        target = n + rng.randrange(1, 15) if follow != less("relation") else max(1, n - rng.randrange(1, 15))
        words = []
        while len(words) < target + 40:
            words += texts.paragraph(rng, 3).split()
        return " ".join(words[:target])
    if kind == "punctuation:no_comma":
        return text.replace(",", "") if follow else text + " Bon, voilà."
    if kind == "special_character:accents":
        mapping = kw["word_to_accentuate"]
        words = list(mapping.values()) if follow else list(mapping.keys())
        text = strip_accents(text) if not follow and rng.random() < 0.3 else text
        return text + " " + " ".join(words) + "."
    if kind == "special_character:ethel_or_cedilla":
        char = kw["forbidden_char"]
        if follow:
            return re.sub(re.escape(char), "", text, flags=re.IGNORECASE)
        return text + " " + ("Le GARÇON chante." if char == "ç" else "Il a bon cœur.")
    if kind == "special_character:no_accents":
        return strip_accents(text) if follow else text + " Très bien."
    if kind == "startend:end_checker":
        phrase = kw["end_phrase"]
        if follow:
            return text + " " + rng.choice([phrase, phrase.upper(), '"' + phrase + '"'])
        return phrase + " " + text
    if kind == "startend:quotation":
        if follow:
            return rng.choice(['"{}"', "«{}»", "'{}'", "« {} »"]).format(text)
        return rng.choice(["{}", '"{}', "«{}\"", "{}»"]).format(text)
    raise SystemExit(f"no edit for {iid}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", required=True, help="folder with instructions/, instruction_utils/, "
                        "instructions_registry.py and evaluation_main.py from M-IFEval")
    parser.add_argument("--data", required=True, help="datasets root (m-ifeval/, tatoeba/)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--per-row", type=int, default=4, help="variants per row: all followed, none, "
                        "a random mix, the mix with Unicode corners")
    args = parser.parse_args()

    import nltk
    nltk.download = lambda *a, **k: True  # offline: punkt_tab is in NLTK_DATA already
    import langdetect
    langdetect.DetectorFactory.seed = 0
    sys.path.insert(0, os.path.abspath(args.reference))
    import evaluation_main

    texts = Texts(args.data)
    rows = [json.loads(l) for l in open(os.path.join(args.data, "m-ifeval/fr_input_data.jsonl"), encoding="utf-8")]
    out = []
    for index, row in enumerate(rows):
        for variant in range(args.per_row):
            rng = random.Random(index * 7919 + variant)
            text = texts.paragraph(rng, rng.randrange(2, 6))
            for position, (iid, kw) in enumerate(zip(row["instruction_id_list"], row["kwargs"])):
                follow = variant == 0 if variant < 2 else rng.random() < 0.6
                text = edit(texts, text, iid, kw, follow, rng, row["prompt"], corners=variant == 3)
            text = WRAPPERS[(index + variant) % len(WRAPPERS)](text)
            example = evaluation_main.InputExample(key=row["key"], instruction_id_list=row["instruction_id_list"],
                                                   prompt=row["prompt"], kwargs=row["kwargs"])
            strict = evaluation_main.test_instruction_following_strict(example, {row["prompt"]: text})
            loose = evaluation_main.test_instruction_following_loose(example, {row["prompt"]: text})
            out.append({"sample": index, "response": text, "instructions_strict": strict.follow_instruction_list,
                        "instructions_loose": loose.follow_instruction_list})
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for entry in out:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    # Coverage: every type with both outcomes, strictly.
    outcomes = {}
    for entry in out:
        for iid, verdict in zip(rows[entry["sample"]]["instruction_id_list"], entry["instructions_strict"]):
            outcomes.setdefault(iid, set()).add(verdict)
    missing = sorted(i for i, o in outcomes.items() if o != {True, False})
    print(f"{len(out)} responses to {len(rows)} rows; {len(outcomes)} types"
          + (f"; one outcome only: {missing}" if missing else "; every type followed and not followed"))


if __name__ == "__main__":
    main()
