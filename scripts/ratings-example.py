#!/usr/bin/env python3
"""Side-by-side ratings of real answers, end to end: the README's worked example.

Two checkpoints of SmolLM2-135M-Instruct (Q4_1, and Q2_K made from it with llama.cpp's own quantizer) answer the
first AlpacaEval instructions (`assay run --suite alpaca-eval`, greedy, answers capped at --max-tokens); their
answers become one comparison set (`assay pairs create`), the real model judges every item in both orders
(`assay pairs judge`), and people rate the same set blind in the terminal (`assay rate`). `report` then writes the
leaderboard with the people's agreement with the LLM judge, and the dashboard.

    python3 scripts/ratings-example.py prepare            # answers, the set, the LLM judge (about 15 minutes, 2 cores)
    .build/debug/assay rate --db results/ratings/ratings.sqlite --set q4_1-vs-q2_k --rater YOU
    python3 scripts/ratings-example.py report             # results/ratings/ratings.{md,json}, dashboards/ratings/

Exit codes: 0 done, 2 bad usage or a failed step.
"""
import argparse, importlib.util, json, os, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SET = "q4_1-vs-q2_k"


def regression_example():
    """The regression example's helpers (model install, quantization, steps), loaded from its file."""
    spec = importlib.util.spec_from_file_location("regression_example", os.path.join(ROOT, "scripts", "regression-example.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(args, env, rx):
    os.makedirs(args.out, exist_ok=True)
    timings = {}
    started = time.time()
    model = rx.step("install the model", ["bash", os.path.join(ROOT, "scripts/setup-model.sh")]).stdout.split()[-1]
    candidate = rx.candidate(model, "Q2_K", os.path.dirname(model))
    runs = {}
    for name, path in (("Q4_1", model), ("Q2_K", candidate)):
        begun = time.time()
        rx.step(f"answer {args.limit} AlpacaEval instructions with {name}",
                [args.bin, "run", "--runtime", "llama.cpp", "--model", path, "--suite", "alpaca-eval", "--limit",
                 str(args.limit), "--max-tokens", str(args.max_tokens), "--judge-model", path, "--db", args.db], env=env)
        report = json.loads(rx.step("read the run id", [args.bin, "report", "latest", "--db", args.db, "--format", "json"],
                                    env=env).stdout)
        runs[name] = report["run_id"]
        timings[f"answers {name}"] = round(time.time() - begun, 1)
    sets = rx.step("list sets", [args.bin, "pairs", "list", "--db", args.db], env=env).stdout
    if f"| {SET} |" not in sets:
        rx.step("create the comparison set",
                [args.bin, "pairs", "create", "--db", args.db, "--name", SET, "--a", runs["Q4_1"], "--b", runs["Q2_K"],
                 "--repeat-share", "0.1", "--seed", "7"], env=env)
    begun = time.time()
    judged = rx.step("the real model judges the set",
                     [args.bin, "pairs", "judge", "--db", args.db, "--set", SET, "--runtime", "llama.cpp", "--model",
                      model], env=env)
    timings["LLM judge"] = round(time.time() - begun, 1)
    print(judged.stdout.strip())
    timings["total"] = round(time.time() - started, 1)
    with open(os.path.join(args.out, "prepare.json"), "w") as f:
        json.dump({"runs": runs, "limit": args.limit, "max_tokens": args.max_tokens, "seconds": timings,
                   "cores": os.cpu_count()}, f, indent=2)
    print(f"now rate: {args.bin} rate --db {args.db} --set {SET} --rater YOU", file=sys.stderr)


def report(args, env, rx):
    judge = "llm:" + "SmolLM2-135M-Instruct.Q4_1"
    base = [args.bin, "ratings", "--db", args.db, "--set", SET, "--llm-judge", judge, "--rounds", "1000"]
    markdown = rx.step("ratings", base, env=env).stdout
    with open(os.path.join(args.out, "ratings.md"), "w") as f:
        f.write(f"`assay ratings --set {SET} --llm-judge {judge} --rounds 1000`\n\n" + markdown)
    with open(os.path.join(args.out, "ratings.json"), "w") as f:
        f.write(rx.step("ratings (JSON)", base + ["--json"], env=env).stdout)
    with open(os.path.join(args.out, "judgments.jsonl"), "w") as f:
        f.write(rx.step("export", [args.bin, "pairs", "export", "--db", args.db, "--name", SET], env=env).stdout)
    prepared = json.load(open(os.path.join(args.out, "prepare.json")))
    rx.step("dashboard", [args.bin, "dashboard", "--db", args.db, "--out", args.dashboard,
                          "--baseline", prepared["runs"]["Q4_1"], "--candidate", prepared["runs"]["Q2_K"]], env=env)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        rx.step("screenshot", [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                               "--window-size=1400,2000", f"--screenshot={os.path.join(args.dashboard, 'screenshot.png')}",
                               "file://" + os.path.join(os.path.abspath(args.dashboard), "index.html")])
    print(markdown)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["prepare", "report"])
    parser.add_argument("--limit", type=int, default=30, help="AlpacaEval instructions answered (default 30)")
    parser.add_argument("--max-tokens", type=int, default=512, help="answer length cap (default 512)")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "assay"))
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "ratings"))
    parser.add_argument("--dashboard", default=os.path.join(ROOT, "dashboards", "ratings"))
    args = parser.parse_args()
    args.db = os.path.join(args.out, "ratings.sqlite")
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"error: no assay binary at {args.bin}; build it (swift build --product assay) or pass --bin")
    rx = regression_example()
    env = dict(os.environ, ASSAY_DATA=os.environ.get("ASSAY_DATA", os.path.join(ROOT, "..", "shared", "datasets")))
    prepare(args, env, rx) if args.what == "prepare" else report(args, env, rx)


if __name__ == "__main__":
    main()
