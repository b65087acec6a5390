#!/usr/bin/env python3
"""Reference BFCL verdicts for Assay's port of BFCL's native function-calling (FC) mode.

Companion of scripts/bfcl-reference.py (prompting mode; imported as a module for its bfcl-eval imports, stubs and
helpers). For items of the 13 single-turn BFCL v4 categories this script makes raw OpenAI chat-completions replies
(tool calls with raw `arguments` strings, or text), runs them through bfcl-eval's OWN, unmodified FC pipeline
(bfcl-eval==2026.3.23) and writes Tests/Fixtures/bfcl/native.jsonl, one JSON object per line (UTF-8,
ensure_ascii=False, sorted keys):

    {"id", "category", "kind", "tools", "messages", "tool_calls", "content", "valid", "error_type"}

kind is what the generator INTENDED (correct, wrong_type, invalid_json_arguments, ...), not a verdict; tools is the
`tools` request field bfcl's handler sends for the item (object keys sorted by the fixture's serialization; bfcl
sends them in insertion order), null when bfcl leaves `tools` out of the request (the four live_irrelevance items
without functions; one is always included); messages is the `messages` request field (only on the first 3 records
of every category and its first record whose turn holds a system message, null elsewhere); tool_calls
([{"name", "arguments"}], arguments the raw string) and content are the reply; valid/error_type are bfcl's
verdict (error_type null when valid, "crash:<Exception>" when a bfcl function other than the decoder raised - none
does for this fixture). Correct calls take the first allowed ground-truth value per parameter (optional parameters
allowing "" omitted), names with '.' -> '_' as in the tools list, arguments = json.dumps; for Java/JS every value is
a string (bfcl's tools declare "string"): strings as they are, other values as Java/JS source text (JS with double
quotes: js_type_converter keeps \' escapes; Java String[] elements unquoted: parse_array keeps quotes).

What runs, all bfcl_eval code (the handler is OpenAICompletionsHandler, model style ModelStyle.OPENAI_COMPLETIONS,
constructed with is_fc_model=True; its OpenAI client is replaced by a recorder that returns the reply):
  * Request (_llm_response_generation.py -> BaseHandler.inference -> inference_single_turn_FC): the entry as
    utils.load_dataset_entry gives it at generation time (include_language_specific_hint=True: utils.
    add_language_specific_hint_to_function_doc -> _func_doc_language_specific_pre_processing appends
    " Note that the provided function is in Python 3 syntax." (Java 8 SDK / JavaScript for simple_java /
    simple_javascript) to every function description and, for Java/JS, rewrites every parameter type to "string"
    with a type note in its description); OpenAICompletionsHandler._pre_query_processing_FC (message = [], NO system
    prompt in FC mode), _compile_tools (model_handler/utils.convert_to_tool(functions, GORILLA_TO_OPENAPI,
    ModelStyle.OPENAI_COMPLETIONS): '.' -> '_' in names, parameters.type = "object", types mapped, float ->
    "number" + format "float" + " This is a float type value.", each wrapped as {"type": "function",
    "function": ...}), add_first_turn_message_FC (messages = question[0] as stored, including the dataset's own
    system messages of some live items), _query_FC (kwargs messages, model, temperature, store=False, and tools
    only when non-empty). The recorder captures those kwargs.
  * Reply: OpenAICompletionsHandler._parse_query_response_FC: [{name: arguments}] over message.tool_calls; when
    that raises (tool_calls is None: what the OpenAI SDK gives for a reply without tool calls - an empty
    "tool_calls" here means None) the result is message.content (a str, "" or None). The result then takes
    handler.write's path (utils.make_json_serializable + json.dumps) and utils.load_file's json.loads.
  * Verdict: eval_checker/eval_runner.py's own _evaluate_single_ast_entry (AST categories) and
    _evaluate_single_relevance_entry (irrelevance, live_irrelevance, live_relevance) with the raw prompt
    (load_dataset_entry(include_language_specific_hint=False)), the ground truth, language/return format as in
    ast_file_runner, and model name "fc-model". They call OpenAICompletionsHandler.decode_ast, which in FC mode is
    [{name: json.loads(arguments)} for each {name: arguments}] (no default_decode_ast_prompting), then
    is_function_calling_format_output / is_empty_output and ast_checker exactly as in the release.

Stubs (beyond those of scripts/bfcl-reference.py: bfcl_eval.constants.model_config and BFCL_PROJECT_ROOT):
  * MODEL_CONFIG_MAPPING (the stub dict of bfcl-reference.py, which answers underscore_to_dot=False for any other
    name, so the prompting fixture is unaffected) gets an entry "fc-model" with underscore_to_dot=True and
    is_fc_model=True, the setting of bfcl's OpenAI FC models: ast_checker's convert_func_name then replaces '.' by
    '_' in the EXPECTED function names (the model sees and returns underscored names).
  * `openai` (OpenAI, RateLimitError: imported by openai_completion.py; the client is replaced anyway, so no
    network and no key), and, only when not installed, `overrides` (final = identity), `dotenv` (load_dotenv) and
    `tqdm` (imported by base_handler.py / eval_runner.py; none of them takes part in the path above).

Setup: the virtualenv of scripts/bfcl-reference.py (see its docstring) plus numpy and pandas:
    python3 -m venv /tmp/bfcl-venv
    /tmp/bfcl-venv/bin/pip install --no-deps bfcl-eval==2026.3.23 tree_sitter==0.21.3 tree-sitter-java==0.21.0 \\
        tree-sitter-javascript==0.21.4 filelock==3.20.0 tenacity==9.2.1 numpy==1.26.4 pandas==2.2.3 \\
        python-dateutil pytz tzdata
(numpy/pandas are imported by eval_runner_helper.py.)
Run:
    /tmp/bfcl-venv/bin/python scripts/bfcl-native-reference.py [--data DIR] [--out FILE] [--check]
--check regenerates in memory and exits 1 unless --out is byte-identical. Deterministic: random.Random(20261207).
"""
import argparse
import contextlib
import copy
import hashlib
import importlib.util
import io
import json
import os
import random
import shutil
import sys
import time
import types
from collections import Counter, OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("bfcl_reference", os.path.join(HERE, "bfcl-reference.py"))
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)  # sets BFCL_PROJECT_ROOT and the model_config stub, imports bfcl_eval


def _stub_module(name, always=False, **attrs):
    if not always:
        try:
            __import__(name)
            return
        except ImportError:
            pass
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module


class _NoClient:
    def __init__(self, **kwargs):
        pass


_stub_module("openai", always=True, OpenAI=_NoClient, RateLimitError=type("RateLimitError", (Exception,), {}))
_stub_module("overrides", final=lambda f: f)
_stub_module("dotenv", load_dotenv=lambda *a, **k: None)
_stub_module("tqdm", tqdm=lambda iterable=None, *a, **k: iterable)

from bfcl_eval.constants.enums import Language, ReturnFormat  # noqa: E402
from bfcl_eval.eval_checker import eval_runner  # noqa: E402
from bfcl_eval.model_handler.api_inference.openai_completion import OpenAICompletionsHandler  # noqa: E402
from bfcl_eval.utils import (  # noqa: E402
    add_language_specific_hint_to_function_doc,
    is_java,
    is_js,
    make_json_serializable,
    populate_test_cases_with_predefined_functions,
    process_agentic_test_case,
)

SEED = 20261207
FC_MODEL = "fc-model"
ref._stub.MODEL_CONFIG_MAPPING[FC_MODEL] = types.SimpleNamespace(
    model_name=FC_MODEL, model_handler=OpenAICompletionsHandler, is_fc_model=True, underscore_to_dot=True)
DEFAULT_OUT = os.path.join(HERE, "..", "Tests", "Fixtures", "bfcl", "native.jsonl")
PLAN = [("simple_python", 60), ("simple_java", 50), ("simple_javascript", 45), ("multiple", 50), ("parallel", 50),
        ("parallel_multiple", 50), ("irrelevance", 45), ("live_simple", 55), ("live_multiple", 45),
        ("live_parallel", 40), ("live_parallel_multiple", 40), ("live_irrelevance", 55), ("live_relevance", 35)]
MESSAGES_PER_CATEGORY = 3
PROSE = ["Sure! I'll look that up for you.", "The answer is 42.", "Here is what I found: nothing relevant.",
         "I can help with that. Calling the tool now.", "Lo siento, no puedo ayudar con eso. 🙏"]


# ----------------------------------------------------------------------------------------------------------------
# bfcl's FC handler with a recording client
# ----------------------------------------------------------------------------------------------------------------
class Recorder:
    def __init__(self):
        self.requests, self.reply = [], None

    def create(self, **kwargs):
        self.requests.append(kwargs)
        return self.reply


def make_handler():
    handler = OpenAICompletionsHandler(model_name=FC_MODEL, temperature=0.001, registry_name=FC_MODEL,
                                       is_fc_model=True)
    recorder = Recorder()
    handler.client = types.SimpleNamespace(chat=types.SimpleNamespace(completions=recorder))
    return handler, recorder


def api_response(tool_calls, content):
    calls = [types.SimpleNamespace(id=f"call_{i}", type="function",
                                   function=types.SimpleNamespace(name=c["name"], arguments=c["arguments"]))
             for i, c in enumerate(tool_calls)] or None  # the OpenAI SDK gives None when there are no tool calls
    message = types.SimpleNamespace(role="assistant", content=content, tool_calls=calls)
    return types.SimpleNamespace(choices=[types.SimpleNamespace(message=message)],
                                 usage=types.SimpleNamespace(prompt_tokens=0, completion_tokens=0))


def run_inference(handler, recorder, entry, tool_calls, content):
    """The request bfcl sends and the result it stores (after the result file's JSON round trip)."""
    recorder.reply = api_response(tool_calls, content)
    try:
        result, _ = handler.inference(copy.deepcopy(entry), False, False)
    except Exception as e:  # _llm_response_generation.multi_threaded_inference's handling (not seen here)
        result = f"Error during inference: {e}"
    request = recorder.requests.pop()
    return request, json.loads(json.dumps(make_json_serializable(result)))


def judge(handler, result, item):
    category = item.category
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            if category in ref.RELEVANCE_CATEGORIES:
                out = eval_runner._evaluate_single_relevance_entry(
                    handler, item.id, result, copy.deepcopy(item.prompt), FC_MODEL, category)
            else:
                if is_java(category):
                    language, return_format = Language.JAVA, ReturnFormat.JAVA
                elif is_js(category):
                    language, return_format = Language.JAVASCRIPT, ReturnFormat.JAVASCRIPT
                else:
                    language, return_format = Language.PYTHON, ReturnFormat.PYTHON
                out = eval_runner._evaluate_single_ast_entry(
                    handler, item.id, result, copy.deepcopy(item.ground_truth), copy.deepcopy(item.prompt),
                    FC_MODEL, category, language, return_format, False)
    except Exception as e:
        return False, f"crash:{type(e).__name__}"
    return (True, None) if out["valid"] else (False, out["error_type"])


# ----------------------------------------------------------------------------------------------------------------
# Replies
# ----------------------------------------------------------------------------------------------------------------
def underscored(name):
    return name.replace(".", "_")


def first_choice(value, info):
    """A concrete value from a ground-truth value: nested {key: [allowed]} dicts take the first allowed value per key
    and omit keys that allow ""."""
    def pick(d):
        return {k: (v[0] if isinstance(v, list) else v) for k, v in d.items()
                if not (isinstance(v, list) and ("" in v or not v))}
    t = info.get("type")
    if t in ("dict", "HashMap") and isinstance(value, dict) and all(isinstance(x, list) for x in value.values()):
        return pick(value)
    if (t in ("array", "Array", "ArrayList") and isinstance(value, list) and value
            and all(isinstance(x, dict) for x in value) and info.get("items", {}).get("type") == "dict"):
        return [pick(x) if all(isinstance(y, list) for y in x.values()) else x for x in value]
    return copy.deepcopy(value)


def wire(value, info, category):
    """The JSON value an FC model sends: as is for Python; for Java/JS (every tool parameter is a "string") the
    string bfcl's type converters parse: strings unquoted, other values as source text."""
    if is_java(category) and not isinstance(value, str):
        if info.get("type") == "Array" and info.get("items", {}).get("type") == "String" and isinstance(value, list):
            # java_type_converter's parse_array keeps the quotes of "..." elements (parse_arraylist drops them), so
            # the String[] bfcl accepts has unquoted elements; the quoted form is kind quoted_string_array
            return "new String[]{" + ", ".join(map(str, value)) + "}"
        return ref.java_value(value, info)
    if is_js(category) and not isinstance(value, str):
        return ref.js_value(value, info, q="\"")  # bfcl's js_type_converter keeps \' escapes verbatim
    return value


def truth_calls(item):
    """[(dotted name, {param: value})] from the ground truth: first allowed value; optional params allowing ""
    are omitted."""
    calls = []
    for call in item.ground_truth:
        (name, allowed_map), = call.items()
        required = item.required(name)
        params = OrderedDict()
        for p, allowed in allowed_map.items():
            nonempty = [v for v in allowed if v != ""]
            if not nonempty or ("" in allowed and p not in required):
                continue
            params[p] = wire(first_choice(nonempty[0], item.info(name, p)), item.info(name, p), item.category)
        calls.append((name, params))
    return calls


def synth_calls(rng, item):
    if not item.functions:  # four live_irrelevance items offer no function at all
        return []
    fdoc = rng.choice(item.functions)
    name, params = ref.synth_call(rng, item, fdoc)
    return [(name, OrderedDict((p, wire(v, item.info(name, p), item.category)) for p, v in params))]


def tc(calls, dotted=False, **dumps):
    return [{"name": n if dotted else underscored(n), "arguments": json.dumps(p, **dumps)} for n, p in calls]


class Gen:
    """Each kind returns (tool_calls, content) or None when it does not apply to the item."""

    def __init__(self, rng, item):
        self.rng, self.item = rng, item
        self.cat = item.category
        self.calls = synth_calls(rng, item) if item.ground_truth is None else truth_calls(item)
        self.lang_str = is_java(self.cat) or is_js(self.cat)

    def kinds(self):
        if self.cat in ("irrelevance", "live_irrelevance"):
            return ["no_call_text", "no_call_text", "empty_content", "null_content", "spurious_call",
                    "empty_object_arguments", "invalid_json_arguments", "arguments_not_object", "null_arguments",
                    "empty_arguments", "dotted_name_kept", "content_with_calls"]
        if self.cat == "live_relevance":
            return ["correct", "correct", "no_call_text", "empty_content", "null_content", "empty_object_arguments",
                    "invalid_json_arguments", "arguments_not_object", "dotted_name_kept", "content_with_calls",
                    "wrong_name"]
        return ["correct", "correct", "correct", "correct_pretty", "correct_unicode", "content_with_calls",
                "swapped_order", "quoted_string_array", "wrong_type", "wrong_value", "missing_required",
                "unexpected_param", "extra_call", "missing_call", "dotted_name_kept", "wrong_name", "no_call_text",
                "empty_content", "null_content", "invalid_json_arguments", "arguments_not_object", "empty_arguments",
                "null_arguments", "double_encoded_arguments"]

    def reply(self, kind):
        if not self.calls and kind not in ("no_call_text", "empty_content", "null_content"):
            return None
        return getattr(self, kind)()

    # -- valid-looking replies
    def correct(self):
        return tc(self.calls), None

    spurious_call = correct

    def correct_pretty(self):
        return tc(self.calls, indent=2), None

    def correct_unicode(self):
        return tc(self.calls, ensure_ascii=False, separators=(",", ":")), None

    def content_with_calls(self):
        return tc(self.calls), self.rng.choice(PROSE)

    def swapped_order(self):
        if len(self.calls) > 1:
            return tc(self.calls[::-1]), None
        name, params = self.calls[0]
        if len(params) < 2:
            return None
        return tc([(name, OrderedDict(reversed(list(params.items()))))]), None

    def quoted_string_array(self):
        slot = self._slot(lambda i, p, v: self.item.info(self.calls[i][0], p).get("type") == "Array"
                          and str(v).startswith("new String[]{"))
        if slot is None or not is_java(self.cat):
            return None
        i, p = slot
        (answer,), = [[a for a in self.item.ground_truth[i].values()]]
        new = ref.java_value([x for x in answer[p] if x != ""][0], self.item.info(self.calls[i][0], p))
        return self._with(i, OrderedDict(self.calls[i][1], **{p: new}))

    # -- wrong calls
    def _slot(self, pred=lambda i, p, v: True):
        slots = [(i, p) for i, (_, ps) in enumerate(self.calls) for p, v in ps.items() if pred(i, p, v)]
        return self.rng.choice(slots) if slots else None

    def _with(self, i, params):
        calls = list(self.calls)
        calls[i] = (calls[i][0], params)
        return tc(calls), None

    def wrong_type(self):
        slot = self._slot()
        if slot is None:
            return None
        i, p = slot
        v = self.calls[i][1][p]
        if self.lang_str:  # a JSON number/bool/list where bfcl's Java/JS checker wants a string
            try:
                new = json.loads(v)
            except ValueError:
                new = None
            if isinstance(new, str) or new is None:
                new = [v]
        elif isinstance(v, bool):
            new = str(v).lower()
        elif isinstance(v, (int, float)):
            new = str(v)
        elif isinstance(v, str):
            new = [v]
        else:
            new = json.dumps(v)
        return self._with(i, OrderedDict(self.calls[i][1], **{p: new}))

    def wrong_value(self):
        slot = self._slot(lambda i, p, v: isinstance(v, (str, int, float)) and not isinstance(v, bool))
        if slot is None:
            return None
        i, p = slot
        v = self.calls[i][1][p]
        new = v + " zzqx" if isinstance(v, str) else v + 7
        return self._with(i, OrderedDict(self.calls[i][1], **{p: new}))

    def missing_required(self):
        slot = self._slot(lambda i, p, v: p in self.item.required(self.calls[i][0]))
        if slot is None:
            return None
        i, p = slot
        return self._with(i, OrderedDict((k, v) for k, v in self.calls[i][1].items() if k != p))

    def unexpected_param(self):
        params = OrderedDict(self.calls[0][1])
        params["verbose"] = "true" if self.lang_str else True
        return self._with(0, params)

    def extra_call(self):
        return tc(self.calls + [self.calls[0]]), None

    def missing_call(self):
        return (tc(self.calls[:-1]), None) if len(self.calls) > 1 else None

    def dotted_name_kept(self):
        if not any("." in n for n, _ in self.calls):
            return None
        return tc(self.calls, dotted=True), None

    def wrong_name(self):
        names = [underscored(f["name"]) for f in self.item.functions]
        calls = tc(self.calls)
        others = [n for n in names if n != calls[0]["name"]]
        calls[0]["name"] = self.rng.choice(others) if others else calls[0]["name"] + "_v2"
        return calls, None

    # -- no call
    def no_call_text(self):
        return [], self.rng.choice(ref.REFUSALS + PROSE)

    def empty_content(self):
        return [], ""

    def null_content(self):
        return [], None

    # -- broken arguments
    def _args(self, fn):
        calls = tc(self.calls)
        k = self.rng.randrange(len(calls))
        calls[k]["arguments"] = fn(self.calls[k][1])
        return calls, None

    def invalid_json_arguments(self):
        return self._args(lambda p: json.dumps(p)[:-1] + ",")

    def arguments_not_object(self):
        return self._args(lambda p: json.dumps(list(p.values())))

    def empty_arguments(self):
        return self._args(lambda p: "")

    def null_arguments(self):
        return self._args(lambda p: "null")

    def empty_object_arguments(self):
        return self._args(lambda p: "{}")

    def double_encoded_arguments(self):
        return self._args(lambda p: json.dumps(json.dumps(p)))


# ----------------------------------------------------------------------------------------------------------------
# Records
# ----------------------------------------------------------------------------------------------------------------
def generation_entries(prompts):
    """load_dataset_entry(test_category) at generation time (include_language_specific_hint=True)."""
    entries = copy.deepcopy(prompts)
    entries = process_agentic_test_case(entries)
    entries = populate_test_cases_with_predefined_functions(entries)
    return add_language_specific_hint_to_function_doc(entries)


def build_records(data_dir):
    rng = random.Random(SEED)
    handler, recorder = make_handler()
    records = []
    for category, count in PLAN:
        prompts, answers = ref.load_category(data_dir, category)
        entries = generation_entries(prompts)
        items = [ref.Item(category, p, answers[k] if answers else None) for k, p in enumerate(prompts)]
        order = []
        while len(order) < count:
            order += rng.sample(range(len(items)), len(items))
        order = [k for k, p in enumerate(prompts) if not p["function"]][:1] + order  # a request without tools
        system_shown = False  # messages also kept for the first record whose turn has a system message
        cycle, postponed = [], []  # kinds are dealt in shuffled rounds; one that does not apply waits for an item
        for n, index in enumerate(order[:count]):
            item = items[index]
            gen = Gen(rng, item)
            if not cycle:
                cycle = rng.sample(gen.kinds(), len(gen.kinds()))
            candidates = postponed + [cycle.pop()]
            kind, reply = None, None
            for kind in candidates:
                reply = gen.reply(kind)
                if reply is not None:
                    break
            postponed = list(OrderedDict.fromkeys(k for k in candidates if k != kind or reply is None))
            while reply is None:
                kind = rng.choice(gen.kinds())
                reply = gen.reply(kind)
            tool_calls, content = reply
            request, result = run_inference(handler, recorder, entries[index], tool_calls, content)
            valid, error_type = judge(handler, result, item)
            with_system = any(m.get("role") == "system" for m in request["messages"])
            show = n < MESSAGES_PER_CATEGORY or (with_system and not system_shown)
            system_shown |= show and with_system
            records.append({
                "id": item.id, "category": category, "kind": kind,
                "tools": json.loads(json.dumps(request["tools"])) if "tools" in request else None,
                "messages": json.loads(json.dumps(request["messages"])) if show else None,
                "tool_calls": tool_calls, "content": content, "valid": valid, "error_type": error_type,
            })
    return records


def serialize(records):
    return ("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)).encode("utf-8")


def print_summary(records, out_bytes, data_dir, elapsed):
    per = OrderedDict()
    for r in records:
        row = per.setdefault(r["category"], [0, 0, 0])
        row[0] += 1
        row[1 if r["valid"] else 2] += 1
    print(f"{'category':<24}{'total':>7}{'valid':>7}{'invalid':>9}")
    for category, (total, valid, invalid) in per.items():
        print(f"{category:<24}{total:>7}{valid:>7}{invalid:>9}")
    valid = sum(r["valid"] for r in records)
    print(f"{'TOTAL':<24}{len(records):>7}{valid:>7}{len(records) - valid:>9}")
    errors = Counter(r["error_type"] for r in records if not r["valid"])
    print("error types: " + ", ".join(f"{k}={v}" for k, v in sorted(errors.items())))
    by_kind = OrderedDict()
    for r in sorted(records, key=lambda r: r["kind"]):
        by_kind.setdefault(r["kind"], Counter())["valid" if r["valid"] else "invalid"] += 1
    print("kinds: " + ", ".join(f"{k}={c['valid']}/{c['valid'] + c['invalid']}" for k, c in by_kind.items()))
    print(f"records with messages: {sum(r['messages'] is not None for r in records)}")
    print(f"dataset identical to bfcl_eval's packaged data: {ref.dataset_matches_package(data_dir)}")
    print(f"fixture: {len(out_bytes)} bytes, sha256 {hashlib.sha256(out_bytes).hexdigest()}")
    print(f"runtime: {elapsed:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=ref.DEFAULT_DATA, help="folder with BFCL_v4_*.json and possible_answer/")
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture path (JSON Lines)")
    parser.add_argument("--check", action="store_true", help="compare with the existing --out instead of writing")
    args = parser.parse_args()
    started = time.time()
    try:
        records = build_records(args.data)
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
        print_summary(records, out_bytes, args.data, time.time() - started)
    finally:
        shutil.rmtree(ref._BFCL_ROOT, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
