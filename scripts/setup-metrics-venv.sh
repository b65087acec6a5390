#!/usr/bin/env bash
# The throwaway virtualenv with the reference implementations Assay's scorers are cross-checked against, all from
# PyPI, in ${ASSAY_CACHE:-~/.cache/assay}/metrics-venv:
#   - sacrebleu (chrF, chrF++, BLEU) and rouge-score (ROUGE-L);
#   - nltk and langdetect, and lm-evaluation-harness's copy of Google's IFEval checkers (the `lm_eval/tasks/ifeval`
#     folder of the lm_eval 0.4.5 wheel, unpacked to ${cache}/ifeval-reference without lm_eval's dependencies);
#   - lm_eval 0.4.13's MLQA metric and AfroBench MasakhaNER span F1 code, unpacked to ${cache}/lm-eval-reference.
# It also fills ${cache}/resources with the files the IFEval checkers read at run time, as `assay data fetch
# --suite ifeval` would: nltk's Punkt English parameters (punkt_tab/english, taken from the copy inside the
# llama-index-core wheel, since nltk's own downloader needs GitHub) and langdetect's language profiles (from its
# sdist), and mecab-ipadic 2.7.0-20070801's source tarball (Debian's orig tarball, sha256-checked: the data janome
# compiles, from which Assay builds janome's dictionary for M-IFEval's Japanese checkers). Prints the virtualenv's path.
set -euo pipefail
cache="${ASSAY_CACHE:-$HOME/.cache/assay}"
venv="$cache/metrics-venv"
resources="$cache/resources"
reference="$cache/ifeval-reference"
pip_quiet=(-q --disable-pip-version-check)

if ! "$venv/bin/python" -c 'import sacrebleu, rouge_score, nltk, langdetect, immutabledict, packaging' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install "${pip_quiet[@]}" "sacrebleu==2.4.3" "rouge-score==0.1.2" "nltk==3.10.4" \
    "langdetect==1.0.9" "immutabledict==4.3.1" "packaging" >&2
fi

if [ ! -f "$reference/lm_eval/tasks/ifeval/instructions.py" ] || [ ! -f "$resources/punkt_tab/english/ortho_context.tab" ] \
  || [ ! -f "$resources/punkt_tab/spanish/ortho_context.tab" ] || [ ! -f "$resources/punkt_tab/french/ortho_context.tab" ] \
  || [ ! -f "$resources/langdetect/profiles/en" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  "$venv/bin/pip" download "${pip_quiet[@]}" --no-deps -d "$work" "lm_eval==0.4.5" "llama-index-core==0.14.25" \
    "langdetect==1.0.9" >&2
  rm -rf "$reference" && mkdir -p "$reference"
  (cd "$reference" && python3 -m zipfile -e "$work"/lm_eval-0.4.5-py3-none-any.whl "$work/lm" \
    && mkdir -p lm_eval/tasks && cp -r "$work/lm/lm_eval/tasks/ifeval" lm_eval/tasks/)
  mkdir -p "$resources/punkt_tab" "$resources/langdetect"
  python3 - "$work"/llama_index_core-0.14.25-py3-none-any.whl "$resources/punkt_tab" <<'EOF'
import sys, zipfile, os
wheel, target = sys.argv[1], sys.argv[2]
base = "llama_index/core/_static/nltk_cache/tokenizers/punkt_tab/"
with zipfile.ZipFile(wheel) as archive:
    for language in ("english", "spanish", "french"):
        prefix = base + language + "/"
        for name in archive.namelist():
            if name.startswith(prefix) and not name.endswith("/"):
                os.makedirs(os.path.join(target, language), exist_ok=True)
                with open(os.path.join(target, language, name[len(prefix):]), "wb") as out:
                    out.write(archive.read(name))
EOF
  tar -xzf "$work"/langdetect-1.0.9.tar.gz -C "$work"
  rm -rf "$resources/langdetect/profiles"
  cp -r "$work/langdetect-1.0.9/langdetect/profiles" "$resources/langdetect/profiles"
  cp "$work/langdetect-1.0.9/langdetect/utils/messages.properties" "$resources/langdetect/messages.properties"
fi
lm="$cache/lm-eval-reference"
if [ ! -f "$lm/lm_eval/tasks/mlqa/utils.py" ] || [ ! -f "$lm/lm_eval/tasks/afrobench/masakhaner/prompt_1/utils.py" ]; then
  work13="$(mktemp -d)"
  "$venv/bin/pip" download "${pip_quiet[@]}" --no-deps -d "$work13" "lm_eval==0.4.13" >&2
  rm -rf "$lm" && mkdir -p "$lm"
  python3 -c '
import sys, zipfile, os
wheel, target = sys.argv[1], sys.argv[2]
wanted = ("lm_eval/tasks/mlqa/utils.py", "lm_eval/tasks/afrobench/masakhaner/prompt_1/utils.py")
with zipfile.ZipFile(wheel) as archive:
    for name in wanted:
        os.makedirs(os.path.join(target, os.path.dirname(name)), exist_ok=True)
        with open(os.path.join(target, name), "wb") as out:
            out.write(archive.read(name))
' "$work13"/lm_eval-0.4.13-py3-none-any.whl "$lm"
  rm -rf "$work13"
fi
ipadic="$resources/ipadic/mecab-ipadic_2.7.0-20070801+main.orig.tar.gz"
ipadic_sha256=b62f527d881c504576baed9c6ef6561554658b175ce6ae0096a60307e49e3523
if [ "$(sha256sum "$ipadic" 2>/dev/null | cut -d' ' -f1)" != "$ipadic_sha256" ]; then
  mkdir -p "$resources/ipadic"
  python3 - "$ipadic" "$ipadic_sha256" <<'EOF'
import hashlib, os, sys, urllib.request
target, expected = sys.argv[1], sys.argv[2]
url = "http://deb.debian.org/debian/pool/main/m/mecab-ipadic/mecab-ipadic_2.7.0-20070801+main.orig.tar.gz"
data = urllib.request.urlopen(url, timeout=300).read()
actual = hashlib.sha256(data).hexdigest()
if actual != expected:
    sys.exit(f"{url}: sha256 {actual}, expected {expected}")
with open(target + ".part", "wb") as out:
    out.write(data)
os.replace(target + ".part", target)
EOF
fi
# nltk looks for tokenizers/punkt_tab under NLTK_DATA (a copy: nltk refuses symlinks that leave it), so the
# reference runs with NLTK_DATA=${cache}/nltk_data.
mkdir -p "$cache/nltk_data/tokenizers"
rm -rf "$cache/nltk_data/tokenizers/punkt_tab" && cp -r "$resources/punkt_tab" "$cache/nltk_data/tokenizers/punkt_tab"
echo "$venv"
