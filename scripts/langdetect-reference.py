#!/usr/bin/env python3
"""Reference results for Assay's langdetect port (LanguageDetector): langdetect 1.0.9 with DetectorFactory.seed = 0,
the reproducible form of what IFEval's checkers call. Reads JSON lines {"text": ...} on stdin and prints one line per
text: {"detect": code or null, "probabilities": [[code, p], ...]}, null and [] where langdetect raises
LangDetectException. Each text gets a fresh detector, as langdetect.detect does; detect is taken from the same
detector's probabilities (Detector.detect returns the first of get_probabilities(), or "unknown" if it is empty).
With --sorted-profiles the languages are loaded in sorted file-name order (LanguageDetector's order) instead of
langdetect's os.listdir order, which only moves last bits (see LanguageDetector.swift), so results can be compared
bit for bit. Runs in the throwaway virtualenv from scripts/setup-metrics-venv.sh.

usage: langdetect-reference.py [--sorted-profiles] < texts.jsonl
"""
import json
import os
import sys

from langdetect import DetectorFactory, detector_factory
from langdetect.lang_detect_exception import LangDetectException


def main():
    DetectorFactory.seed = 0
    if "--sorted-profiles" in sys.argv[1:]:
        directory = detector_factory.PROFILES_DIRECTORY
        factory = DetectorFactory()
        files = sorted(name for name in os.listdir(directory) if not name.startswith("."))
        factory.load_json_profile([open(os.path.join(directory, name), encoding="utf-8").read() for name in files])
        detector_factory._factory = factory
    detector_factory.init_factory()
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        text = json.loads(line)["text"]
        detector = detector_factory._factory.create()
        detector.append(text)
        try:
            languages = detector.get_probabilities()
            result = {
                "detect": languages[0].lang if languages else "unknown",
                "probabilities": [[language.lang, language.prob] for language in languages],
            }
        except LangDetectException:
            result = {"detect": None, "probabilities": []}
        out.write(json.dumps(result) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
