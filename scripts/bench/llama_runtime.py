#!/usr/bin/env python3
"""Speed of the local runtime on the real model: full ARC-Easy (2,376 items, one log-likelihood request per option)
through `assay run --runtime llama.cpp` on SmolLM2-135M-Instruct Q4_1, end to end (server start, every request,
scoring, storing), against two physical limits, llama.cpp itself (llama-cpp-python's `Llama.eval`, same threads):
- the shared-prefix limit: each item's common prefix evaluated once, then each option's rest, with logits at every
  position (`scripts/llama-direct-logprobs.py --time --share-prefix`): the least work any server can do here;
- each prompt alone from an empty cache, logits for the last position only (`--time`): the naive limit.

Both run three times in alternation; the JSON has every run and the medians. Peak memory: the harness (GNU time's
maximum resident set) and the server (its VmHWM, read from /proc before it stops). Release build; not a test: run
it on a quiet machine. Writes results/perf/llama-runtime.json.

  python3 scripts/bench/llama_runtime.py [--runs 3] [--limit N] [--out results/perf/llama-runtime.json]
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "release")  # --configuration debug: .build/debug
PYTHON = os.environ.get("ASSAY_LLAMA_PYTHON", os.path.expanduser("~/.cache/assay/llama-venv/bin/python"))


def arc_easy_prompts(data, limit):
    """The prompts Assay sends for arc/easy (the suite's template: context, a space, the option's text)."""
    prompts = []
    with open(os.path.join(data, "arc/ARC-Easy/ARC-Easy-Test.jsonl")) as f:
        for n, line in enumerate(f):
            if limit and n >= limit:
                break
            item = json.loads(line)
            context = "Question: " + item["question"]["stem"] + "\nAnswer:"
            prompts += [(context + " " + c["text"], n) for c in item["question"]["choices"]]
    return prompts


def physical_limit(model, prompts, threads, share_prefix):
    """llama.cpp's own time for the prompts: each alone, or (share_prefix) each item's common prefix once."""
    done = subprocess.run([PYTHON, os.path.join(ROOT, "scripts/llama-direct-logprobs.py"), model, "--time",
                           "--threads", str(threads)] + (["--share-prefix"] if share_prefix else []),
                          input="\n".join(json.dumps({"prompt": p, "group": g}) for p, g in prompts),
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("direct evaluation failed: " + done.stderr[-2000:])
    return json.loads(done.stdout)


def watch_server_memory(stop, found):
    """Polls for the launched scoring server and keeps its peak resident set (VmHWM)."""
    while not stop.is_set():
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read()
                if b"assay_llama_server.py" not in cmd:
                    continue
                for line in open(f"/proc/{pid}/status"):
                    if line.startswith("VmHWM:"):
                        found["server_peak_rss_mb"] = max(found.get("server_peak_rss_mb", 0), int(line.split()[1]) / 1024)
            except OSError:
                pass
        stop.wait(0.5)


def assay_run(model, workdir, name, limit, threads, data):
    perf = os.path.join(workdir, name + ".perf.json")
    timing = os.path.join(workdir, name + ".time")
    args = ["--limit", str(limit)] if limit else []
    command = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing, os.path.join(BIN, "assay"), "run", "--runtime",
               "llama.cpp", "--model", model, "--suite", "arc/easy", "--db", os.path.join(workdir, name + ".sqlite"),
               "--no-cache", "--fresh", "--perf-out", perf, *args]
    stop, found = threading.Event(), {}
    watcher = threading.Thread(target=watch_server_memory, args=(stop, found))
    watcher.start()
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, ASSAY_DATA=data))
    wall = time.perf_counter() - started
    stop.set()
    watcher.join()
    if done.returncode != 0:
        sys.exit(f"assay run failed: {done.stderr[-3000:]}")
    _, user, system, rss = open(timing).read().split()
    figures = json.load(open(perf))
    score = re.search(r"\| \*\*arc\*\* \| en \| \d+ \| [0-9.]+ \(acc_norm\) \|[^\n]*", done.stdout)
    figures.update({
        "wall_s": round(wall, 2), "harness_cpu_s": round(float(user) + float(system), 2),
        "harness_peak_rss_mb": round(int(rss) / 1024, 1), **{k: round(v, 1) for k, v in found.items()},
        "report_line": score.group(0) if score else None,
    })
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="items (0: all 2,376)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", default=os.path.join(ROOT, "results/perf/llama-runtime.json"))
    parser.add_argument("--skip-alone-limit", action="store_true",
                        help="measure only the shared-prefix limit (the each-prompt-alone one takes ~18 minutes)")
    parser.add_argument("--configuration", default="release", choices=["release", "debug"],
                        help="the harness build (the model's time is the server's either way)")
    args = parser.parse_args()
    global BIN
    BIN = os.path.join(ROOT, ".build", args.configuration)
    data = os.environ.get("ASSAY_DATA", os.path.join(ROOT, "..", "shared", "datasets"))
    model = subprocess.run(["bash", os.path.join(ROOT, "scripts/setup-model.sh")], capture_output=True,
                           text=True, check=True).stdout.strip().splitlines()[-1]
    subprocess.run(["swift", "build", "-c", args.configuration, "--product", "assay"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    prompts = arc_easy_prompts(data, args.limit)
    workdir = tempfile.mkdtemp(prefix="assay-llama-bench-")
    limits, runs = [], []
    shared_limits = []
    for i in range(args.runs):
        shared_limits.append(physical_limit(model, prompts, args.threads, share_prefix=True))
        print(f"shared-prefix limit {i}: {shared_limits[-1]}", file=sys.stderr)
        if not args.skip_alone_limit:
            limits.append(physical_limit(model, prompts, args.threads, share_prefix=False))
            print(f"limit {i}: {limits[-1]}", file=sys.stderr)
        runs.append(assay_run(model, workdir, f"run{i}", args.limit, args.threads, data))
        print(f"assay {i}: wall {runs[-1]['wall_s']} s", file=sys.stderr)
    limit_s = statistics.median(l["seconds"] for l in limits) if limits else None
    shared_s = statistics.median(l["seconds"] for l in shared_limits)
    wall_s = statistics.median(r["wall_s"] for r in runs)
    tokens = shared_limits[0]["tokens"]
    summary = {
        "model": os.path.basename(model), "suite": "arc/easy", "requests": len(prompts), "prompt_tokens": tokens,
        "threads": args.threads, "harness_build": args.configuration,
        "evaluated_tokens_shared_prefix": shared_limits[0]["evaluated_tokens"],
        "shared_prefix_limit_s": round(shared_s, 2),
        "ratio_to_shared_prefix_limit": round(wall_s / shared_s, 3),
        "physical_limit_s": round(limit_s, 2) if limit_s else None,
        "physical_limit_tokens_per_s": round(tokens / limit_s, 1) if limit_s else None,
        "ratio_to_limit": round(wall_s / limit_s, 3) if limit_s else None,
        "assay_wall_s": round(wall_s, 2), "assay_tokens_per_s": round(tokens / wall_s, 1),
        "assay_requests_per_s": round(len(prompts) / wall_s, 2),
        "seconds_per_request": round(wall_s / len(prompts), 4),
        "speedup_vs_1_4_s_per_request": round(1.4 / (wall_s / len(prompts)), 1),
        "harness_peak_rss_mb": max(r["harness_peak_rss_mb"] for r in runs),
        "server_peak_rss_mb": max(r.get("server_peak_rss_mb", 0) for r in runs),
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"summary": summary, "shared_prefix_limit_runs": shared_limits, "limit_runs": limits,
                   "assay_runs": runs}, f, indent=2)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
