#!/usr/bin/env python3
"""BFCL's own prompted-mode messages for a few items of every single-turn category, for Assay's prompt check.

Writes Tests/Fixtures/bfcl/prompts.jsonl: {"id", "category", "messages": [{"role", "content"}]} per line, built
by bfcl-eval 2026.3.23's own code as its runner and OSS handlers do for a chat model with the default prompt format:
bfcl_eval.utils._func_doc_language_specific_pre_processing (the language hint; Java and JavaScript parameters
retyped as strings), then bfcl_eval.model_handler.utils.system_prompt_pre_processing_chat_model on the first turn.
The items are the first three of each category file in ../shared/datasets/bfcl.

Run in the same throwaway virtualenv as scripts/bfcl-reference.py (its docstring has the install command), from
the repository: /tmp/bfcl-venv/bin/python scripts/bfcl-prompts-reference.py
bfcl_eval.constants.model_config is stubbed as there (it imports every API client); nothing else is replaced.
"""
import copy
import json
import os
import sys
import tempfile
import types
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "datasets", "bfcl")
OUT = os.path.join(HERE, "..", "Tests", "Fixtures", "bfcl", "prompts.jsonl")
CATEGORIES = ["simple_python", "simple_java", "simple_javascript", "multiple", "parallel", "parallel_multiple",
              "irrelevance", "live_simple", "live_multiple", "live_parallel", "live_parallel_multiple",
              "live_irrelevance", "live_relevance"]

os.environ["BFCL_PROJECT_ROOT"] = tempfile.mkdtemp(prefix="bfcl-prompts-")


class _AnyModelConfig(dict):
    def __missing__(self, key):
        return types.SimpleNamespace(underscore_to_dot=False, is_fc_model=False)


_stub = types.ModuleType("bfcl_eval.constants.model_config")
_stub.MODEL_CONFIG_MAPPING = _AnyModelConfig()
sys.modules["bfcl_eval.constants.model_config"] = _stub
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from bfcl_eval.utils import _func_doc_language_specific_pre_processing
    from bfcl_eval.model_handler.utils import system_prompt_pre_processing_chat_model

lines = []
for category in CATEGORIES:
    with open(os.path.join(DATA, f"BFCL_v4_{category}.json"), encoding="utf-8") as f:
        entries = [json.loads(line) for line in f if line.strip()][:3]
    for entry in entries:
        entry = copy.deepcopy(entry)
        functions = _func_doc_language_specific_pre_processing(entry["function"], category)
        messages = system_prompt_pre_processing_chat_model(entry["question"][0], functions, entry["id"])
        lines.append(json.dumps({"id": entry["id"], "category": category,
                                 "messages": [{"role": m["role"], "content": m["content"]} for m in messages]},
                                ensure_ascii=False, sort_keys=True))
with open(OUT, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
print(f"{len(lines)} prompts written to {OUT}")
