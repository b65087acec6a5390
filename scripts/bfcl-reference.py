#!/usr/bin/env python3
"""Reference BFCL verdicts for the cross-check of Assay's Swift port of BFCL's prompting-mode decoder and AST checker.

Generates raw "model responses" for items of the Berkeley Function Calling Leaderboard (BFCL v4) and judges every one
of them with bfcl-eval's OWN, unmodified code from PyPI (bfcl-eval==2026.3.23), writing
Tests/Fixtures/bfcl/crosscheck.jsonl: one JSON object per line (UTF-8, ensure_ascii=False, sorted keys)

    {"id", "category", "kind", "text", "valid", "error_type", "decoded"}

id/category name the dataset item; kind is a short tag of what the generator INTENDED (e.g. "correct",
"float_for_int", "swapped_order", "prose_before"): it is not a verdict, bfcl's verdict is valid/error_type;
text is the raw response a prompted model could have returned (BFCL's prompt asks for
`[func_name1(params_name1=params_value1, ...), func_name2(params)]`); valid is bfcl's verdict; error_type is bfcl's
error_type string (null when valid), or "crash:<ExceptionName>" when a bfcl function other than the decoder raised;
decoded is bfcl's decoded output made JSON-safe (null when decoding raised), see json_safe() below: tuples become
lists, non-string dict keys become the string json.dumps gives them (None -> "null": the key bfcl's decoders use for
positional arguments and `**kwargs`).

The evaluation replicates bfcl_eval/eval_checker/eval_runner.py of that release:
  * AST categories (simple_python, simple_java, simple_javascript, multiple, parallel, parallel_multiple,
    live_simple, live_multiple, live_parallel, live_parallel_multiple): `_evaluate_single_ast_entry` as called by
    `ast_file_runner`: language/return format JAVA for simple_java, JAVASCRIPT for simple_javascript, PYTHON
    otherwise (bfcl's is_java / is_js); decoded = default_decode_ast_prompting(text, return_format,
    has_tool_call_tag=False) (this is what `decode_ast` of every prompting handler - OSSHandler, OpenAI/Claude/
    Gemini/... in prompting mode - returns); an exception -> invalid "ast_decoder:decoder_failed";
    not is_function_calling_format_output(decoded) -> invalid "ast_decoder:decoder_wrong_output_format"; else
    ast_checker(prompt["function"], decoded, possible_answer["ground_truth"], language, category, model_name).
  * irrelevance, live_irrelevance, live_relevance: `_evaluate_single_relevance_entry`: decode with
    ReturnFormat.PYTHON inside one try block that also applies is_empty_output (exactly as the runner: a call is
    "contained" when decoding succeeds and the output is not empty); "irrelevance" categories pass when no call is
    contained (else "irrelevance_error:decoder_success"), live_relevance passes when one is (else
    "relevance_error:decoder_failed").
The runner loads prompts with load_dataset_entry(include_language_specific_hint=False), i.e. the function docs as
stored (Java/JS parameter types such as "long", "HashMap", "Boolean" reach the checker unchanged), and aligns ground
truth to prompts by line index; this script does the same with the files under --data (default
../shared/datasets/bfcl (beside the repository), the public BFCL v4 files) and reports whether they are byte-identical to the copies
shipped inside the installed bfcl_eval package (they were for 2026.3.23).

Stubbed modules (nothing else is replaced; decoder, parsers, type converters and checker run unmodified):
  * bfcl_eval.constants.model_config: the real module imports every API model handler (openai, anthropic, google,
    mistral, cohere, boto3, ...). ast_checker only reads MODEL_CONFIG_MAPPING[model].underscore_to_dot (in
    convert_func_name), so the stub's MODEL_CONFIG_MAPPING returns an object with underscore_to_dot = False for any
    key: the setting of every prompting (non-FC) model, i.e. dotted function names are compared as written.
  * BFCL_PROJECT_ROOT is pointed at a temporary folder (removed at exit): bfcl_eval.constants.eval_config creates
    result/, score/ and .file_locks/ under it at import time.

Setup (throwaway virtualenv; bfcl-eval's full dependency list pulls torch, vllm-adjacent and API SDKs, not needed):
    python3 -m venv /tmp/bfcl-venv
    /tmp/bfcl-venv/bin/pip install --no-deps bfcl-eval==2026.3.23 tree_sitter==0.21.3 tree-sitter-java==0.21.0 \\
        tree-sitter-javascript==0.21.4 filelock==3.20.0 tenacity==9.2.1
(filelock and tenacity are the only imports of bfcl_eval.utils / bfcl_eval.model_handler.utils /
bfcl_eval.eval_checker.ast_eval.ast_checker beyond the standard library and tree_sitter.)

Run:
    /tmp/bfcl-venv/bin/python scripts/bfcl-reference.py [--data DIR] [--out FILE] [--check]
--check regenerates in memory and exits 1 unless the existing --out file is byte-identical. The output depends only
on the seed (random.Random(20261206)), the dataset files and the package versions above (made with CPython 3.11);
PYTHONHASHSEED does not matter (no set or hash ordering is used). A summary table (per category: total, valid,
invalid, crashes) is printed at the end.

Safety: the generator never emits values whose decoding executes anything with side effects. bfcl's
resolve_ast_by_type eval()s ast.BinOp values (and would eval a Lambda body if it got that far; it does not: a
lambda value fails decoding with TypeError first), so the only BinOp values generated are arithmetic/string
products of literals such as `4 + 1` or `'ab' * 2`. Call expressions such as `__import__('os').system('id')` are
never executed by bfcl's decoder (a call without keyword arguments becomes its source text via ast.unparse).
"""
import argparse
import contextlib
import copy
import hashlib
import io
import json
import keyword
import os
import random
import re
import shutil
import sys
import tempfile
import time
import types
import warnings
from collections import Counter, OrderedDict

SEED = 20261206
MODEL_NAME = "assay-bfcl-crosscheck"  # only used by convert_func_name through the stubbed MODEL_CONFIG_MAPPING

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "Tests", "Fixtures", "bfcl", "crosscheck.jsonl")
DEFAULT_DATA = os.path.join(HERE, "..", "..", "shared", "datasets", "bfcl")  # ../shared beside the repository

# (category, number of responses)
PLAN = [
    ("simple_python", 250),
    ("simple_java", 160),
    ("simple_javascript", 120),
    ("multiple", 130),
    ("parallel", 130),
    ("parallel_multiple", 120),
    ("irrelevance", 110),
    ("live_simple", 150),
    ("live_multiple", 170),
    ("live_parallel", 60),
    ("live_parallel_multiple", 60),
    ("live_irrelevance", 130),
    ("live_relevance", 50),
]
RELEVANCE_CATEGORIES = ("irrelevance", "live_irrelevance", "live_relevance")
MAX_TEXT = 4096  # keep every response (and the fixture) small

# ----------------------------------------------------------------------------------------------------------------
# bfcl-eval imports (with the model_config stub)
# ----------------------------------------------------------------------------------------------------------------
_BFCL_ROOT = tempfile.mkdtemp(prefix="bfcl-reference-")
os.environ["BFCL_PROJECT_ROOT"] = _BFCL_ROOT


class _AnyModelConfig(dict):
    """MODEL_CONFIG_MAPPING stand-in: every model is a prompting model that keeps dots in function names."""

    def __missing__(self, key):
        return types.SimpleNamespace(underscore_to_dot=False, is_fc_model=False)


_stub = types.ModuleType("bfcl_eval.constants.model_config")
_stub.MODEL_CONFIG_MAPPING = _AnyModelConfig()
sys.modules["bfcl_eval.constants.model_config"] = _stub

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # tree_sitter 0.21 warns about Language(path, name) being deprecated
    from bfcl_eval.constants.enums import Language, ReturnFormat  # noqa: E402
    from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker  # noqa: E402
    from bfcl_eval.model_handler.utils import default_decode_ast_prompting  # noqa: E402
    from bfcl_eval.utils import (  # noqa: E402
        is_empty_output,
        is_function_calling_format_output,
        is_java,
        is_js,
    )
    import bfcl_eval  # noqa: E402


# ----------------------------------------------------------------------------------------------------------------
# Evaluation: eval_runner.py's flow
# ----------------------------------------------------------------------------------------------------------------
def _quiet(fn, *args):
    """Run a bfcl function with stdout captured (js_type_converter prints on dict parse errors)."""
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args)


def evaluate_ast(text, prompt, ground_truth, category):
    if is_java(category):
        language, return_format = Language.JAVA, ReturnFormat.JAVA
    elif is_js(category):
        language, return_format = Language.JAVASCRIPT, ReturnFormat.JAVASCRIPT
    else:
        language, return_format = Language.PYTHON, ReturnFormat.PYTHON
    try:
        decoded = _quiet(default_decode_ast_prompting, text, return_format, False)
    except Exception:
        return False, "ast_decoder:decoder_failed", None, False
    snapshot = json_safe(decoded)
    try:
        well_formed = is_function_calling_format_output(decoded)
    except Exception as e:  # pragma: no cover - not seen
        return False, f"crash:{type(e).__name__}", snapshot, True
    if not well_formed:
        return False, "ast_decoder:decoder_wrong_output_format", snapshot, False
    try:
        result = _quiet(
            ast_checker,
            copy.deepcopy(prompt["function"]),
            decoded,
            copy.deepcopy(ground_truth),
            language,
            category,
            MODEL_NAME,
        )
    except Exception as e:
        return False, f"crash:{type(e).__name__}", snapshot, True
    if result["valid"]:
        return True, None, snapshot, False
    return False, result["error_type"], snapshot, False


def evaluate_relevance(text, category):
    decoded = None
    try:
        decoded = _quiet(default_decode_ast_prompting, text, ReturnFormat.PYTHON, False)
        contain_func_call = True
        if is_empty_output(decoded):
            contain_func_call = False
    except Exception:
        contain_func_call = False
    success = (not contain_func_call) if "irrelevance" in category else contain_func_call
    snapshot = json_safe(decoded)
    if success:
        return True, None, snapshot, False
    if "irrelevance" in category:
        return False, "irrelevance_error:decoder_success", snapshot, False
    return False, "relevance_error:decoder_failed", snapshot, False


def _json_key(key):
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    return repr(key)


def json_safe(value):
    """bfcl's decoded output as JSON: tuples -> lists, non-string keys -> json.dumps(key) (None -> "null")."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise TypeError(f"non-finite float in decoded output: {value!r}")
        return value
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {_json_key(k): json_safe(v) for k, v in value.items()}
    raise TypeError(f"unexpected type in decoded output: {type(value).__name__}")


# ----------------------------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------------------------
def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def sha256_file(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def load_category(data_dir, category):
    prompts = read_jsonl(os.path.join(data_dir, f"BFCL_v4_{category}.json"))
    answers = None
    if category not in RELEVANCE_CATEGORIES:
        answers = read_jsonl(os.path.join(data_dir, "possible_answer", f"BFCL_v4_{category}.json"))
        assert len(answers) == len(prompts), category
        for p, a in zip(prompts, answers):  # the runner aligns by index; these files also agree by id
            assert p["id"] == a["id"], (p["id"], a["id"])
    return prompts, answers


def dataset_matches_package(data_dir):
    package_data = os.path.join(os.path.dirname(bfcl_eval.__file__), "data")
    for category, _ in PLAN:
        names = [f"BFCL_v4_{category}.json"]
        if category not in RELEVANCE_CATEGORIES:
            names.append(os.path.join("possible_answer", f"BFCL_v4_{category}.json"))
        for name in names:
            theirs = os.path.join(package_data, name)
            if not os.path.exists(theirs) or sha256_file(theirs) != sha256_file(os.path.join(data_dir, name)):
                return False
    return True


# ----------------------------------------------------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------------------------------------------------
class Raw(str):
    """Source text inserted verbatim as a parameter value."""


IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
PY_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def py_lit(v, dq=False):
    if isinstance(v, Raw):
        return str(v)
    if v is None or isinstance(v, bool):
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False) if dq else repr(v)
    if isinstance(v, tuple):
        inner = ", ".join(py_lit(x, dq) for x in v)
        return "(" + inner + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, list):
        return "[" + ", ".join(py_lit(x, dq) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{py_lit(k, dq)}: {py_lit(x, dq)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def py_call(name, params, dq=False, sep=", "):
    return f"{name}(" + sep.join(f"{p}={py_lit(v, dq)}" for p, v in params) + ")"


def py_resp(calls, dq=False, joiner=", ", sep=", "):
    return "[" + joiner.join(py_call(n, ps, dq, sep) for n, ps in calls) + "]"


def java_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


JAVA_BOX = {"integer": "Integer", "long": "Long", "String": "String", "double": "Double", "float": "Float",
            "boolean": "Boolean", "char": "Character", "any": "Object", "short": "Short", "byte": "Byte"}
JAVA_PRIM = {"integer": "int", "long": "long", "String": "String", "double": "double", "float": "float",
             "boolean": "boolean", "char": "char", "any": "Object", "short": "short", "byte": "byte"}


def java_scalar(v, t):
    """A Java literal for a scalar ground-truth value of Java type t."""
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if t == "long" and isinstance(v, int):
        return f"{v}L"
    if t == "float" and isinstance(v, (int, float)):
        return f"{float(v)!r}f"
    if t == "double" and isinstance(v, (int, float)):
        return repr(float(v))
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        if t == "char" and len(v) == 1:
            return "'" + v + "'"
        return java_str(v)
    if v is None:
        return "null"
    return java_str(str(v))


def java_value(v, info, ident_vars=True, arraylist_style="aslist"):
    t = info.get("type", "any")
    item_t = info.get("items", {}).get("type", "any")
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, str) and t not in ("String", "char", "any") and IDENT.match(v):
        return v  # a variable name where a typed value is expected (e.g. HashMap "envVariables")
    if isinstance(v, str) and t in ("String", "any") and ident_vars and IDENT.match(v) and v not in ("true", "false", "null"):
        return v
    if t == "Array" and isinstance(v, list):
        return f"new {JAVA_PRIM.get(item_t, 'Object')}[]{{" + ", ".join(java_scalar(x, item_t) for x in v) + "}"
    if t == "ArrayList" and isinstance(v, list):
        box = JAVA_BOX.get(item_t, "Object")
        if not v:
            return f"new ArrayList<{box}>()"
        elems = ", ".join(java_scalar(x, item_t) for x in v)
        if arraylist_style == "aslist":
            return f"new ArrayList<>(Arrays.asList({elems}))"
        return f"new ArrayList<{box}>() {{{{ " + " ".join(f"add({java_scalar(x, item_t)});" for x in v) + " }}"
    if t == "HashMap" and isinstance(v, dict):
        if not v:
            return "new HashMap<>()"
        puts = " ".join(f"put({java_str(str(k))}, {java_scalar(x, 'any')});" for k, x in v.items())
        return "new HashMap<String, Object>() {{ " + puts + " }}"
    return java_scalar(v, t)


def java_call(name, params, sep=", "):
    return f"{name}(" + sep.join(f"{p}={v}" for p, v in params) + ")"


def js_str(s, q="'"):
    out = s.replace("\\", "\\\\").replace(q, "\\" + q).replace("\n", "\\n")
    return q + out + q


def js_scalar(v, t, q="'"):
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return js_str(v, q)
    if isinstance(v, list):
        return "[" + ", ".join(js_scalar(x, "any", q) for x in v) + "]"
    if isinstance(v, dict):
        return js_object(v, q)
    return js_str(str(v), q)


def js_object(d, q="'", quote_keys=False):
    parts = []
    for k, x in d.items():
        key = js_str(str(k), q) if (quote_keys or not IDENT.match(str(k))) else str(k)
        parts.append(f"{key}: {js_scalar(x, 'any', q)}")
    return "{" + ", ".join(parts) + "}"


def js_value(v, info, q="'", ident_vars=True, quote_keys=False):
    t = info.get("type", "any")
    item_t = info.get("items", {}).get("type", "any")
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, str) and t in ("array", "dict") and IDENT.match(v):
        return v
    if isinstance(v, str) and t == "any" and ident_vars and IDENT.match(v) and v not in ("true", "false", "null"):
        return v
    if t == "array" and isinstance(v, list):
        return "[" + ", ".join(js_scalar(x, item_t, q) for x in v) + "]"
    if t == "dict" and isinstance(v, dict):
        return js_object(v, q, quote_keys)
    if t == "float" and isinstance(v, (int, float)):
        return repr(float(v)) if isinstance(v, float) else repr(v)
    return js_scalar(v, t, q)


def js_call(name, params, sep=", "):
    return f"{name}(" + sep.join(f"{p}={v}" for p, v in params) + ")"


# ----------------------------------------------------------------------------------------------------------------
# Text pools
# ----------------------------------------------------------------------------------------------------------------
REFUSALS = [
    "I'm sorry, but none of the available functions can help with this request.",
    "None of the provided functions are relevant to your question, so I can't make a function call here.",
    "The given functions cannot be used to answer this. You may want to consult another resource.",
    "I cannot answer that with the tools I have. The available function is meant for a different task.",
    "There is no suitable function to call for this question.",
    "Unfortunately, the request lacks the parameters required by the available functions.",
    "To answer this I would need a different tool; the provided one does not apply.",
    "I don't have a function for that. Could you provide more details or rephrase?",
    "No function call is needed here: the answer depends on information the tools cannot provide.",
    "抱歉，所提供的函数都无法处理这个请求。",
    "申し訳ありませんが、この質問に使える関数はありません。",
    "عذراً، لا توجد دالة مناسبة لهذا الطلب.",
    "Lo siento, ninguna de las funciones disponibles sirve para esta consulta. 🙏",
    "Sorry",
    "None",
    "N/A",
]
PROSE_BEFORE = [
    "Sure! Here is the function call:\n",
    "To answer your question, I will call the function: ",
    "Based on your request, the appropriate call is\n\n",
    "Let me look that up for you. ",
    "I'll use the available tool.\n",
]
PROSE_AFTER = [
    "\nThis will return the requested information.",
    " Let me know if you need anything else!",
    "\n\nNote: the values above come from your question.",
    " I hope this helps.",
]
UNICODE_VALUES = ["北京市朝阳区建国路88号", "東京タワー 🗼", "مرحبا بالعالم", "שלום עולם", "Ünïcödé naïve café",
                  "🚀🔥💯 launch", "e\u0301te\u0301 (combining accents)", "zero\u200bwidth\u200bspace",
                  "Ελληνικά κείμενα", "한국어 텍스트", "emoji 👩‍💻 family 👨‍👩‍👧"]
ESCAPE_VALUES = ["line1\nline2", "tab\tseparated", "back\\slash", 'say "hi"', "it's", "nul\x00byte", "bell\x07",
                 "carriage\rreturn", "unicode \u00e9 escape"]
EXTRA_PARAM_NAMES = ["verbose", "timeout", "debug", "format", "callback", "api_key", "retries", "extra"]
HOSTILE_CALL_VALUES = [
    "__import__('os').system('echo pwned')",
    "__import__('subprocess').check_output('id')",
    "open('/etc/passwd').read()",
    "exec('print(1)')",
    "eval('2 + 2')",
    "globals()",
    "os.getenv('HOME')",
]
FILLER = "The quick brown fox jumps over the lazy dog. "


def long_string(rng):
    n = rng.choice([600, 1500, 3000])
    base = rng.choice([FILLER, "A", "ab", "数据", "🙂"])
    s = (base * (n // len(base) + 1))[:n]
    return s


# ----------------------------------------------------------------------------------------------------------------
# Generation helpers
# ----------------------------------------------------------------------------------------------------------------
def last_user_text(prompt):
    for turn in reversed(prompt["question"]):
        for msg in reversed(turn):
            if msg.get("role") == "user":
                return msg.get("content") or ""
    return ""


class Item:
    def __init__(self, category, prompt, answer):
        self.category = category
        self.prompt = prompt
        self.id = prompt["id"]
        self.ground_truth = answer["ground_truth"] if answer else None
        self.functions = prompt["function"]
        self.fdocs = OrderedDict((f["name"], f) for f in self.functions)
        self.question = last_user_text(prompt)

    def info(self, fname, param):
        doc = self.fdocs.get(fname)
        if not doc:
            return {}
        return doc["parameters"].get("properties", {}).get(param, {})

    def required(self, fname):
        doc = self.fdocs.get(fname)
        return list(doc["parameters"].get("required", [])) if doc else []


def choose_dict(rng, d, omit_prob=0.3):
    out = OrderedDict()
    for k, allowed in d.items():
        if not isinstance(allowed, list):
            out[k] = copy.deepcopy(allowed)
            continue
        nonempty = [x for x in allowed if x != ""]
        if not nonempty:
            continue
        if "" in allowed and rng.random() < omit_prob:
            continue
        out[k] = copy.deepcopy(rng.choice(nonempty))
    return dict(out)


def concretize(rng, v, info):
    t = info.get("type")
    if t in ("dict", "HashMap") and isinstance(v, dict) and all(isinstance(x, list) for x in v.values()):
        return choose_dict(rng, v)
    if (t in ("array", "Array", "ArrayList") and isinstance(v, list) and v
            and all(isinstance(x, dict) for x in v) and info.get("items", {}).get("type") == "dict"):
        return [choose_dict(rng, x) if all(isinstance(y, list) for y in x.values()) else x for x in v]
    return copy.deepcopy(v)


def gt_calls(rng, item, omit_prob=0.4, keep_all=False):
    """Concrete calls drawn from the ground truth: [[name, [[param, value], ...]], ...]."""
    calls = []
    for call in item.ground_truth:
        (name, allowed_map), = call.items()
        params = []
        for p, allowed in allowed_map.items():
            nonempty = [v for v in allowed if v != ""]
            if not nonempty:
                continue
            if "" in allowed and not keep_all and rng.random() < omit_prob:
                continue
            params.append([p, concretize(rng, rng.choice(nonempty), item.info(name, p))])
        calls.append([name, params])
    return calls


def synth_value(rng, info, question, depth=0):
    t = info.get("type", "string")
    if "enum" in info and info["enum"]:
        return copy.deepcopy(rng.choice(info["enum"]))
    if "default" in info and info["default"] not in (None, "") and rng.random() < 0.5:
        return copy.deepcopy(info["default"])
    if t in ("string", "String", "any", "char"):
        words = re.findall(r"[A-Za-z][A-Za-z'-]{3,}", question)
        if words and rng.random() < 0.7:
            start = rng.randrange(len(words))
            return " ".join(words[start:start + rng.randint(1, 3)])
        return rng.choice(["example", "default", "New York, NY", "2024-01-01", "user_123"])
    if t in ("integer", "long", "short", "byte"):
        return rng.randint(1, 100)
    if t in ("float", "double"):
        return round(rng.uniform(0, 100), 2)
    if t in ("boolean", "Boolean"):
        return rng.choice([True, False])
    if t in ("array", "tuple", "Array", "ArrayList"):
        if depth > 1:
            return []
        return [synth_value(rng, info.get("items", {"type": "string"}), question, depth + 1)
                for _ in range(rng.randint(1, 2))]
    if t in ("dict", "HashMap"):
        props = info.get("properties", {})
        if props and depth <= 1:
            return {k: synth_value(rng, v, question, depth + 1) for k, v in list(props.items())[:2]}
        return {}
    return "value"


def synth_call(rng, item, fdoc, all_params=False):
    props = fdoc["parameters"].get("properties", {})
    required = fdoc["parameters"].get("required", [])
    params = []
    for p, info in props.items():
        if p in required or (all_params and rng.random() < 0.5):
            params.append([p, synth_value(rng, info, item.question)])
    return [fdoc["name"], params]


def slots(item, calls, pred):
    out = []
    for ci, (name, params) in enumerate(calls):
        for pi, (p, v) in enumerate(params):
            if pred(p, v, item.info(name, p)):
                out.append((ci, pi))
    return out


def is_wordy(v):
    return isinstance(v, str) and len(v) >= 3 and re.search(r"[A-Za-z\u00c0-\uffff]", v) is not None


def accepted_variants(s):
    """Variants equal to s under standardize_string (drops spaces and ,./-_*^, lowercases, ' -> ")."""
    out = [s.upper(), s.lower(), s.title(), s.swapcase()]
    if " " in s:
        out += [s.replace(" ", ""), s.replace(" ", "-"), s.replace(" ", "_"), s.replace(" ", "  "),
                s.replace(" ", ", ")]
    if "," in s:
        out.append(s.replace(",", ""))
    if "-" in s:
        out.append(s.replace("-", " "))
    if "_" in s:
        out.append(s.replace("_", " "))
    out += [s + ".", "*" + s + "*", s + "^", "/" + s]
    if "'" in s:
        out.append(s.replace("'", '"'))
    if '"' in s:
        out.append(s.replace('"', "'"))
    return [x for x in out if x != s] or [s + "."]


def rejected_variants(s):
    out = [s + "!", s + "?", "the " + s, s + " please", "(" + s + ")", s + ":", "#" + s, s + "s"]
    if len(s) > 3:
        out += [s[:-1], s[1:], s[:2] + s[3:]]
    if " " in s:
        out.append(s.replace(" ", ";"))
    out.append(s.replace("a", "4") if "a" in s else s + "1")
    return [x for x in out if x != s]


# ----------------------------------------------------------------------------------------------------------------
# Python-format generator (AST categories other than java/javascript)
# ----------------------------------------------------------------------------------------------------------------
class PyGen:
    def __init__(self, rng, item):
        self.rng = rng
        self.item = item
        self.parallel = "parallel" in item.category
        self.multiple = "multiple" in item.category

    def calls(self, **kw):
        return gt_calls(self.rng, self.item, **kw)

    def resp(self, calls, dq=None):
        if dq is None:
            dq = self.rng.random() < 0.3
        return py_resp(calls, dq=dq)

    def pick(self, calls, pred):
        found = slots(self.item, calls, pred)
        return self.rng.choice(found) if found else None

    # ---- intended correct ------------------------------------------------------------------------------------
    def k_correct(self):
        return "correct", py_resp(self.calls(), dq=False)

    def k_correct_double_quotes(self):
        return "correct_double_quotes", py_resp(self.calls(), dq=True)

    def k_correct_all_optionals(self):
        return "correct_all_optionals", self.resp(self.calls(keep_all=True))

    def k_correct_shuffled_params(self):
        calls = self.calls(keep_all=self.rng.random() < 0.5)
        for c in calls:
            self.rng.shuffle(c[1])
        return "correct_shuffled_params", self.resp(calls)

    def k_correct_compact(self):
        calls = self.calls()
        return "correct_compact", py_resp(calls, dq=self.rng.random() < 0.5, joiner=",", sep=",")

    def k_int_for_float(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: i.get("type") == "float" and not isinstance(v, bool) and (
            isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15)))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = int(calls[ci][1][pi][1])
        return "int_for_float", self.resp(calls)

    def k_string_variant_accepted(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: i.get("type") in ("string", "any") and is_wordy(v))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = self.rng.choice(accepted_variants(calls[ci][1][pi][1]))
        return "string_variant_accepted", self.resp(calls)

    def k_list_string_variant(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, list) and any(is_wordy(x) for x in v))
        if not s:
            return None
        ci, pi = s
        lst = calls[ci][1][pi][1]
        idx = self.rng.choice([k for k, x in enumerate(lst) if is_wordy(x)])
        if self.rng.random() < 0.6:
            lst[idx] = self.rng.choice(accepted_variants(lst[idx]))
            return "list_string_variant_accepted", self.resp(calls)
        lst[idx] = self.rng.choice(rejected_variants(lst[idx]))
        return "list_string_variant_rejected", self.resp(calls)

    def k_escaped_equivalent(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: is_wordy(v) and i.get("type") in ("string", "any"))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        chars = []
        for k, ch in enumerate(v):
            if ch.isalpha() and k % 2 == 0:
                chars.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}" if ord(ch) < 65536
                             else f"\\U{ord(ch):08x}")
            elif ch in "\\\"":
                chars.append("\\" + ch)
            elif ch == "\n":
                chars.append("\\n")
            else:
                chars.append(ch)
        calls[ci][1][pi][1] = Raw('"' + "".join(chars) + '"')
        return "escaped_equivalent", self.resp(calls)

    def k_binop_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: i.get("type") == "integer" and isinstance(v, int) and not isinstance(v, bool))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        calls[ci][1][pi][1] = Raw(f"{v - 1} + 1" if self.rng.random() < 0.7 else f"{v} * 1")
        return "binop_value", self.resp(calls)

    def k_tuple_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, list) and i.get("type") in ("array", "tuple"))
        if not s:
            return None
        ci, pi = s
        t = self.item.info(calls[ci][0], calls[ci][1][pi][0]).get("type")
        calls[ci][1][pi][1] = tuple(calls[ci][1][pi][1])
        return ("tuple_for_tuple" if t == "tuple" else "tuple_for_list"), self.resp(calls)

    def k_code_fence_plain(self):
        return "code_fence_plain", "```\n" + self.resp(self.calls()) + "\n```"

    def k_bare_call(self):
        calls = self.calls()
        dq = self.rng.random() < 0.3
        return "bare_call", ", ".join(py_call(n, ps, dq) for n, ps in calls)

    def k_trailing_comma(self):
        calls = self.calls()
        text = self.resp(calls)
        if self.rng.random() < 0.5:
            return "trailing_comma", text[:-1] + ",]"
        last = text.rfind(")")
        return "trailing_comma_args", text[:last] + ("," if calls[-1][1] else "") + text[last:]

    def k_multiline(self):
        calls = self.calls()
        dq = self.rng.random() < 0.5
        body = ",\n    ".join(py_call(n, ps, dq) for n, ps in calls)
        return "multiline_list", "\n[\n    " + body + "\n]\n"

    def k_unclosed_bracket(self):
        return "unclosed_bracket", self.resp(self.calls())[:-1]

    def k_wrapped_single_quotes(self):
        return "wrapped_single_quotes", "'" + py_resp(self.calls(), dq=True) + "'"

    def k_swapped_order(self):
        calls = self.calls()
        if len(calls) < 2:
            return None
        orig = [c[0] for c in calls]
        calls = calls[::-1] if self.rng.random() < 0.5 else self.rng.sample(calls, len(calls))
        if [c[0] for c in calls] == orig and len(set(orig)) > 1:
            calls = calls[::-1]
        return "swapped_order", self.resp(calls)

    # ---- intended wrong: types ----------------------------------------------------------------------------
    def k_float_for_int(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: i.get("type") == "integer" and isinstance(v, int) and not isinstance(v, bool))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = float(calls[ci][1][pi][1])
        return "float_for_int", self.resp(calls)

    def k_bool_for_int(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: i.get("type") in ("integer", "float") and isinstance(v, (int, float))
                      and not isinstance(v, bool))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = bool(calls[ci][1][pi][1])
        return "bool_for_number", self.resp(calls)

    def k_str_for_number(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, (int, float)) and not isinstance(v, bool))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = str(calls[ci][1][pi][1])
        return "str_for_number", self.resp(calls)

    def k_number_for_str(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, str) and i.get("type") in ("string", "any"))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        if re.fullmatch(r"-?\d+", v.strip()):
            calls[ci][1][pi][1] = int(v)
        elif re.fullmatch(r"-?\d+\.\d+", v.strip()):
            calls[ci][1][pi][1] = float(v)
        else:
            calls[ci][1][pi][1] = self.rng.choice([0, 1, 42, 3.14])
        return "number_for_str", self.resp(calls)

    def k_list_for_str(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, str) and i.get("type") in ("string", "any"))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = [calls[ci][1][pi][1]]
        return "list_for_str", self.resp(calls)

    def k_str_for_list(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, list) and v and i.get("type") == "array")
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        calls[ci][1][pi][1] = ", ".join(str(x) for x in v)
        return "str_for_list", self.resp(calls)

    def k_bool_variant(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, bool))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        choice = self.rng.randrange(4)
        if choice == 0:
            calls[ci][1][pi][1] = not v
            return "bool_flipped", self.resp(calls)
        if choice == 1:
            calls[ci][1][pi][1] = "true" if v else "false"
            return "bool_as_string", self.resp(calls)
        if choice == 2:
            calls[ci][1][pi][1] = int(v)
            return "int_for_bool", self.resp(calls)
        calls[ci][1][pi][1] = Raw("true" if v else "false")
        return "lowercase_bool_name", self.resp(calls)

    def k_none_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: True)
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = None
        return "none_value", self.resp(calls)

    def k_dict_mutation(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, dict) and i.get("type") == "dict")
        if not s:
            return None
        ci, pi = s
        d = calls[ci][1][pi][1]
        choice = self.rng.randrange(4)
        if choice == 0 or not d:
            d["unexpected_key"] = "x"
            return "dict_extra_key", self.resp(calls)
        key = self.rng.choice(list(d))
        if choice == 1:
            del d[key]
            return "dict_missing_key", self.resp(calls)
        if choice == 2 and is_wordy(d[key]):
            d[key] = self.rng.choice(accepted_variants(d[key]))
            return "dict_value_variant_accepted", self.resp(calls)
        d[key] = [d[key]] if not isinstance(d[key], list) else {"value": d[key]}
        return "dict_nested_value", self.resp(calls)

    def k_nested_list(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, list))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        if self.rng.random() < 0.5:
            calls[ci][1][pi][1] = [v]
            return "list_extra_nesting", self.resp(calls)
        calls[ci][1][pi][1] = list(reversed(v)) if len(v) > 1 else v + v
        return "list_reordered", self.resp(calls)

    # ---- intended wrong: values / structure ------------------------------------------------------------------
    def k_wrong_number(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, (int, float)) and not isinstance(v, bool))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        choice = self.rng.randrange(3)
        if choice == 0:
            calls[ci][1][pi][1] = v + 1
            return "wrong_number", self.resp(calls)
        if choice == 1 and v != 0:
            calls[ci][1][pi][1] = -v
            return "negated_number", self.resp(calls)
        if isinstance(v, int) and v >= 0:
            calls[ci][1][pi][1] = Raw(f"+{v}")
            return "unary_plus", self.resp(calls)
        calls[ci][1][pi][1] = v * 10
        return "wrong_number", self.resp(calls)

    def k_negative_literal(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, (int, float)) and not isinstance(v, bool) and v < 0)
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        calls[ci][1][pi][1] = Raw(f"-({-v!r})") if self.rng.random() < 0.3 else v
        return "negative_number", self.resp(calls)

    def k_string_variant_rejected(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: is_wordy(v))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = self.rng.choice(rejected_variants(calls[ci][1][pi][1]))
        return "string_variant_rejected", self.resp(calls)

    def k_missing_required(self):
        calls = self.calls()
        req = [(ci, pi) for ci, (n, ps) in enumerate(calls) for pi, (p, v) in enumerate(ps)
               if p in self.item.required(n)]
        if not req:
            return None
        ci, pi = self.rng.choice(req)
        del calls[ci][1][pi]
        return "missing_required", self.resp(calls)

    def k_missing_not_optional(self):
        calls = self.calls()
        cand = []
        for ci, (n, ps) in enumerate(calls):
            allowed = self.item.ground_truth[ci][n]
            for pi, (p, v) in enumerate(ps):
                if p not in self.item.required(n) and "" not in allowed.get(p, [""]):
                    cand.append((ci, pi))
        if not cand:
            return None
        ci, pi = self.rng.choice(cand)
        del calls[ci][1][pi]
        return "missing_optional_not_optional", self.resp(calls)

    def k_extra_param(self):
        calls = self.calls()
        ci = self.rng.randrange(len(calls))
        name, params = calls[ci]
        doc = self.item.fdocs.get(name, {"parameters": {"properties": {}}})
        props = doc["parameters"].get("properties", {})
        gt_params = self.item.ground_truth[ci][name]
        offered = [p for p in props if p not in gt_params and p not in [x[0] for x in params]]
        if offered and self.rng.random() < 0.5:
            p = self.rng.choice(offered)
            params.append([p, synth_value(self.rng, props[p], self.item.question)])
            return "extra_offered_param", self.resp(calls)
        p = self.rng.choice([x for x in EXTRA_PARAM_NAMES if x not in props])
        params.insert(self.rng.randint(0, len(params)), [p, self.rng.choice([True, 10, "json", None])])
        return "extra_param", self.resp(calls)

    def k_wrong_func_name(self):
        calls = self.calls()
        ci = self.rng.randrange(len(calls))
        name = calls[ci][0]
        if "." in name:
            variants = [name.replace(".", "_"), name.split(".")[-1], name.replace(".", "/")]
            label = "dotted_name_mangled"
        else:
            variants = [name + "s", name.upper(), "functions." + name, name.replace("_", ""),
                        "math." + name if not name.startswith("math") else name + "_v2"]
            label = "wrong_func_name"
        variants = [v for v in variants if v != name and PY_IDENT.match(v.replace(".", "_"))]
        new = self.rng.choice(variants) if variants else name + "_v2"
        calls[ci][0] = new
        return label, self.resp(calls)

    def k_positional_args(self):
        calls = self.calls()
        dq = self.rng.random() < 0.3
        parts = []
        for n, ps in calls:
            parts.append(f"{n}(" + ", ".join(py_lit(v, dq) for _, v in ps) + ")")
        return "positional_args", "[" + ", ".join(parts) + "]"

    def k_mixed_positional(self):
        calls = self.calls(keep_all=True)
        s = [(ci) for ci, (n, ps) in enumerate(calls) if len(ps) >= 2]
        if not s:
            return None
        ci = self.rng.choice(s)
        n, ps = calls[ci]
        head = py_lit(ps[0][1])
        rest = ", ".join(f"{p}={py_lit(v)}" for p, v in ps[1:])
        texts = [py_call(nn, pp) if k != ci else f"{n}({head}, {rest})" for k, (nn, pp) in enumerate(calls)]
        return "mixed_positional", "[" + ", ".join(texts) + "]"

    def k_variable_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: True)
        if not s:
            return None
        ci, pi = s
        p = calls[ci][1][pi][0]
        v = calls[ci][1][pi][1]
        if isinstance(v, str) and PY_IDENT.match(v) and not keyword.iskeyword(v):
            calls[ci][1][pi][1] = Raw(v)  # unquoted identifier: decodes to the same string
            return "identifier_for_string", self.resp(calls)
        calls[ci][1][pi][1] = Raw(p if PY_IDENT.match(p) and not keyword.iskeyword(p) else "value")
        return "variable_value", self.resp(calls)

    def k_nested_call_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: True)
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        if self.rng.random() < 0.5:
            calls[ci][1][pi][1] = Raw(f"get_value(value={py_lit(v)})")
        else:
            calls[ci][1][pi][1] = Raw(f"str({py_lit(v)})")
        return "nested_call_value", self.resp(calls)

    # ---- intended wrong: parallel / multiple -------------------------------------------------------------------
    def k_extra_call(self):
        calls = self.calls()
        calls.insert(self.rng.randint(0, len(calls)), copy.deepcopy(self.rng.choice(calls)))
        return "extra_call", self.resp(calls)

    def k_dropped_call(self):
        calls = self.calls()
        if len(calls) < 2:
            return "empty_list", "[]"
        del calls[self.rng.randrange(len(calls))]
        return "dropped_call", self.resp(calls)

    def k_duplicate_calls(self):
        calls = self.calls()
        if len(calls) < 2:
            return None
        i, j = self.rng.sample(range(len(calls)), 2)
        calls[j] = copy.deepcopy(calls[i])
        return "duplicate_calls", self.resp(calls)

    def k_other_function(self):
        gt_names = [list(c)[0] for c in self.item.ground_truth]
        others = [f for f in self.item.functions if f["name"] not in gt_names]
        if not others:
            return None
        other = self.rng.choice(others)
        calls = self.calls()
        new = synth_call(self.rng, self.item, other)
        if len(calls) > 1 and self.rng.random() < 0.5:
            calls[self.rng.randrange(len(calls))] = new
        else:
            calls = [new]
        return "other_function", self.resp(calls)

    def k_extra_other_function(self):
        gt_names = [list(c)[0] for c in self.item.ground_truth]
        others = [f for f in self.item.functions if f["name"] not in gt_names]
        if not others:
            return None
        calls = self.calls()
        calls.append(synth_call(self.rng, self.item, self.rng.choice(others)))
        return "extra_other_function", self.resp(calls)

    # ---- malformed ----------------------------------------------------------------------------------------------
    def k_prose_before(self):
        return "prose_before", self.rng.choice(PROSE_BEFORE) + self.resp(self.calls())

    def k_prose_after(self):
        return "prose_after", self.resp(self.calls()) + self.rng.choice(PROSE_AFTER)

    def k_code_fence_lang(self):
        lang = self.rng.choice(["python", "py", "json", "tool_code"])
        return "code_fence_" + ("python" if lang in ("python", "py") else lang), f"```{lang}\n" + self.resp(self.calls()) + "\n```"

    def k_json_object(self):
        calls = self.calls()
        choice = self.rng.randrange(3)
        if choice == 0:
            objs = [{"name": n, "arguments": dict(ps)} for n, ps in calls]
            text = json.dumps(objs if len(objs) > 1 else objs[0], ensure_ascii=False)
        elif choice == 1:
            text = json.dumps([{n: dict(ps)} for n, ps in calls], ensure_ascii=False)
        else:
            text = json.dumps({"function_call": {"name": calls[0][0], "arguments": json.dumps(dict(calls[0][1]))}},
                              ensure_ascii=False)
        return "json_object", text

    def k_unbalanced(self):
        text = self.resp(self.calls())
        choice = self.rng.randrange(4)
        if choice == 0:
            return "unbalanced_extra_paren", text[:-1] + ")]"
        if choice == 1:
            last = text.rfind(")")
            return "unbalanced_missing_paren", text[:last] + text[last + 1:]
        if choice == 2:
            return "double_brackets", "[" + text + "]"
        return "unbalanced_extra_bracket", text + "]"

    def k_separator(self):
        calls = self.calls()
        if len(calls) < 2:
            calls = calls + [copy.deepcopy(calls[0])]
        sep = self.rng.choice(["; ", "\n", " "])
        label = {"; ": "semicolon_separated", "\n": "newline_separated", " ": "space_separated"}[sep]
        return label, "[" + sep.join(py_call(n, ps) for n, ps in calls) + "]"

    def k_empty(self):
        return self.rng.choice([("empty_list", "[]"), ("empty_string", ""), ("whitespace_only", "  \n ")])

    def k_only_prose(self):
        return "only_prose", self.rng.choice(REFUSALS[:9])

    def k_tool_tags(self):
        text = self.resp(self.calls())
        return "tool_call_tags", self.rng.choice([f"<TOOLCALL>{text}</TOOLCALL>", f"<tool_call>\n{text}\n</tool_call>"])

    def k_double_quoted_whole(self):
        return "double_quoted_whole", '"' + py_resp(self.calls(), dq=False) + '"'

    # ---- hostile ------------------------------------------------------------------------------------------------
    def k_long_string(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, str))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        calls[ci][1][pi][1] = long_string(self.rng) if self.rng.random() < 0.6 else v + " " + long_string(self.rng)
        return "long_string", self.resp(calls)

    def k_unicode_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, str))
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = self.rng.choice(UNICODE_VALUES)
        return "unicode_value", self.resp(calls)

    def k_escape_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: isinstance(v, str))
        if not s:
            return None
        ci, pi = s
        v = calls[ci][1][pi][1]
        e = self.rng.choice(ESCAPE_VALUES)
        calls[ci][1][pi][1] = (v + " " + e) if self.rng.random() < 0.5 else e
        return "escape_sequences", self.resp(calls)

    def k_hostile_call_value(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: True)
        if not s:
            return None
        ci, pi = s
        calls[ci][1][pi][1] = Raw(self.rng.choice(HOSTILE_CALL_VALUES))
        return "hostile_call_value", self.resp(calls)

    def k_odd_expression(self):
        calls = self.calls(keep_all=True)
        s = self.pick(calls, lambda p, v, i: True)
        if not s:
            return None
        ci, pi = s
        expr, label = self.rng.choice([
            ("math.pi", "attribute_value"), ("lambda x: x", "lambda_value"), ("data[0]", "subscript_value"),
            ("...", "ellipsis_value"), ("not True", "not_value"), ("-x", "negated_name"), ("{1, 2}", "set_value"),
            ("'ab' * 2", "string_binop_value"), ("2 ** 10", "power_value"), ("f'{x}'", "fstring_value"),
            ("[x for x in range(3)]", "comprehension_value"), ("1 if True else 2", "conditional_value"),
            ("~5", "invert_value"), ("0x1F", "hex_value"), ("1_000", "underscore_int_value"),
        ])
        calls[ci][1][pi][1] = Raw(expr)
        return label, self.resp(calls)

    def k_weird_call_shape(self):
        calls = self.calls()
        n, ps = calls[0]
        args = ", ".join(f"{p}={py_lit(v)}" for p, v in ps)
        choice = self.rng.randrange(4)
        if choice == 0:
            return "kwargs_splat", f"[{n}(**{py_lit(dict(ps))})]"
        if choice == 1:
            return "call_of_call", f"[{n}()({args})]"
        if choice == 2:
            return "parenthesized_name", f"[({n})({args})]"
        return "no_args_call", f"[{n}()]"

    KINDS_COMMON = [
        ("k_correct", 18), ("k_correct_double_quotes", 9), ("k_correct_all_optionals", 4),
        ("k_correct_shuffled_params", 3), ("k_correct_compact", 2), ("k_int_for_float", 5),
        ("k_string_variant_accepted", 6), ("k_list_string_variant", 2), ("k_escaped_equivalent", 1),
        ("k_binop_value", 1), ("k_tuple_value", 1), ("k_code_fence_plain", 3), ("k_bare_call", 3),
        ("k_trailing_comma", 2), ("k_multiline", 2), ("k_unclosed_bracket", 1), ("k_wrapped_single_quotes", 1),
        ("k_negative_literal", 2), ("k_variable_value", 1),
        ("k_float_for_int", 3), ("k_bool_for_int", 1), ("k_str_for_number", 2), ("k_number_for_str", 1),
        ("k_list_for_str", 1), ("k_str_for_list", 1), ("k_bool_variant", 2), ("k_none_value", 1),
        ("k_dict_mutation", 2), ("k_nested_list", 1), ("k_wrong_number", 2), ("k_string_variant_rejected", 3),
        ("k_missing_required", 3), ("k_missing_not_optional", 2), ("k_extra_param", 3), ("k_wrong_func_name", 3),
        ("k_positional_args", 1), ("k_mixed_positional", 1), ("k_nested_call_value", 1),
        ("k_prose_before", 1), ("k_prose_after", 1), ("k_code_fence_lang", 2), ("k_json_object", 1),
        ("k_unbalanced", 1), ("k_separator", 1), ("k_empty", 1), ("k_only_prose", 1), ("k_tool_tags", 0.5),
        ("k_double_quoted_whole", 0.5), ("k_long_string", 1), ("k_unicode_value", 1), ("k_escape_value", 1),
        ("k_hostile_call_value", 1), ("k_odd_expression", 2), ("k_weird_call_shape", 1),
    ]
    KINDS_PARALLEL = [("k_swapped_order", 20), ("k_extra_call", 3), ("k_dropped_call", 3), ("k_duplicate_calls", 3)]
    KINDS_MULTIPLE = [("k_other_function", 6), ("k_extra_other_function", 2)]

    def kinds(self):
        table = list(self.KINDS_COMMON)
        if self.parallel:
            table += self.KINDS_PARALLEL
        if self.multiple:
            table += self.KINDS_MULTIPLE
        return table


# ----------------------------------------------------------------------------------------------------------------
# Java generator (simple_java)
# ----------------------------------------------------------------------------------------------------------------
class JavaGen:
    def __init__(self, rng, item):
        self.rng = rng
        self.item = item
        (self.name, _), = item.ground_truth[0].items()

    def params(self, keep_all=False, **kw):
        (name, params), = gt_calls(self.rng, self.item, keep_all=keep_all)
        return [[p, v, self.item.info(name, p)] for p, v in params]

    def render(self, params, semicolon=None, name=None, **kw):
        if semicolon is None:
            semicolon = self.rng.random() < 0.5
        text = java_call(name or self.name, [(p, java_value(v, i, **kw)) for p, v, i in params])
        return "[" + text + (";" if semicolon else "") + "]"

    def k_correct(self):
        semi = self.rng.random() < 0.5
        return ("correct_semicolon" if semi else "correct"), self.render(self.params(), semicolon=semi)

    def k_correct_all_optionals(self):
        return "correct_all_optionals", self.render(self.params(keep_all=True))

    def k_single_param(self):
        """One keyword argument only: whether tree-sitter-java recovers a missing ';' (MISSING node, accepted) or
        reports an ERROR node (decoder_failed) depends on the call's shape, not on its correctness."""
        params = self.params()
        if not params:
            return None
        params = [self.rng.choice(params)]
        semi = self.rng.random() < 0.4
        return ("single_param_semicolon" if semi else "single_param"), self.render(params, semicolon=semi)

    def k_quoted_values(self):
        params = self.params()
        out = []
        for p, v, i in params:
            src = java_value(v, i, ident_vars=False)
            if not (src.startswith('"') and src.endswith('"')):
                src = java_str(src)
            out.append([p, Raw(src), i])
        return "all_values_quoted", self.render(out)

    def k_string_literals_not_idents(self):
        return "strings_not_identifiers", self.render(self.params(), ident_vars=False)

    def k_bare_call(self):
        params = self.params()
        text = java_call(self.name, [(p, java_value(v, i)) for p, v, i in params])
        return "bare_call", text + (";" if self.rng.random() < 0.5 else "")

    def k_code_fence(self):
        text = self.render(self.params())
        if self.rng.random() < 0.5:
            return "code_fence_plain", "```\n" + text + "\n```"
        return "code_fence_java", "```java\n" + text + "\n```"

    def k_typed_literals(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if i.get("type") in
                ("long", "float", "double", "integer", "boolean", "short", "byte")
                and isinstance(v, (int, float)) and not isinstance(v, str)]
        if not cand:
            return None
        k = self.rng.choice(cand)
        p, v, i = params[k]
        t = i["type"]
        if t == "boolean":
            options = [("bool_quoted", java_str("true" if v else "false")), ("bool_python", "True" if v else "False"),
                       ("bool_as_int", "1" if v else "0"), ("bool_flipped", "false" if v else "true")]
        elif t == "long":
            options = [("long_suffix_L", f"{v}L"), ("long_suffix_l", f"{v}l"), ("long_without_suffix", f"{v}"),
                       ("long_quoted", java_str(f"{v}L"))]
        elif t == "float":
            options = [("float_suffix_f", f"{float(v)!r}f"), ("float_without_suffix", repr(float(v))),
                       ("float_suffix_F", f"{float(v)!r}F")]
        elif t == "double":
            options = [("double_plain", repr(float(v))), ("double_int", str(int(v)) if float(v).is_integer() else repr(v)),
                       ("double_suffix_d", f"{float(v)!r}d")]
        else:
            options = [("int_plain", str(v)), ("int_with_decimal", f"{v}.0"), ("int_with_L", f"{v}L"),
                       ("int_quoted", java_str(str(v))), ("int_cast", f"(int) {v}")]
        label, src = self.rng.choice(options)
        params[k][1] = Raw(src)
        return label, self.render(params)

    def k_collections(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if i.get("type") in ("Array", "ArrayList", "HashMap")]
        if not cand:
            return None
        k = self.rng.choice(cand)
        p, v, i = params[k]
        t = i["type"]
        item_t = i.get("items", {}).get("type", "any")
        if t == "HashMap":
            if isinstance(v, dict) and v:
                options = [("hashmap_double_brace", java_value(v, i)),
                           ("hashmap_quoted", java_str(java_value(v, i))),
                           ("hashmap_empty", "new HashMap<>()"),
                           ("hashmap_map_of", "Map.of(" + ", ".join(f"{java_str(str(a))}, {java_scalar(b, 'any')}"
                                                                     for a, b in v.items()) + ")")]
            else:
                options = [("hashmap_variable", java_value(v, i)), ("hashmap_empty", "new HashMap<>()"),
                           ("hashmap_variable_quoted", java_str(str(v)))]
        elif isinstance(v, list):
            if t == "ArrayList":
                options = [("arraylist_aslist", java_value(v, i)),
                           ("arraylist_double_brace", java_value(v, i, arraylist_style="add")),
                           ("arraylist_quoted", java_str(java_value(v, i))),
                           ("arraylist_python_list", py_lit(v)),
                           ("arraylist_list_of", "List.of(" + ", ".join(java_scalar(x, item_t) for x in v) + ")")]
            else:
                options = [("array_initializer", java_value(v, i)),
                           ("array_quoted", java_str(java_value(v, i))),
                           ("array_python_list", py_lit(v)),
                           ("array_bare_braces", "{" + ", ".join(java_scalar(x, item_t) for x in v) + "}"),
                           ("array_unquoted_elements", f"new {JAVA_PRIM.get(item_t, 'Object')}[]{{"
                            + ", ".join(str(x) if not isinstance(x, bool) else str(x).lower() for x in v) + "}")]
        else:
            options = [("collection_variable", java_value(v, i)), ("collection_variable_quoted", java_str(str(v))),
                       ("collection_empty", f"new ArrayList<>()" if t == "ArrayList" else f"new {JAVA_PRIM.get(item_t, 'Object')}[]{{}}")]
        label, src = self.rng.choice(options)
        params[k][1] = Raw(src)
        return label, self.render(params)

    def k_short_call(self):
        """Truncated / positional calls. Without ';' tree-sitter-java reports an ERROR node (decoder_failed) for
        texts shorter than about 11 bytes and a MISSING ';' (accepted) for longer ones."""
        last = self.name.split(".")[-1]
        choice = self.rng.randrange(3)
        if choice == 0:
            return "truncated_short_call", f"[{last[:self.rng.randint(1, 4)]}({self.rng.choice(['', 'x', 'a=1'])})]"
        if choice == 1:
            return "truncated_short_call_semicolon", f"[{last[:self.rng.randint(1, 4)]}({self.rng.choice(['x', 'a=1'])});]"
        return "method_name_only_positional", f"[{last}({self.rng.choice(['x', 'data', 'null', '1'])})]"

    def k_python_style(self):
        params = self.params()
        out = []
        for p, v, i in params:
            out.append([p, Raw(py_lit(v)), i])
        return "python_literals", self.render(out)

    def k_string_variant(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if is_wordy(v) and i.get("type") in ("String", "any")]
        if not cand:
            return None
        k = self.rng.choice(cand)
        v = params[k][1]
        if self.rng.random() < 0.5:
            params[k][1] = self.rng.choice(accepted_variants(v))
            return "string_variant_accepted", self.render(params, ident_vars=False)
        params[k][1] = self.rng.choice(rejected_variants(v))
        return "string_variant_rejected", self.render(params, ident_vars=False)

    def k_char_literal(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if isinstance(v, str) and i.get("type") in ("String", "any", "char")]
        if not cand:
            return None
        k = self.rng.choice(cand)
        v = params[k][1]
        if self.rng.random() < 0.5 and v:
            params[k][1] = Raw("'" + v[0] + "'")
            return "char_literal", self.render(params, semicolon=True)
        params[k][1] = Raw("'" + v.replace("'", "\\'") + "'")
        return "single_quoted_string", self.render(params, semicolon=True)

    def k_null_value(self):
        params = self.params(keep_all=True)
        if not params:
            return None
        k = self.rng.randrange(len(params))
        params[k][1] = Raw("null")
        return "null_value", self.render(params)

    def k_missing_required(self):
        params = self.params()
        req = self.item.required(self.name)
        cand = [k for k, (p, v, i) in enumerate(params) if p in req]
        if not cand:
            return None
        del params[self.rng.choice(cand)]
        return "missing_required", self.render(params)

    def k_extra_param(self):
        params = self.params()
        params.append([self.rng.choice(["verbose", "timeout", "mode"]), Raw(self.rng.choice(["true", "10", '"fast"'])), {}])
        return "extra_param", self.render(params)

    def k_wrong_func_name(self):
        params = self.params()
        if "." in self.name:
            new = self.rng.choice([self.name.split(".")[-1], self.name.replace(".", "_"), "this." + self.name.split(".")[-1]])
            label = "dotted_name_mangled"
        else:
            new = self.name + "Impl"
            label = "wrong_func_name"
        return label, self.render(params, name=new)

    def k_wrong_value(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
        if not cand:
            return None
        k = self.rng.choice(cand)
        v = params[k][1]
        if isinstance(v, str):
            params[k][1] = v + "Other"
        else:
            params[k][1] = -v if v and self.rng.random() < 0.5 else v + 1
        return "wrong_value", self.render(params)

    def k_positional(self):
        params = self.params()
        args = ", ".join(java_value(v, i) for p, v, i in params)
        return "positional_args", f"[{self.name}({args});]"

    def k_two_calls(self):
        params = self.params()
        first = java_call(self.name, [(p, java_value(v, i)) for p, v, i in params])
        second = java_call("System.out.println", [("x", '"done"')])
        choice = self.rng.randrange(3)
        if choice == 0:
            return "two_calls_semicolon", f"[{first}; {second};]"
        if choice == 1:
            return "two_calls_comma", f"[{first}, {second}]"
        return "two_calls_wrong_first", f"[{second}; {first};]"

    def k_malformed(self):
        text = self.render(self.params())
        choice = self.rng.randrange(8)
        if choice == 0:
            return "prose_before", self.rng.choice(PROSE_BEFORE) + text
        if choice == 1:
            return "prose_after", text + self.rng.choice(PROSE_AFTER)
        if choice == 2:
            return "empty_list", "[]"
        if choice == 3:
            return "empty_string", ""
        if choice == 4:
            return "only_prose", self.rng.choice(REFUSALS[:9])
        if choice == 5:
            return "unbalanced_paren", text.replace(")", "", 1) if ")" in text else text + ")"
        if choice == 6:
            return "json_object", json.dumps({"name": self.name, "arguments": {p: v for p, v, i in self.params()}},
                                              ensure_ascii=False)
        return "unclosed_bracket", text[:-1]

    def k_hostile(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if i.get("type") in ("String", "any")]
        if not cand:
            return None
        k = self.rng.choice(cand)
        choice = self.rng.randrange(4)
        if choice == 0:
            params[k][1] = long_string(self.rng)
            label = "long_string"
        elif choice == 1:
            params[k][1] = self.rng.choice(UNICODE_VALUES)
            label = "unicode_value"
        elif choice == 2:
            params[k][1] = Raw('Runtime.getRuntime().exec("echo pwned")')
            label = "hostile_call_value"
        else:
            params[k][1] = Raw(self.rng.choice(['"a\\nb"', '"tab\\there"', '"quote \\" inside"', '"\\u00e9"']))
            label = "escape_sequences"
        return label, self.render(params, ident_vars=False)

    def k_odd_expression(self):
        params = self.params(keep_all=True)
        if not params:
            return None
        k = self.rng.randrange(len(params))
        expr, label = self.rng.choice([("x -> x + 1", "lambda_value"), ("Foo.class", "class_literal"),
                                       ("obj.getValue()", "method_call_value"), ("1 + 2", "binop_value"),
                                       ("-5", "negative_number"), ("new Object()", "new_object"),
                                       ("this.field", "field_access"), ("a[0]", "array_access")])
        params[k][1] = Raw(expr)
        return label, self.render(params, semicolon=True)

    KINDS = [
        ("k_correct", 14), ("k_correct_all_optionals", 3), ("k_quoted_values", 6), ("k_string_literals_not_idents", 5),
        ("k_single_param", 4),
        ("k_bare_call", 4), ("k_code_fence", 3), ("k_typed_literals", 8), ("k_collections", 6),
        ("k_python_style", 2), ("k_string_variant", 4), ("k_char_literal", 2), ("k_null_value", 1),
        ("k_missing_required", 2), ("k_extra_param", 2), ("k_wrong_func_name", 2), ("k_wrong_value", 2),
        ("k_positional", 2), ("k_two_calls", 3), ("k_malformed", 4), ("k_short_call", 1.5), ("k_hostile", 2), ("k_odd_expression", 2),
    ]

    def kinds(self):
        return self.KINDS


# ----------------------------------------------------------------------------------------------------------------
# JavaScript generator (simple_javascript)
# ----------------------------------------------------------------------------------------------------------------
class JsGen(JavaGen):
    def render(self, params, semicolon=None, name=None, q=None, **kw):
        if semicolon is None:
            semicolon = self.rng.random() < 0.25
        if q is None:
            q = self.rng.choice(["'", '"'])
        text = js_call(name or self.name, [(p, js_value(v, i, q=q, **kw)) for p, v, i in params])
        return "[" + text + (";" if semicolon else "") + "]"

    def k_correct(self):
        q = self.rng.choice(["'", '"'])
        return ("correct_single_quotes" if q == "'" else "correct_double_quotes"), self.render(self.params(), q=q)

    def k_quoted_values(self):
        params = self.params()
        out = []
        for p, v, i in params:
            src = js_value(v, i, q='"', ident_vars=False)
            if not (src[:1] in "'\"" and src[-1:] == src[:1]):
                src = "'" + src + "'" if "'" not in src else '"' + src + '"'
            out.append([p, Raw(src), i])
        return "all_values_quoted", self.render(out)

    def k_bare_call(self):
        params = self.params()
        text = js_call(self.name, [(p, js_value(v, i)) for p, v, i in params])
        return "bare_call", text + (";" if self.rng.random() < 0.5 else "")

    def k_code_fence(self):
        text = self.render(self.params())
        if self.rng.random() < 0.5:
            return "code_fence_plain", "```\n" + text + "\n```"
        return "code_fence_javascript", "```javascript\n" + text + "\n```"

    def k_typed_literals(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if i.get("type") in ("integer", "float", "Boolean", "Bigint")
                and isinstance(v, (int, float))]
        if not cand:
            return None
        k = self.rng.choice(cand)
        p, v, i = params[k]
        t = i["type"]
        if t == "Boolean":
            options = [("bool_quoted", "'true'" if v else "'false'"), ("bool_python", "True" if v else "False"),
                       ("bool_as_int", "1" if v else "0"), ("bool_flipped", "false" if v else "true"),
                       ("bool_plain", "true" if v else "false")]
        elif t == "float":
            fv = float(v)
            options = [("float_plain", repr(fv)), ("float_as_int", str(int(fv)) if fv.is_integer() else repr(fv)),
                       ("float_quoted", "'" + repr(fv) + "'"), ("float_exponent", f"{fv:e}"),
                       ("float_suffix_f", repr(fv) + "f")]
        else:
            options = [("int_plain", str(v)), ("int_with_decimal", f"{v}.0"), ("int_quoted", f"'{v}'"),
                       ("int_bigint_suffix", f"{v}n"), ("int_negated", str(-v) if v else "-1")]
        label, src = self.rng.choice(options)
        params[k][1] = Raw(src)
        return label, self.render(params)

    def k_collections(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if i.get("type") in ("array", "dict")]
        if not cand:
            return None
        k = self.rng.choice(cand)
        p, v, i = params[k]
        t = i["type"]
        if t == "dict":
            if isinstance(v, dict) and v:
                options = [("object_bare_keys", js_object(v, "'")), ("object_quoted_keys", js_object(v, '"', True)),
                           ("object_json", json.dumps(v, ensure_ascii=False)), ("object_empty", "{}"),
                           ("object_python_dict", py_lit(v))]
            else:
                options = [("object_variable", js_value(v, i)), ("object_empty", "{}"),
                           ("object_variable_quoted", "'" + str(v) + "'")]
        elif isinstance(v, list):
            options = [("array_literal", js_value(v, i, q="'")), ("array_double_quotes", js_value(v, i, q='"')),
                       ("array_new_array", "new Array(" + ", ".join(js_scalar(x, "any") for x in v) + ")"),
                       ("array_quoted", '"' + js_value(v, i, q="'") + '"'), ("array_empty", "[]"),
                       ("array_python_tuple", "(" + ", ".join(js_scalar(x, "any") for x in v) + ")")]
        else:
            options = [("array_variable", js_value(v, i)), ("array_variable_quoted", "'" + str(v) + "'"),
                       ("array_wrapped_variable", "[" + str(v) + "]")]
        label, src = self.rng.choice(options)
        params[k][1] = Raw(src)
        return label, self.render(params)

    def k_python_style(self):
        params = self.params()
        return "python_literals", self.render([[p, Raw(py_lit(v)), i] for p, v, i in params])

    def k_char_literal(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if isinstance(v, str)]
        if not cand:
            return None
        k = self.rng.choice(cand)
        v = params[k][1]
        choice = self.rng.randrange(3)
        if choice == 0:
            params[k][1] = Raw("`" + v.replace("`", "\\`") + "`")
            return "template_literal", self.render(params)
        if choice == 1:
            params[k][1] = Raw("'" + v + "' + ''")
            return "string_concat", self.render(params)
        params[k][1] = Raw('"' + v + "'")
        return "mismatched_quotes", self.render(params)

    def k_positional(self):
        params = self.params()
        args = ", ".join(js_value(v, i) for p, v, i in params)
        return "positional_args", f"[{self.name}({args})]"

    def k_two_calls(self):
        params = self.params()
        first = js_call(self.name, [(p, js_value(v, i)) for p, v, i in params])
        second = "console.log(msg='done')"
        choice = self.rng.randrange(3)
        if choice == 0:
            return "two_calls_semicolon", f"[{first}; {second};]"
        if choice == 1:
            return "two_calls_comma", f"[{first}, {second}]"
        return "two_calls_wrong_first", f"[{second}; {first}]"

    def k_wrong_func_name(self):
        params = self.params()
        new = self.rng.choice(["this." + self.name, self.name + "Async", self.name[:1].upper() + self.name[1:],
                               "window." + self.name])
        return "wrong_func_name", self.render(params, name=new)

    def k_hostile(self):
        params = self.params(keep_all=True)
        cand = [k for k, (p, v, i) in enumerate(params) if i.get("type") in ("String", "any")]
        if not cand:
            return None
        k = self.rng.choice(cand)
        choice = self.rng.randrange(4)
        if choice == 0:
            params[k][1] = long_string(self.rng)
            label = "long_string"
        elif choice == 1:
            params[k][1] = self.rng.choice(UNICODE_VALUES)
            label = "unicode_value"
        elif choice == 2:
            params[k][1] = Raw(self.rng.choice(["require('child_process').execSync('id')", "eval('1+1')",
                                                "process.exit(1)"]))
            label = "hostile_call_value"
        else:
            params[k][1] = Raw(self.rng.choice(["'a\\nb'", "'tab\\there'", "'it\\'s'", "'\\u00e9'"]))
            label = "escape_sequences"
        return label, self.render(params, ident_vars=False)

    def k_odd_expression(self):
        params = self.params(keep_all=True)
        if not params:
            return None
        k = self.rng.randrange(len(params))
        expr, label = self.rng.choice([("x => x + 1", "arrow_function_value"), ("function() { return 1; }", "function_value"),
                                       ("obj.value", "member_value"), ("1 + 2", "binop_value"), ("undefined", "undefined_value"),
                                       ("null", "null_value"), ("new Date()", "new_object"), ("a[0]", "subscript_value"),
                                       ("...rest", "spread_value")])
        params[k][1] = Raw(expr)
        return label, self.render(params)

    KINDS = [
        ("k_correct", 16), ("k_correct_all_optionals", 3), ("k_quoted_values", 4), ("k_string_literals_not_idents", 4),
        ("k_bare_call", 4), ("k_code_fence", 3), ("k_typed_literals", 8), ("k_collections", 8),
        ("k_python_style", 2), ("k_string_variant", 4), ("k_char_literal", 2),
        ("k_missing_required", 2), ("k_extra_param", 2), ("k_wrong_func_name", 2), ("k_wrong_value", 2),
        ("k_positional", 2), ("k_two_calls", 3), ("k_malformed", 4), ("k_hostile", 2), ("k_odd_expression", 2),
    ]


# ----------------------------------------------------------------------------------------------------------------
# Relevance generators
# ----------------------------------------------------------------------------------------------------------------
class RelevanceGen:
    def __init__(self, rng, item):
        self.rng = rng
        self.item = item

    def call_text(self, all_params=False, dq=None):
        if not self.item.functions:  # a few live_irrelevance items offer no function at all
            return None
        fdoc = self.rng.choice(self.item.functions)
        call = synth_call(self.rng, self.item, fdoc, all_params=all_params)
        if dq is None:
            dq = self.rng.random() < 0.3
        return py_resp([call], dq=dq)

    def k_refusal(self):
        return "refusal_prose", self.rng.choice(REFUSALS)

    def k_empty(self):
        return self.rng.choice([("empty_list", "[]"), ("empty_list", "[]"), ("empty_string", ""),
                                ("empty_list_fenced", "```\n[]\n```")])

    def k_real_call(self):
        text = self.call_text(all_params=self.rng.random() < 0.5)
        return ("real_call", text) if text else None

    def k_real_call_variants(self):
        text = self.call_text()
        if not text:
            return None
        choice = self.rng.randrange(5)
        if choice == 0:
            return "real_call_no_brackets", text[1:-1]
        if choice == 1:
            return "real_call_code_fence_plain", "```\n" + text + "\n```"
        if choice == 2:
            return "real_call_code_fence_python", "```python\n" + text + "\n```"
        if choice == 3:
            return "real_call_prose_before", self.rng.choice(PROSE_BEFORE) + text
        return "real_call_multiline", "[\n  " + text[1:-1] + "\n]"

    def k_no_args_call(self):
        if not self.item.functions:
            return None
        return "no_args_call", f"[{self.rng.choice(self.item.functions)['name']}()]"

    def k_parses_as_call(self):
        return self.rng.choice([
            ("prose_that_parses", "print('I cannot help with that request.')"),
            ("prose_that_parses", "help()"),
            ("prose_that_parses", "apologize(reason='no suitable function')"),
            ("prose_that_parses", "[no_function_call()]"),
            ("prose_that_parses_not_call", "[None]"),
            ("prose_that_parses_not_call", "[[]]"),
            ("prose_that_parses_not_call", "[{}]"),
            ("prose_that_parses_not_call", "'Sorry'"),
            ("prose_that_parses_not_call", "['No function applies.']"),
            ("prose_that_parses_not_call", "{\"error\": \"no suitable function\"}"),
            ("prose_that_parses_not_call", "1 + 1"),
        ])

    def k_inline_mention(self):
        if not self.item.functions:
            return None
        name = self.rng.choice(self.item.functions)["name"]
        return "inline_mention", self.rng.choice([
            f"The function {name}() is not suitable for this request.",
            f"I could call `{name}` but it doesn't answer your question.",
            f"Calling {name}(x=1) would not help here, sorry.",
        ])

    def k_hostile(self):
        choice = self.rng.randrange(3)
        if choice == 0:
            return "long_prose", long_string(self.rng)
        if choice == 1:
            return "hostile_call", f"[{self.rng.choice(HOSTILE_CALL_VALUES)}]"
        if not self.item.functions:
            return None
        name = self.rng.choice(self.item.functions)["name"]
        return "unicode_call", f"[{name}(text={self.rng.choice(UNICODE_VALUES)!r})]"

    KINDS_IRRELEVANCE = [("k_refusal", 12), ("k_empty", 5), ("k_real_call", 11), ("k_real_call_variants", 5),
                         ("k_no_args_call", 2), ("k_parses_as_call", 5), ("k_inline_mention", 3), ("k_hostile", 2)]
    KINDS_RELEVANCE = [("k_real_call", 14), ("k_real_call_variants", 6), ("k_no_args_call", 2), ("k_refusal", 6),
                       ("k_empty", 4), ("k_parses_as_call", 3), ("k_inline_mention", 2), ("k_hostile", 2)]

    def kinds(self):
        return self.KINDS_RELEVANCE if self.item.category == "live_relevance" else self.KINDS_IRRELEVANCE


# ----------------------------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------------------------
def generator_for(rng, item):
    if item.category in RELEVANCE_CATEGORIES:
        return RelevanceGen(rng, item)
    if is_java(item.category):
        return JavaGen(rng, item)
    if is_js(item.category):
        return JsGen(rng, item)
    return PyGen(rng, item)


def weighted_choice(rng, table):
    total = sum(w for _, w in table)
    x = rng.random() * total
    for name, w in table:
        x -= w
        if x < 0:
            return name
    return table[-1][0]


def generate_one(rng, item, seen, first_kind=None):
    """One (kind, text) for item: first_kind if it applies, else a weighted draw; never a text already made for
    the same item."""
    gen = generator_for(rng, item)
    table = gen.kinds()
    for attempt in range(60):
        name = first_kind if (first_kind and attempt == 0) else weighted_choice(rng, table)
        out = getattr(gen, name)()
        if out is None:
            continue
        kind, text = out
        if len(text) <= MAX_TEXT and (item.id, text) not in seen:
            seen.add((item.id, text))
            return kind, text
    raise RuntimeError(f"no applicable kind for {item.id}")


def build_records(data_dir):
    rng = random.Random(SEED)
    records = []
    crashes = Counter()
    for category, count in PLAN:
        prompts, answers = load_category(data_dir, category)
        items = [Item(category, p, answers[k] if answers else None) for k, p in enumerate(prompts)]
        order = []
        while len(order) < count:  # every item once (in a seeded order) before any item repeats
            order += rng.sample(range(len(items)), len(items))
        # The first records of a category try every kind of its generator once (in a seeded order), so rare kinds
        # are covered; the rest are weighted draws.
        kinds = [name for name, _ in generator_for(rng, items[0]).kinds()]
        coverage = rng.sample(kinds, len(kinds))
        seen = set()
        for n, index in enumerate(order[:count]):
            item = items[index]
            kind, text = generate_one(rng, item, seen, coverage[n] if n < len(coverage) else None)
            if category in RELEVANCE_CATEGORIES:
                valid, error_type, decoded, crashed = evaluate_relevance(text, category)
            else:
                valid, error_type, decoded, crashed = evaluate_ast(text, item.prompt, item.ground_truth, category)
            if crashed:
                crashes[category] += 1
            records.append({"id": item.id, "category": category, "kind": kind, "text": text, "valid": valid,
                            "error_type": error_type, "decoded": decoded})
    return records, crashes


def serialize(records):
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
    return ("\n".join(lines) + "\n").encode("utf-8")


def print_summary(records, crashes, elapsed, out_bytes, data_dir):
    per = OrderedDict()
    for r in records:
        row = per.setdefault(r["category"], [0, 0, 0, set()])
        row[0] += 1
        row[1 if r["valid"] else 2] += 1
        row[3].add(r["id"])
    print(f"{'category':<24}{'total':>7}{'valid':>7}{'invalid':>9}{'crash':>7}{'items':>7}")
    for category, (total, valid, invalid, ids) in per.items():
        print(f"{category:<24}{total:>7}{valid:>7}{invalid:>9}{crashes.get(category, 0):>7}{len(ids):>7}")
    total = len(records)
    valid = sum(1 for r in records if r["valid"])
    print(f"{'TOTAL':<24}{total:>7}{valid:>7}{total - valid:>9}{sum(crashes.values()):>7}"
          f"{len({(r['category'], r['id']) for r in records}):>7}")
    errors = Counter(r["error_type"] for r in records if not r["valid"])
    print("error types: " + ", ".join(f"{k}={v}" for k, v in sorted(errors.items())))
    print(f"distinct kinds: {len({r['kind'] for r in records})}")
    print(f"dataset identical to bfcl_eval's packaged data: {dataset_matches_package(data_dir)}")
    print(f"fixture: {len(out_bytes)} bytes, sha256 {hashlib.sha256(out_bytes).hexdigest()}")
    print(f"runtime: {elapsed:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=DEFAULT_DATA, help="folder with BFCL_v4_*.json and possible_answer/")
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture path (JSON Lines)")
    parser.add_argument("--check", action="store_true", help="compare with the existing --out instead of writing")
    args = parser.parse_args()
    started = time.time()
    try:
        records, crashes = build_records(args.data)
        out_bytes = serialize(records)
        out = os.path.normpath(args.out)
        if args.check:
            with open(out, "rb") as handle:
                same = handle.read() == out_bytes
            print(f"{out}: {'identical' if same else 'DIFFERS'}")
        else:
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "wb") as handle:
                handle.write(out_bytes)
            same = True
        print_summary(records, crashes, time.time() - started, out_bytes, args.data)
    finally:
        shutil.rmtree(_BFCL_ROOT, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
