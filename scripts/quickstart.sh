#!/usr/bin/env bash
# One command from a fresh clone to a report: installs the llama.cpp server (once), builds Assay, launches
# llama.cpp on a GGUF model (default: the bundled tiny random-weight Llama 3), runs German MGSM on 10 problems
# and prints the report. Usage: scripts/quickstart.sh [MODEL.gguf] [extra `assay run` flags]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-../shared/models/tiny-llama3-random.gguf}"
shift || true
export ASSAY_DATA="${ASSAY_DATA:-$(cd .. && pwd)/shared/datasets}"
bash scripts/setup-llama.sh >/dev/null
swift build --product assay >&2
exec .build/debug/assay run --runtime llama.cpp --model "$model" --suite mgsm --variant de --limit 10 \
  --max-tokens 256 "$@"
