#!/usr/bin/env python3
"""Reference output for Assay's Punkt and word tokenizer cross-check (Tests/AssayCLITests/PunktCrossCheckTests.swift):
nltk's English Punkt sentences, loaded as IFEval loads them, and nltk.word_tokenize, per text.
Runs in the virtualenv from scripts/setup-metrics-venv.sh, with NLTK_DATA holding tokenizers/punkt_tab.

usage: punkt-reference.py < texts.jsonl    (one {"text": ...} per line; prints one {"sentences", "words"} per line)
"""
import json, sys

import nltk
import nltk.redos

# nltk runs every regex match under a wall-clock limit that only turns a runaway match into an error; no text here
# comes near it, and reading the clock for each match makes the reference about a third slower.
nltk.redos.DEFAULT_TIMEOUT = None
sentences = nltk.data.load("nltk:tokenizers/punkt/english.pickle")
# Lines are read as bytes: text mode would also end a line at a bare \r, which JSON writers may leave unescaped.
for line in sys.stdin.buffer:
    if not line.strip():
        continue
    text = json.loads(line.decode("utf-8"))["text"]
    print(json.dumps({"sentences": sentences.tokenize(text), "words": nltk.word_tokenize(text)}))
