#!/usr/bin/env python3
"""Regression-testing a checkpoint, end to end on real checkpoints: the README's worked example.

Builds two candidates from SmolLM2-135M-Instruct Q4_1 with llama.cpp's own quantizer (Q2_K: clearly worse; Q4_0:
barely different), evaluates the baseline and both candidates with `assay run --runtime llama.cpp` on full
ARC-Easy and PIQA by log-likelihood plus ARC-Easy by generation (arc-gen), then gates each candidate with
`assay compare BASELINE CANDIDATE --fail-if-regression 1`:

- Q4_1 -> Q2_K must exit 1 (a significant drop of more than 1 point), listing the suites, the paired test, the CI
  and the flipped items;
- the control, the baseline against a copy of its own per-item file, must exit 0;
- Q4_1 -> Q4_0: whatever the gate says, the report states whether this n can tell, with the minimum detectable
  difference.

    python3 scripts/regression-example.py                 # full suites (about 3 x 20 minutes on 2 cores)
    python3 scripts/regression-example.py --limit 100     # a quick look: 100 items per suite

Writes results/regression/ (the database, per-item files, compare reports as Markdown and JSON, flipped items,
summary.json with every exit code and timing) and dashboards/regression/ (the HTML dashboard and, when Chromium is
installed, a screenshot). Exits 0 when the gate behaved as above, 1 when it did not, 2 on bad usage or a failed step.
"""
import argparse, json, os, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_PYTHON = os.path.join(os.environ.get("ASSAY_LLAMA_VENV", os.path.expanduser("~/.cache/assay/llama-venv")),
                           "bin", "python")
LOGLIK_SUITES = "arc/easy,piqa"
GEN_SUITE, GEN_LIMIT = "arc-gen/easy", 200


def step(what, command, env=None, ok=(0,), cwd=None):
    """Runs one command; a return code outside `ok` stops the script with what failed and its output."""
    print(f"== {what}", file=sys.stderr, flush=True)
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
    if done.returncode not in ok:
        sys.exit(f"error: {what} failed with exit code {done.returncode}:\n{done.stderr[-3000:]}")
    return done


def statement(row):
    """What one suite's gate result says about this n: significant or not, and the difference it finds 80% of the
    time (the minimum detectable difference at alpha)."""
    if row["regressed"] + row["improved"] == 0:
        return "no item changed"
    delta, mde, n = row["delta"], row["mde"], row["n"]
    text = (f"{delta:+.1f} points, {'significant' if row['significant'] else 'not significant'} (p = {row['p_value']:.2g}); "
            f"at n = {n} the gate finds a change of {mde:.1f} points or more 80% of the time")
    if abs(delta) < mde:
        text += ", so a real change of this size is found less often than that"
    return text


def candidate(model, kind, out_dir):
    """The quantized file, made once and cached beside the model with its .sha256 (which `assay run` checks)."""
    target = os.path.join(out_dir, os.path.basename(model).replace("Q4_1", kind))
    if not os.path.exists(target) or not os.path.exists(target + ".sha256"):
        started = time.time()
        done = step(f"quantize {kind}", [VENV_PYTHON, os.path.join(ROOT, "scripts/quantize-model.py"), model, target,
                                         "--type", kind])
        digest = done.stdout.split()[-1]
        with open(target + ".sha256", "w") as f:
            f.write(digest + "\n")
        print(f"   {kind}: {time.time() - started:.1f} s", file=sys.stderr)
    return target


def evaluate(bin_path, db, name, model, limit, env):
    """Runs the suites on one checkpoint; returns the run ids, the per-item file and the seconds taken."""
    started = time.time()
    ids = []
    for suites, lim in ((LOGLIK_SUITES, limit), (GEN_SUITE, min(limit, GEN_LIMIT) if limit else GEN_LIMIT)):
        command = [bin_path, "run", "--runtime", "llama.cpp", "--model", model, "--suite", suites, "--db", db]
        if lim:
            command += ["--limit", str(lim)]
        step(f"evaluate {name} on {suites}", command, env=env)
        report = json.loads(step("read the run id", [bin_path, "report", "latest", "--db", db, "--format", "json"],
                                 env=env).stdout)
        ids.append(report["run_id"])
    per_item = os.path.join(os.path.dirname(db), f"{name}.jsonl")
    with open(per_item, "w") as out:
        for run_id in ids:
            out.write(step("export", [bin_path, "export", run_id, "--db", db, "--per-item"], env=env).stdout)
    return {"runs": ids, "per_item": os.path.basename(per_item), "seconds": round(time.time() - started, 1)}


def gate(bin_path, db, baseline, candidate_file, name, out_dir, env):
    """`assay compare --fail-if-regression 1` as Markdown and JSON; returns its exit code and the JSON."""
    # Run in the output folder with file names, so the reports name the files, not this machine's paths.
    base = [bin_path, "compare", "--db", os.path.abspath(db), os.path.basename(baseline), os.path.basename(candidate_file),
            "--fail-if-regression", "1", "--flips-out", f"flips-{name}.jsonl"]
    markdown = step(f"compare ({name})", base, env=env, ok=(0, 1), cwd=out_dir)
    as_json = step(f"compare ({name}, JSON)", base + ["--json"], env=env, ok=(0, 1), cwd=out_dir)
    with open(os.path.join(out_dir, f"compare-{name}.md"), "w") as f:
        f.write(f"`assay compare {os.path.basename(baseline)} {os.path.basename(candidate_file)} "
                f"--fail-if-regression 1` exited {markdown.returncode}\n\n" + markdown.stdout)
    with open(os.path.join(out_dir, f"compare-{name}.json"), "w") as f:
        f.write(as_json.stdout)
    return markdown.returncode, json.loads(as_json.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="items per suite (0: every item; arc-gen takes 200)")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "assay"))
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "regression"))
    parser.add_argument("--dashboard", default=os.path.join(ROOT, "dashboards", "regression"))
    parser.add_argument("--report-only", action="store_true",
                        help="reuse the runs and per-item files in --out (summary.json); redo compare, dashboard, summary")
    args = parser.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"error: no assay binary at {args.bin}; build it (swift build --product assay) or pass --bin")
    if not os.path.exists(VENV_PYTHON):
        sys.exit(f"error: no llama.cpp virtualenv at {VENV_PYTHON}; run scripts/setup-llama.sh first")
    env = dict(os.environ, ASSAY_DATA=os.environ.get("ASSAY_DATA", os.path.join(ROOT, "..", "shared", "datasets")))
    os.makedirs(args.out, exist_ok=True)
    started = time.time()
    model = step("install the model", ["bash", os.path.join(ROOT, "scripts/setup-model.sh")]).stdout.split()[-1]
    models_dir = os.path.dirname(model)
    checkpoints = {"baseline-Q4_1": model, "candidate-Q2_K": candidate(model, "Q2_K", models_dir),
                   "candidate-Q4_0": candidate(model, "Q4_0", models_dir)}
    db = os.path.join(args.out, "regression.sqlite")
    previous = None
    if args.report_only:
        previous = json.load(open(os.path.join(args.out, "summary.json")))
        runs, args.limit, started = previous["runs"], previous["limit"] or 0, time.time() - previous["total_seconds"]
    else:
        runs = {name: evaluate(args.bin, db, name, path, args.limit, env) for name, path in checkpoints.items()}
    baseline = os.path.join(args.out, os.path.basename(runs["baseline-Q4_1"]["per_item"]))
    control = os.path.join(args.out, "baseline-Q4_1-copy.jsonl")
    shutil.copyfile(baseline, control)
    results = {}
    for name, other in (("Q2_K", os.path.basename(runs["candidate-Q2_K"]["per_item"])), ("control", control),
                        ("Q4_0", os.path.basename(runs["candidate-Q4_0"]["per_item"]))):
        other = os.path.join(args.out, os.path.basename(other))
        code, report = gate(args.bin, db, baseline, other, name, args.out, env)
        results[name] = {"exit_code": code, "report": report}
    step("dashboard", [args.bin, "dashboard", "--db", db, "--out", args.dashboard,
                       "--baseline", runs["baseline-Q4_1"]["runs"][0],
                       "--candidate", runs["candidate-Q2_K"]["runs"][0]], env=env)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        step("screenshot", [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,2400",
                            f"--screenshot={os.path.join(args.dashboard, 'screenshot.png')}",
                            "file://" + os.path.join(os.path.abspath(args.dashboard), "index.html")])
    expected = results["Q2_K"]["exit_code"] == 1 and results["control"]["exit_code"] == 0
    # Per gate and suite: can this n tell? A difference inside the minimum detectable difference (80% power at
    # alpha) is one the gate would usually miss; the statement is written beside the exit code.
    verdicts = {}
    for name, result in results.items():
        rows = []
        for row in result["report"]["suites"]:
            delta, mde = row["delta"], row["mde"]  # compare's JSON is in points already
            can_tell = abs(delta) >= mde
            rows.append({"suite": row["suite"], "n": row["n"], "delta_points": round(delta, 2),
                         "ci_points": [round(row["ci_low"], 2), round(row["ci_high"], 2)],
                         "p": row["p_value"], "test": row["test"], "significant": row["significant"],
                         "mde_points": round(mde, 2), "lost": row["regressed"], "gained": row["improved"],
                         "statement": statement(row)})
        verdicts[name] = rows
    summary = {"limit": args.limit or None, "checkpoints": {n: os.path.basename(p) for n, p in checkpoints.items()},
               "runs": runs, "exit_codes": {n: r["exit_code"] for n, r in results.items()},
               "gate_behaved_as_expected": expected, "per_suite": verdicts, "total_seconds": previous["total_seconds"] if args.report_only else round(time.time() - started, 1),
               "cores": os.cpu_count()}
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2))
    sys.exit(0 if expected else 1)


if __name__ == "__main__":
    main()
