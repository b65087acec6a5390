#!/usr/bin/env bash
# The throwaway virtualenv with the reference implementations `assay metric` is cross-checked against:
# sacrebleu (chrF, chrF++, BLEU) and rouge-score (ROUGE-L), from PyPI, in ${ASSAY_CACHE:-~/.cache/assay}/metrics-venv.
set -euo pipefail
venv="${ASSAY_CACHE:-$HOME/.cache/assay}/metrics-venv"
if "$venv/bin/python" -c 'import sacrebleu, rouge_score' 2>/dev/null; then
  echo "$venv"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "sacrebleu==2.4.3" "rouge-score==0.1.2" >&2
echo "$venv"
