#!/usr/bin/env python3
"""NexusRaven V1's own verdicts on generated answers, for Assay's Swift Nexus checker (`NexusChecker`).

What it runs: NexusRaven's evaluator code itself (nexusflowai/NexusRaven), not a re-implementation. The upstream
files are NOT in this repository; put them under /tmp/nexus/upstream (or $NEXUS_UPSTREAM) first, read from these
stored commits (the f32882763bb3 versions of the first three are not stored; the scoring code is the same):

    raven/__init__.py                               2a90a5a6
    raven/utils.py                                  f32882763bb3  build_functions, parse_function_call_to_name_and_args
    raven/eval/evaluator.py                         efedcb3d      Evaluator.run: the per-sample verdict
    raven/eval/raven_utils.py                       2a90a5a6      RavenOutputParser ("Initial Answer:" line)
    raven/data/upload_standardized_api_list.py      e3311885      the eval functions per dataset
    raven/data/upload_standardized_queries.py       72712105      reference preparation (r = / nvdlib.)
    raven/data/toolllm_evaluation_data_utils.py     654f50e0      toolllm functions and references
    raven/data/resources/cve_cpe_function_definitions.py     f32882763bb3
    raven/data/resources/virustotal_function_definitions.py  f32882763bb3
(raven/eval/__init__.py and raven/data/__init__.py are empty files.)

Only heavy dependencies are stubbed: `datasets` (a list-of-rows Dataset with from_list / from_dict / filter / map /
push_to_hub, and a load_dataset that serves the five query files of ../shared/datasets/nexusraven-eval in the shape
of NexusRaven's HF subsets) and `langchain` (inert classes). The LLM is replaced the way NexusRaven replays recorded
outputs: agent_name="TOOLLLM" returns `Evaluator.agent`, set here to an object whose `run(prompt)` returns the
generated answer (for the "raven" format, after NexusRaven's own RavenOutputParser). The standardized API list and
queries are built by running UploadStandardizedAPIListHelper.run() and StandardizedQueriesHelper.run() with that stub.
The verdict is the CORRECT / WRONG that Evaluator.run prints for each example.

Answer formats (the `format` field):
  call   the text goes straight into the evaluator's string path (parse_function_call_to_name_and_args), as V1 does
         with a recorded model output;
  raven  the text goes through RavenOutputParser first (line 2 of the stripped text, "Initial Answer: " removed);
  chat   a chat-model answer with prose, fences or "Call:" around one call. NexusRaven has no extractor for this:
         the recorded verdict is NexusRaven's verdict on the embedded call after the reference preparation
         (`removeprefix("r = ")`, `replace("nvdlib.", "")`), i.e. what Assay's lenient extraction must reproduce.

Run (Python 3.11 or 3.12, standard library only; 3.13 changed exec()/locals() so NexusRaven's build_functions
breaks there):
    python3 scripts/nexus-reference.py            # writes Tests/Fixtures/nexus/crosscheck.jsonl
    python3 scripts/nexus-reference.py --check    # exits 1 when the fixture differs from a fresh run
Mutations are drawn with a fixed seed, so the output is deterministic.
"""

import argparse
import ast
import inspect
import json
import os
import random
import sys
import types

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.environ.get("ASSAY_DATA", os.path.join(REPOSITORY, "..", "shared", "datasets")) + "/nexusraven-eval"
UPSTREAM = os.environ.get("NEXUS_UPSTREAM", "/tmp/nexus/upstream")
FIXTURE = os.path.join(REPOSITORY, "Tests", "Fixtures", "nexus", "crosscheck.jsonl")
SETS = ["cve_cpe", "emailrep", "virustotal", "toolalpaca", "toolllm"]
SEED = 20261206


def load(name):
    with open(f"{DATA}/{name}_queries.json", encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------- stubs for `datasets` and `langchain`

HUB = {}


class Dataset:
    def __init__(self, rows):
        self.rows = list(rows)

    @classmethod
    def from_list(cls, rows):
        return cls([dict(r) for r in rows])

    @classmethod
    def from_dict(cls, columns):
        keys = list(columns)
        count = len(columns[keys[0]]) if keys else 0
        return cls([{k: columns[k][i] for k in keys} for i in range(count)])

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, key):
        if isinstance(key, str):
            return [r[key] for r in self.rows]
        return self.rows[key]

    @property
    def column_names(self):
        return list(self.rows[0]) if self.rows else []

    def _inputs(self, row, input_columns):
        if input_columns is None:
            return [row]
        if isinstance(input_columns, str):
            return [row[input_columns]]
        return [row[c] for c in input_columns]

    def filter(self, function, input_columns=None, **_):
        return Dataset([r for r in self.rows if function(*self._inputs(r, input_columns))])

    def map(self, function, input_columns=None, remove_columns=None, fn_kwargs=None, **_):
        out = []
        for r in self.rows:
            result = function(*self._inputs(r, input_columns), **(fn_kwargs or {}))
            row = {} if remove_columns else dict(r)
            row.update(result)
            out.append(row)
        return Dataset(out)

    def push_to_hub(self, repo_id, config_name):
        HUB[config_name] = self


def load_dataset(path=None, name=None, split=None, **_):
    if path == "Nexusflow/toolalpaca_simulated":
        return Dataset(load("toolalpaca"))
    if path == "Nexusflow/toolllm_eval":
        return Dataset(load("toolllm"))
    return HUB[name]


def install_stubs():
    datasets = types.ModuleType("datasets")
    datasets.Dataset = Dataset
    datasets.load_dataset = load_dataset
    datasets.concatenate_datasets = lambda parts: Dataset([r for p in parts for r in p.rows])
    sys.modules["datasets"] = datasets

    class Inert:
        def __init__(self, *args, **kwargs):
            self.__dict__.update(kwargs)

    class StructuredTool(Inert):
        @classmethod
        def from_function(cls, function, return_direct=False):
            return cls(func=function, name=function.__name__, return_direct=return_direct)

    class OutputParserException(Exception):
        pass

    def initialize_agent(*_, **__):
        raise RuntimeError("no LangChain agents in the cross-check")

    modules = {
        "langchain": {},
        "langchain.tools": {},
        "langchain.tools.base": {"StructuredTool": StructuredTool},
        "langchain.llms": {"OpenAI": Inert, "HuggingFaceTextGenInference": Inert, "OpenAIChat": Inert},
        "langchain.chat_models": {"ChatOpenAI": Inert},
        "langchain.agents": {
            "AgentExecutor": type("AgentExecutor", (Inert,), {}),
            "AgentType": types.SimpleNamespace(),
            "LLMSingleActionAgent": Inert,
            "initialize_agent": initialize_agent,
            "Tool": Inert,
            "AgentOutputParser": Inert,
        },
        "langchain.chains": {"LLMChain": Inert},
        "langchain.schema": {"AgentAction": Inert, "AgentFinish": Inert, "OutputParserException": OutputParserException},
        "langchain.prompts": {"StringPromptTemplate": Inert},
    }
    for name, attributes in modules.items():
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        sys.modules[name] = module
    sys.path.insert(0, UPSTREAM)


# ---------------------------------------------------------------- NexusRaven's own pipeline


class Reference:
    """NexusRaven's API list, queries and evaluator, with answers replayed through `Evaluator.agent`."""

    def __init__(self):
        install_stubs()
        raw = [{"dataset": s, "query_dict": json.dumps(q)} for s in SETS for q in load(s)]
        HUB["raw_queries"] = Dataset(raw)
        HUB["raw_queries_no_toolllm"] = Dataset([r for r in raw if r["dataset"] != "toolllm"])
        from raven.data.upload_standardized_api_list import UploadStandardizedAPIListHelper
        from raven.data.upload_standardized_queries import StandardizedQueriesHelper
        from raven.eval import evaluator
        from raven.eval.raven_utils import RavenOutputParser

        UploadStandardizedAPIListHelper(hf_path="stub", subset="standardized_api_list").run()
        StandardizedQueriesHelper(
            hf_path="stub",
            standardized_queries_subset="standardized_queries",
            raw_queries_subset="raw_queries_no_toolllm",
            standardized_api_list_subset="standardized_api_list",
        ).run()
        self.evaluator_module = evaluator
        self.raven_parser = RavenOutputParser()

    def evaluator(self, task):
        return self.evaluator_module.Evaluator(
            task_name=task,
            llm_name="assay-crosscheck",
            agent_name="TOOLLLM",
            hf_path="stub",
            standardized_queries_subset="standardized_queries",
            standardized_api_list_subset="standardized_api_list",
        )

    def functions(self, task):
        return self.evaluator(task).build_functions()

    def verdicts(self, task, answers):
        """Evaluator.run over the whole task, answer i (a (format, text) pair or None) for example i."""
        evaluator = self.evaluator(task)
        pending = iter(answers)

        def run(prompt):
            answer = next(pending)
            if answer is None:
                return None
            fmt, text = answer
            if fmt == "raven":
                return self.raven_parser.parse(text).return_values["output"]
            return text

        evaluator.agent = types.SimpleNamespace(run=run)
        printed = []
        self.evaluator_module.print = lambda *a, **k: printed.append(" ".join(map(str, a)))
        try:
            evaluator.run()
        finally:
            del self.evaluator_module.print
        verdicts = []
        for message in printed:
            if not message.startswith("Example "):
                continue
            tail = message.split("\n\nPrediction\n\t", 1)[1]
            verdict = tail.split("\n\n", 2)[1]
            assert verdict in ("CORRECT", "WRONG"), verdict
            verdicts.append(verdict == "CORRECT")
        assert len(verdicts) == len(answers), (task, len(verdicts), len(answers))
        return verdicts


# ---------------------------------------------------------------- answer generation


def single(s):
    return repr(s)


def double(s):
    return json.dumps(s, ensure_ascii=False)


def literal(value, quote=single):
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k, quote)}: {literal(v, quote)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v, quote) for v in value) + "]"
    return repr(value)


def render(name, positional, keywords, quote=single, sep=", "):
    parts = [literal(v, quote) for v in positional] + [f"{k}={literal(v, quote)}" for k, v in keywords]
    return f"{name}({sep.join(parts)})"


def reference_call(task, item):
    """The reference call text as NexusRaven prepares it."""
    if task == "cve_cpe":
        return item["reference"].removeprefix("r = ").replace("nvdlib.", "")
    if task == "toolalpaca":
        return json.loads(item["turns_1"]["golden_answer"])[0]
    if task == "toolllm":
        return item["Output"]
    return item["reference"]


def parsed(call):
    node = ast.parse(call).body[0].value
    return node.func.id, [ast.literal_eval(a) for a in node.args], [(k.arg, ast.literal_eval(k.value)) for k in node.keywords]


def changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1.5
    if isinstance(value, str):
        return value + "x"
    if value is None:
        return "x"
    return type(value)()


def mutations(task, item, functions, rng):
    """(kind, format, answer text, inner call or None) for one item; the inner call is what NexusRaven scores."""
    call = reference_call(task, item)
    name, positional, keywords = parsed(call)
    signature = list(inspect.signature(functions[name]).parameters.values())
    out = []

    def add(kind, text, fmt="call", inner=None):
        out.append((kind, fmt, text, text if inner is None and fmt == "call" else inner))

    add("reference", call)
    if task == "cve_cpe":
        add("raw_reference", item["reference"])
        add("chat_raw_reference", "Here you go:\n" + item["reference"], "chat", call)
    add("swapped", render(name, positional, list(reversed(keywords))))
    add("double_quotes", render(name, positional, keywords, double, sep=",  "))
    add("wrong_name", render(rng.choice([f for f in functions if f != name] or [name + "_v2"]), positional, keywords))
    add("extra_unknown", render(name, positional, keywords + [("unknown_arg", 1)]))
    add("attribute_callee", "functions." + call)
    add("assignment", "r = " + call)
    add("prose", "Here is the call: " + call)
    add("trailing_expression", call + "\nprint(r)")
    add("two_statements", call + "; " + call)
    add("comment_first", "# the call\n" + call + "\n")
    add("leading_indent", "  " + call)
    add("missing_paren", call.rstrip()[:-1])
    add("extra_paren", call + ")")
    add("unterminated_string", call.replace(")", ", note='open)"))
    add("nested_call", render(name, positional, keywords + [("note", None)]).replace("note=None", "note=str(1)"))
    add("kwargs_unpack", f"{name}(**{{'a': 1}})")
    add("deep_nesting", f"{name}(x=" + "[" * 300 + "]" * 300 + ")")
    add("empty", "")
    names = {p.name for p in signature}
    by_name = {p.name: p for p in signature}
    if keywords:
        i = rng.randrange(len(keywords))
        k, v = keywords[i]
        add("missing_argument", render(name, positional, keywords[:i] + keywords[i + 1 :]))
        add("wrong_value", render(name, positional, keywords[:i] + [(k, changed(v))] + keywords[i + 1 :]))
        add("chat_prose_wrong_value",
            "I will look that up.\n" + render(name, positional, keywords[:i] + [(k, changed(v))] + keywords[i + 1 :])
            + "\nLet me know if you need more.", "chat",
            render(name, positional, keywords[:i] + [(k, changed(v))] + keywords[i + 1 :]))
        if all(k in names for k, _ in keywords) and not positional:
            order = [p.name for p in signature]
            last = max(order.index(k) for k, _ in keywords)
            given = dict(keywords)
            args = [given.get(p, by_name[p].default) for p in order[: last + 1]]
            add("positional", render(name, args, []))
            mixed = order[: last + 1]
            split = len(mixed) // 2
            add("positional_mixed", render(name, args[:split], [(p, given[p]) for p in mixed[split:] if p in given]))
        ints = [(j, kv) for j, kv in enumerate(keywords) if type(kv[1]) is int]
        if ints:
            j, (k, v) = ints[0]
            add("float_for_int", render(name, positional, keywords[:j] + [(k, v + 0.75)] + keywords[j + 1 :]))
            add("int_as_string", render(name, positional, keywords[:j] + [(k, str(v))] + keywords[j + 1 :]))
            add("float_nested", render(name, positional, keywords[:j] + [(k, [v + 0.25])] + keywords[j + 1 :]))
        bools = [(j, kv) for j, kv in enumerate(keywords) if type(kv[1]) is bool]
        if bools:
            j, (k, v) = bools[0]
            add("bool_as_int", render(name, positional, keywords[:j] + [(k, int(v))] + keywords[j + 1 :]))
        strs = [(j, kv) for j, kv in enumerate(keywords) if isinstance(kv[1], str) and kv[1]]
        if strs:
            j, (k, v) = strs[0]
            escaped = "'" + "\\u%04x" % ord(v[0]) + repr(v[1:])[1:-1] + "'" if ord(v[0]) < 0x10000 else repr(v)
            add("escape_sequence", f"{name}(" + ", ".join(
                [literal(a) for a in positional]
                + [f"{kk}={escaped if jj == j else literal(vv)}" for jj, (kk, vv) in enumerate(keywords)]) + ")")
            add("upper_case", render(name, positional, keywords[:j] + [(k, v.upper())] + keywords[j + 1 :]))
        nones = [kv for kv in keywords if kv[1] is None]
        if nones:
            add("drop_none", render(name, positional, [kv for kv in keywords if kv[1] is not None]))
    optional = [p for p in signature if p.default is not inspect.Parameter.empty and p.name not in dict(keywords)]
    if optional:
        p = optional[0]
        add("explicit_default", render(name, positional, keywords + [(p.name, p.default)]))
        if isinstance(p.default, (int, float)) and not isinstance(p.default, bool) or p.default is None:
            add("non_default", render(name, positional, keywords + [(p.name, 7)]))
    # NexusRaven's own "Initial Answer:" format.
    add("raven", f"Thought: I should call {name}.\nInitial Answer: {call}\n", "raven", call)
    add("raven_third_line", f"Thought: first.\nMore thought.\nInitial Answer: {call}", "raven", None)
    add("raven_no_marker", f"Thought: first.\n{call}", "raven", None)
    # Chat answers: NexusRaven's verdict on the embedded call.
    swapped = render(name, positional, list(reversed(keywords)), double)
    add("chat_prose", f"Sure! To answer this I will call the function like so: {call}. This returns the result.",
        "chat", call)
    add("chat_fence", f"Here is the function call:\n\n```python\n{call}\n```\n", "chat", call)
    add("chat_fence_swapped", f"```\n{swapped}\n```", "chat", swapped)
    add("chat_call_prefix", f"Call: {call}", "chat", call)
    add("chat_no_call", "I am sorry, I cannot help with that request.", "chat", None)
    return out


def generate(reference):
    rng = random.Random(SEED)
    records = []
    for task in SETS:
        items = load(task)
        functions = reference.functions(task)
        per_item = [mutations(task, item, functions, rng) for item in items]
        kinds = sorted({k for m in per_item for k, *_ in m})
        for kind in kinds:
            chosen = [next((m for m in ms if m[0] == kind), None) for ms in per_item]
            answers = [None if c is None else (c[1] if c[1] != "chat" else "call", c[3] if c[1] == "chat" else c[2])
                       for c in chosen]
            # A chat answer with no call in it: NexusRaven gets None (WRONG), as with no output at all.
            answers = [None if c is not None and c[1] == "chat" and c[3] is None else a for c, a in zip(chosen, answers)]
            verdicts = reference.verdicts(task, answers)
            for index, (c, verdict) in enumerate(zip(chosen, verdicts)):
                if c is None:
                    continue
                records.append({"set": task, "index": index, "kind": kind, "format": c[1], "answer": c[2],
                                "correct": verdict})
    records.sort(key=lambda r: (SETS.index(r["set"]), r["index"], r["kind"]))
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed fixture instead of writing")
    args = parser.parse_args()
    records = generate(Reference())
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    summary = {}
    for r in records:
        s = summary.setdefault(r["set"], [0, 0])
        s[0] += 1
        s[1] += r["correct"]
    for task, (total, correct) in summary.items():
        print(f"{task}: {total} records, {correct} correct", file=sys.stderr)
    print(f"total: {len(records)} records", file=sys.stderr)
    if args.check:
        with open(FIXTURE, encoding="utf-8") as f:
            if f.read() != text:
                print("the fixture differs from a fresh run", file=sys.stderr)
                sys.exit(1)
        print("the fixture matches", file=sys.stderr)
        return
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()
