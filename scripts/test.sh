#!/usr/bin/env bash
# Runs every test: installs the llama.cpp server virtualenv if missing (cached in ~/.cache/assay) and the
# code-execution toolchains if missing (Debian packages, scripts/setup-toolchains.sh) and the metric reference
# virtualenv (sacrebleu, rouge-score, nltk, langdetect, lm-eval's IFEval checkers from PyPI, with the resources IFEval
# reads: scripts/setup-metrics-venv.sh), builds, and runs `swift test`.
# The integration tests launch their own servers on 127.0.0.1 (llama.cpp on the tiny model from ../shared/models,
# and Assay's own fault-injecting mock server).
set -euo pipefail
cd "$(dirname "$0")/.."
export ASSAY_DATA="${ASSAY_DATA:-$(cd .. && pwd)/shared/datasets}"
if [ ! -d "$ASSAY_DATA" ]; then
  echo "error: dataset folder $ASSAY_DATA not found; set ASSAY_DATA to the folder with MANIFEST.md" >&2
  exit 2
fi
bash scripts/setup-llama.sh >/dev/null
bash scripts/setup-toolchains.sh
bash scripts/setup-metrics-venv.sh >/dev/null
# IFEval's checkers read nltk's Punkt parameters and langdetect's profiles; the setup above put them here.
export ASSAY_RESOURCES="${ASSAY_RESOURCES:-${ASSAY_CACHE:-$HOME/.cache/assay}/resources}"
swift build
swift test "$@"
