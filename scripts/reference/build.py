#!/usr/bin/env python3
"""Builds results/reference/ from ../shared/reference/reference_scores.json.

reference_scores.json: every published row, unchanged (facts with their sources).
meta_configs.json: for each benchmark name Assay can reproduce, the configuration Meta states
(from ../shared/reference/eval_configs.md), used by `assay report --reference` to spell out differences.
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[2]
shared = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "reference"
rows = json.loads((shared / "reference_scores.json").read_text())
out = root / "results" / "reference"
out.mkdir(parents=True, exist_ok=True)
(out / "reference_scores.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")

configs = {
    "GSM-8K (CoT)": {"suite": "gsm8k", "max_tokens": 1024, "dataset_size": 1319, "averaging": "micro over the 1,319 test problems",
                     "prompt": "Wei et al. (2022) 8-shot chain-of-thought exemplars", "decoding": "greedy (temperature 0)",
                     "prompt_mode": "chat", "source": "eval_configs.md: GSM8K (model card, eval_details)"},
    "GSM8K (CoT)": {"suite": "gsm8k", "max_tokens": 1024, "dataset_size": 1319, "averaging": "micro over the 1,319 test problems",
                    "prompt": "Wei et al. (2022) 8-shot chain-of-thought exemplars", "decoding": "greedy (temperature 0)",
                    "prompt_mode": "chat", "source": "eval_configs.md: GSM8K (paper Table 2)"},
    "Multilingual MGSM (CoT)": {"suite": "mgsm", "max_tokens": 2048, "dataset_size": 2750, "languages": 11,
                                "averaging": "mean over all 11 MGSM languages (250 problems each)",
                                "prompt": "simple-evals native-language 0-shot CoT instructions", "decoding": "greedy (temperature 0)",
                                "prompt_mode": "chat", "source": "eval_configs.md: Multilingual MGSM (model card)"},
    "MGSM (CoT)": {"suite": "mgsm", "max_tokens": 2048, "dataset_size": 2750, "languages": 11,
                   "averaging": "mean over all 11 MGSM languages (250 problems each)",
                   "prompt": "simple-evals native-language 0-shot CoT instructions", "decoding": "greedy (temperature 0)",
                   "prompt_mode": "chat", "source": "eval_configs.md: Multilingual MGSM (paper Table 2)"},
}
(out / "meta_configs.json").write_text(json.dumps(configs, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(rows)} reference rows and {len(configs)} configurations to {out}")
