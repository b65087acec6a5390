#!/usr/bin/env python3
"""Builds results/reference/ from ../shared/reference/reference_scores.json.

reference_scores.json: every published row, unchanged (facts with their sources), followed by the rows of
scripts/reference/smollm2-card.json (the SmolLM2-135M-Instruct model card's table, with its source).
meta_configs.json: for each benchmark name Assay can reproduce, the configuration Meta states
(from ../shared/reference/eval_configs.md), used by `assay report --reference` to spell out differences; `pipeline`
names the suite's pipeline that scores as the publisher did (the comparison uses it; the report also shows the
headline pipeline and how many verdicts differ), `scoring` says that rule in words.
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parents[2]
shared = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "reference"
rows = json.loads((shared / "reference_scores.json").read_text())
rows += json.loads((root / "scripts" / "reference" / "smollm2-card.json").read_text())
out = root / "results" / "reference"
out.mkdir(parents=True, exist_ok=True)
(out / "reference_scores.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")

configs = {
    "GSM-8K (CoT)": {"suite": "gsm8k", "max_tokens": 1024, "dataset_size": 1319, "averaging": "micro over the 1,319 test problems",
                     "prompt": "Wei et al. (2022) 8-shot chain-of-thought exemplars", "decoding": "greedy (temperature 0)",
                     "prompt_mode": "chat", "source": "eval_configs.md: GSM8K (model card, eval_details)",
                     "pipeline": "lm-eval-strict",
                     "scoring": "Meta's harness is internal; the closest public rule is lm-eval's gsm8k_cot strict-match (the number after 'The answer is', exact match with commas, '$' and a final '.' ignored)"},
    "GSM8K (CoT)": {"suite": "gsm8k", "max_tokens": 1024, "dataset_size": 1319, "averaging": "micro over the 1,319 test problems",
                    "prompt": "Wei et al. (2022) 8-shot chain-of-thought exemplars", "decoding": "greedy (temperature 0)",
                    "prompt_mode": "chat", "source": "eval_configs.md: GSM8K (paper Table 2)",
                     "pipeline": "lm-eval-strict",
                     "scoring": "Meta's harness is internal; the closest public rule is lm-eval's gsm8k_cot strict-match (the number after 'The answer is', exact match with commas, '$' and a final '.' ignored)"},
    "Multilingual MGSM (CoT)": {"suite": "mgsm", "max_tokens": 2048, "dataset_size": 2750, "languages": 11,
                                "averaging": "mean over all 11 MGSM languages (250 problems each)",
                                "prompt": "simple-evals native-language 0-shot CoT instructions", "decoding": "greedy (temperature 0)",
                                "prompt_mode": "chat", "source": "eval_configs.md: Multilingual MGSM (model card)",
                     "pipeline": "simple-evals",
                                "scoring": "simple-evals' parse_answer and score_mgsm: the last number after the language's answer prefix, commas dropped, compared as a string"},
    "MGSM (CoT)": {"suite": "mgsm", "max_tokens": 2048, "dataset_size": 2750, "languages": 11,
                   "averaging": "mean over all 11 MGSM languages (250 problems each)",
                   "prompt": "simple-evals native-language 0-shot CoT instructions", "decoding": "greedy (temperature 0)",
                   "prompt_mode": "chat", "source": "eval_configs.md: Multilingual MGSM (paper Table 2)",
                     "pipeline": "simple-evals",
                                "scoring": "simple-evals' parse_answer and score_mgsm: the last number after the language's answer prefix, commas dropped, compared as a string"},
    "MMLU (CoT)": {"suite": "mmlu-gen", "max_tokens": 1024, "dataset_size": 14042,
                   "averaging": "macro: mean of the 57 subjects' accuracies",
                   "prompt": "0-shot chain of thought, simple-evals multiple-choice template", "decoding": "greedy (temperature 0)",
                   "prompt_mode": "chat", "source": "eval_configs.md: MMLU, instruct 0-shot CoT (model card, paper Table 2)"},
    "MMLU": {"suite": "mmlu", "max_tokens": 0, "dataset_size": 14042,
             "averaging": "macro: mean of the 57 subjects' accuracies (base models)",
             "prompt": "5-shot standard MMLU prompt, choice characters scored by log-likelihood (acc_char)",
             "decoding": "log-likelihood of the choice letter", "prompt_mode": "completion",
             "source": "eval_configs.md: MMLU, base (model card)"},
    "MMLU-Pro (CoT)": {"suite": "mmlu-pro", "max_tokens": 1024, "dataset_size": 12032,
                       "averaging": "macro: mean of the 14 categories' accuracies",
                       "prompt": "5-shot chain of thought (TIGER-Lab template)", "decoding": "greedy (temperature 0)",
                       "prompt_mode": "chat", "source": "eval_configs.md: MMLU-Pro (model card)"},
    "MATH (CoT)": {"suite": "math", "max_tokens": 5120, "dataset_size": 5000,
                   "averaging": "micro over the 5,000 MATH test problems",
                   "prompt": "0-shot chain of thought", "decoding": "greedy (temperature 0)",
                   "prompt_mode": "chat", "source": "eval_configs.md: MATH (model card, paper Table 2)"},
    "ARC-Challenge": {"suite": "arc-gen", "max_tokens": 100, "dataset_size": 1172,
                      "averaging": "micro over the 1,172 ARC-Challenge test questions",
                      "prompt": "0-shot, the model generates the choice character", "decoding": "greedy (temperature 0)",
                      "prompt_mode": "chat", "source": "eval_configs.md: ARC-Challenge, instruct (paper Table 2)"},
    "ARC-C": {"suite": "arc-gen", "max_tokens": 100, "dataset_size": 1172,
              "averaging": "micro over the 1,172 ARC-Challenge test questions",
              "prompt": "0-shot, the model generates the choice character", "decoding": "greedy (temperature 0)",
              "prompt_mode": "chat", "source": "eval_configs.md: ARC-Challenge, instruct (model card)"},
    "BIG-Bench Hard (CoT)": {"suite": "bbh", "max_tokens": 512, "dataset_size": 6511,
                             "averaging": "average exact match over the 27 subtasks",
                             "prompt": "3-shot chain of thought (the BBH authors' prompts)", "decoding": "greedy (temperature 0)",
                             "prompt_mode": "completion", "source": "eval_configs.md: BIG-Bench Hard (model card)"},
    # Only the CoT row: the card's "GPQA" row (30.4 for 8B) does not say whether CoT was used (eval_configs.md), so
    # no configuration can be stated for it.
    "GPQA (CoT)": {"suite": "gpqa", "max_tokens": 2048, "dataset_size": 448,
                   "averaging": "micro over the 448 main-set questions",
                   "prompt": "0-shot chain of thought, Meta's 'Given the following question and four candidate answers' prompt, the letter after the last 'best answer is'",
                   "decoding": "greedy (temperature 0)", "prompt_mode": "chat",
                   "source": "eval_configs.md: GPQA (instruct) (paper Table 2; llama-recipes meta_gpqa_cot)"},
    "NIH/Multi-needle": {"suite": "multi-needle", "max_tokens": 256, "dataset_size": 110,
                         "averaging": "average recall over 10 context lengths evenly spaced from 2,000 to 131,072 tokens",
                         "prompt": "4 needles inserted, the model asked for 2 (Meta's needles, haystack and prompt are unpublished)",
                         "decoding": "greedy (temperature 0)", "prompt_mode": "chat",
                         "source": "eval_configs.md: NIH / Multi-needle (paper Table 2)"},

}
(out / "meta_configs.json").write_text(json.dumps(configs, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(rows)} reference rows and {len(configs)} configurations to {out}")
