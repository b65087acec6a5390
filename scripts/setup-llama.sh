#!/usr/bin/env bash
# Creates (once) the virtualenv with llama.cpp's OpenAI-compatible server from PyPI.
# Location: $ASSAY_LLAMA_VENV, else ~/.cache/assay/llama-venv (outside the clone, so reruns are fast).
# Prints the venv's python path on the last line.
set -euo pipefail
venv="${ASSAY_LLAMA_VENV:-$HOME/.cache/assay/llama-venv}"
version="${ASSAY_LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
py="${PYTHON:-python3}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import llama_cpp.server, llama_cpp; assert llama_cpp.__version__ == '$version'" 2>/dev/null; then
  echo "llama.cpp server virtualenv ready: $venv" >&2
  echo "$venv/bin/python"
  exit 0
fi
echo "Creating llama.cpp server virtualenv at $venv (first time: compiles llama.cpp, about 5 minutes)" >&2
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip >&2
# CPU build; no BLAS needed for the tiny test models.
CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" \
  "$venv/bin/python" -m pip install --quiet "llama-cpp-python[server]==$version" >&2
"$venv/bin/python" -c "import llama_cpp.server" >&2
echo "$venv/bin/python"
