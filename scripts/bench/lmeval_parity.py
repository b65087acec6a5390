#!/usr/bin/env python3
"""Assay against lm-evaluation-harness on the same server and the same prompts: ARC-Easy, ARC-Challenge and PIQA.

Starts Assay's llama.cpp server on SmolLM2-135M-Instruct once; runs lm-eval 0.4.13 (`local-completions`, from PyPI
in a throwaway virtualenv, tokenizing through the server's /tokenize as it does with vLLM) with task files that
repeat lm-eval's own arc_easy / arc_challenge / piqa definitions on the local data files; then runs `assay run`
against the same server on the same first N items; compares acc and acc_norm per task and item by item.
Writes results/repro/lmeval-parity.{json,md}.

  python3 scripts/bench/lmeval_parity.py [--limit 500]
"""
import argparse, glob, json, os, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = os.environ.get("ASSAY_LLAMA_PYTHON", os.path.expanduser("~/.cache/assay/llama-venv/bin/python"))
TASK = """task: {name}
dataset_path: json
dataset_kwargs:
  data_files:
    {split}: {path}
output_type: multiple_choice
test_split: {split}
doc_to_text: "{text}"
doc_to_target: {target}
doc_to_choice: "{choice}"
metric_list:
  - metric: acc
    aggregation: mean
    higher_is_better: true
  - metric: acc_norm
    aggregation: mean
    higher_is_better: true
"""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def convert(data, work):
    """The local AI2 / PIQA files in the Hugging Face schema lm-eval's task definitions read."""
    paths = {}
    for name, folder in (("arc_easy", "ARC-Easy"), ("arc_challenge", "ARC-Challenge")):
        out = os.path.join(work, name + ".jsonl")
        with open(os.path.join(data, f"arc/{folder}/{folder}-Test.jsonl")) as f, open(out, "w") as g:
            for line in f:
                item = json.loads(line)
                choices = item["question"]["choices"]
                g.write(json.dumps({"id": item["id"], "question": item["question"]["stem"],
                                    "choices": {"text": [c["text"] for c in choices],
                                                "label": [c["label"] for c in choices]},
                                    "answerKey": item["answerKey"]}) + "\n")
        paths[name] = out
    out = os.path.join(work, "piqa.jsonl")
    labels = open(os.path.join(data, "piqa/dev-labels.lst")).read().split()
    with open(os.path.join(data, "piqa/dev.jsonl")) as f, open(out, "w") as g:
        for line, label in zip(f, labels):
            item = json.loads(line)
            item["label"] = int(label)
            g.write(json.dumps(item) + "\n")
    paths["piqa"] = out
    tasks = os.path.join(work, "tasks")
    os.makedirs(tasks)
    for name in ("arc_easy", "arc_challenge"):
        open(os.path.join(tasks, name + "_local.yaml"), "w").write(TASK.format(
            name=name + "_local", split="test", path=paths[name], text="Question: {{question}}\\nAnswer:",
            target="\"{{choices.label.index(answerKey)}}\"", choice="{{choices.text}}"))
    open(os.path.join(tasks, "piqa_local.yaml"), "w").write(TASK.format(
        name="piqa_local", split="validation", path=paths["piqa"], text="Question: {{goal}}\\nAnswer:",
        target="label", choice="{{[sol1, sol2]}}"))
    return tasks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--venv", default=os.path.expanduser("~/.cache/assay/lmeval-venv"))
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "assay"))
    args = parser.parse_args()
    data = os.environ.get("ASSAY_DATA", os.path.join(ROOT, "..", "shared", "datasets"))
    lm_eval = os.path.join(args.venv, "bin", "lm_eval")
    if not os.path.exists(lm_eval):
        subprocess.run([sys.executable, "-m", "venv", args.venv], check=True)
        subprocess.run([os.path.join(args.venv, "bin", "pip"), "install", "-q", "lm_eval[api]==0.4.13"], check=True)
    model = subprocess.run(["bash", os.path.join(ROOT, "scripts/setup-model.sh")], capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    work = tempfile.mkdtemp(prefix="assay-lmeval-")
    tasks = convert(data, work)
    port = free_port()
    server = subprocess.Popen([PYTHON, os.path.join(ROOT, "Sources/AssayRuntime/Resources/assay_llama_server.py"),
                               "--model", model, "--port", str(port), "--alias", "smollm2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                time.sleep(0.5)
        base = f"http://127.0.0.1:{port}/v1"
        env = dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                   HF_DATASETS_CACHE=os.path.join(work, "hf-cache"))
        out_dir = os.path.join(work, "lmeval-out")
        started = time.time()
        done = subprocess.run([lm_eval, "--model", "local-completions", "--model_args",
                               f"model=smollm2,base_url={base}/completions,tokenizer_backend=remote,"
                               "num_concurrent=16,max_retries=3",
                               "--include_path", tasks, "--tasks", "arc_easy_local,arc_challenge_local,piqa_local",
                               "--limit", str(args.limit), "--log_samples", "--output_path", out_dir],
                              capture_output=True, text=True, env=env)
        lmeval_seconds = time.time() - started
        if done.returncode != 0:
            sys.exit("lm_eval failed:\n" + done.stderr[-4000:])
        results = json.load(open(sorted(glob.glob(os.path.join(out_dir, "**", "results_*.json"), recursive=True))[-1]))
        per_item = {}
        for task in ("arc_easy_local", "arc_challenge_local", "piqa_local"):
            path = sorted(glob.glob(os.path.join(out_dir, "**", f"samples_{task}_*.jsonl"), recursive=True))[-1]
            per_item[task] = {json.loads(l)["doc_id"]: json.loads(l) for l in open(path)}
        db = os.path.join(work, "assay.sqlite")
        env_assay = dict(os.environ, ASSAY_DATA=data)
        started = time.time()
        run = subprocess.run([args.bin, "run", "--base-url", base, "--model", "smollm2", "--suite", "arc,piqa",
                              "--limit", str(args.limit), "--db", db], capture_output=True, text=True, env=env_assay)
        assay_seconds = time.time() - started
        if run.returncode != 0:
            sys.exit("assay run failed:\n" + run.stderr[-3000:])
        report = json.loads(subprocess.run([args.bin, "report", "latest", "--db", db, "--format", "json"],
                                           capture_output=True, text=True, env=env_assay, check=True).stdout)
        items = [json.loads(l) for l in subprocess.run(
            [args.bin, "export", "latest", "--db", db, "--per-item"], capture_output=True, text=True, env=env_assay,
            check=True).stdout.splitlines()]
    finally:
        server.kill()
    assay_rows = {}
    for suite in report["suites"]:
        for row in suite["variants"]:
            assay_rows[row["label"]] = {m: row["metrics"][m]["mean"] for m in ("acc", "acc_norm")}
    mapping = {"arc/easy": "arc_easy_local", "arc/challenge": "arc_challenge_local", "piqa/dev": "piqa_local"}
    rows, md = [], ["# Assay against lm-eval 0.4.13 on the same server and prompts", "",
                    f"`python3 scripts/bench/lmeval_parity.py --limit {args.limit}`: SmolLM2-135M-Instruct Q4_1 behind "
                    "Assay's llama.cpp server; lm-eval's `local-completions` (tokenizing through the server) with "
                    "lm-eval's own arc_easy, arc_challenge and piqa definitions on the local data.", "",
                    "| task | n | lm-eval acc | Assay acc | lm-eval acc_norm | Assay acc_norm | items whose acc_norm verdict differs |",
                    "|---|---:|---:|---:|---:|---:|---:|"]
    for label, task in mapping.items():
        theirs = results["results"][task]
        ours = assay_rows[label]
        assay_items = {i["sample"]: i["score"] for i in items if i["suite"] == label}
        differing = sum(1 for doc, s in per_item[task].items() if doc in assay_items and float(s["acc_norm"]) != assay_items[doc])
        row = {"task": label, "n": len(per_item[task]), "lmeval_acc": 100 * theirs["acc,none"],
               "assay_acc": 100 * ours["acc"], "lmeval_acc_norm": 100 * theirs["acc_norm,none"],
               "assay_acc_norm": 100 * ours["acc_norm"], "items_differing_acc_norm": differing}
        rows.append(row)
        md.append(f"| {label} | {row['n']} | {row['lmeval_acc']:.2f} | {row['assay_acc']:.2f} | "
                  f"{row['lmeval_acc_norm']:.2f} | {row['assay_acc_norm']:.2f} | {differing} |")
    md += ["", f"lm-eval took {lmeval_seconds:.0f} s, Assay {assay_seconds:.0f} s against the same server."]
    os.makedirs(os.path.join(ROOT, "results", "repro"), exist_ok=True)
    json.dump({"limit": args.limit, "rows": rows, "lmeval_seconds": round(lmeval_seconds, 1),
               "assay_seconds": round(assay_seconds, 1)},
              open(os.path.join(ROOT, "results", "repro", "lmeval-parity.json"), "w"), indent=2)
    open(os.path.join(ROOT, "results", "repro", "lmeval-parity.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
