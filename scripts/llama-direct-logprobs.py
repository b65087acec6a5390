#!/usr/bin/env python3
"""Direct evaluation of prompt log-probabilities with llama.cpp, the reference for Assay's scoring server.

Each prompt is evaluated alone, from an empty context, with llama-cpp-python's high-level `Llama` (logits for every
position: `logits_all=True`, `eval`, then a float64 log-softmax of `scores`). Nothing here is shared with
Assay's server (no batching, no prefix tree, no seq ids), so agreement checks the server's arithmetic.

    python scripts/llama-direct-logprobs.py MODEL.gguf < prompts.jsonl > direct.jsonl

Input lines: {"prompt": "..."}; output lines: {"tokens": [ids], "logprobs": [null, x1, x2, ...],
"argmax_next": id} where logprobs[i] = log p(tokens[i] | tokens[:i]).
With --chat, input lines are {"messages": [...], "max_tokens": N} and output lines {"content": "..."}: greedy
answers from llama-cpp-python's own `create_chat_completion` (the GGUF's chat template), the reference for the
server's chat endpoint.
With --time, only measures: evaluates each prompt and prints {"prompts", "tokens", "seconds"} (the physical limit
for a benchmark: llama.cpp evaluating the same tokens, one prompt after another, on --threads threads).
With --time --share-prefix, input lines also carry {"group": key}: the prompts of one group (the options of one
item) share their common token prefix, which is evaluated once, and each prompt's remaining tokens are evaluated
after it (the KV cache cut back to the prefix). That is the least work any server can do for those log-likelihoods:
the tighter physical limit (with logits at every position, which an echo answer needs). It prints {"prompts", "tokens", "evaluated_tokens", "seconds"}.
"""
import argparse
import json
import sys
import time

import numpy as np
from llama_cpp import Llama


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--time", action="store_true", help="only time the evaluation of every prompt")
    parser.add_argument("--share-prefix", action="store_true",
                        help="with --time: evaluate the common prefix of each input group once")
    parser.add_argument("--chat", action="store_true", help="greedy chat answers instead of log-probabilities")
    args = parser.parse_args()
    if args.chat:
        llm = Llama(model_path=args.model, n_ctx=args.n_ctx, n_threads=args.threads, verbose=False)
        for line in sys.stdin:
            if line.strip():
                request = json.loads(line)
                out = llm.create_chat_completion(messages=request["messages"], temperature=0,
                                                 max_tokens=request.get("max_tokens", 64))
                print(json.dumps({"content": out["choices"][0]["message"]["content"]}), flush=True)
        return
    # --share-prefix computes logits at every position, as a server must for an echo answer's log-probabilities.
    llm = Llama(model_path=args.model, logits_all=not args.time or args.share_prefix, n_ctx=args.n_ctx, n_batch=512,
                n_threads=args.threads, n_threads_batch=args.threads, verbose=False)
    lines = [json.loads(line) for line in sys.stdin if line.strip()]
    prompts = [line["prompt"] for line in lines]
    if args.time and args.share_prefix:
        groups = {}
        for line in lines:
            groups.setdefault(line.get("group"), []).append(
                llm.tokenize(line["prompt"].encode("utf-8"), add_bos=True, special=False))
        evaluated = 0
        started = time.perf_counter()
        for members in groups.values():
            shared = 0
            while all(len(m) > shared for m in members) and len({m[shared] for m in members}) == 1:
                shared += 1
            # Keep at least one token of each prompt to evaluate after the prefix.
            shared = min(shared, min(len(m) for m in members) - 1)
            llm.reset()
            llm.eval(members[0][:shared])
            evaluated += shared
            for tokens in members:
                llm.n_tokens = shared  # eval() drops the cache cells past n_tokens first
                llm.eval(tokens[shared:])
                evaluated += len(tokens) - shared
        seconds = time.perf_counter() - started
        print(json.dumps({"prompts": len(prompts), "tokens": sum(len(m) for ms in groups.values() for m in ms),
                          "evaluated_tokens": evaluated, "seconds": seconds}))
        return
    if args.time:
        tokenized = [llm.tokenize(p.encode("utf-8"), add_bos=True, special=False) for p in prompts]
        started = time.perf_counter()
        for tokens in tokenized:
            llm.reset()
            llm.eval(tokens)
        seconds = time.perf_counter() - started
        print(json.dumps({"prompts": len(prompts), "tokens": sum(map(len, tokenized)), "seconds": seconds}))
        return
    for prompt in prompts:
        tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False)
        llm.reset()
        llm.eval(tokens)
        scores = np.array(llm.scores[: len(tokens)], dtype=np.float64)
        peak = scores.max(axis=1, keepdims=True)
        logsoftmax = scores - peak - np.log(np.exp(scores - peak).sum(axis=1, keepdims=True))
        values = [None] + [float(logsoftmax[i - 1, tokens[i]]) for i in range(1, len(tokens))]
        print(json.dumps({"tokens": tokens, "logprobs": values, "argmax_next": int(scores[-1].argmax())}))


if __name__ == "__main__":
    main()
