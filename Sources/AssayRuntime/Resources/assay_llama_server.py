#!/usr/bin/env python3
"""Assay's scoring server: an OpenAI-compatible endpoint on llama.cpp's library (llama-cpp-python's ctypes API).

Why it exists: llama-cpp-python's own server returns wrong prompt log-probabilities for `echo` + `logprobs` and
evaluates one request at a time. This server evaluates prompts with llama.cpp directly and returns, for every prompt
token, log p(token | preceding tokens) from the logits at the preceding position.

    python assay_llama_server.py --model SmolLM2-135M-Instruct.Q4_1.gguf --port 8080 --alias smollm2

Endpoints: GET /health, GET /v1/models, POST /v1/completions (echo, logprobs, top_logprobs, a list of prompts),
POST /v1/chat/completions (the GGUF's chat template), POST /tokenize.

How it uses the two cores:
- Scoring (echo with max_tokens 0 or 1) gathers every request waiting at that moment into one llama_decode. The
  prompts are merged into a prefix tree: a token shared by several prompts (the question that four answer options
  share, a few-shot preamble) is one batch entry that belongs to all their sequences, so it is evaluated once. Every
  tree node's logits give the log-probabilities of its children.
- Generation runs continuous batching: every active sequence advances one token per llama_decode; new prompts join
  between steps, and reuse the KV cells of an earlier prompt's common prefix (llama_memory_seq_cp).
One engine thread owns the model; HTTP threads only parse, queue and wait.
"""

import argparse
import collections
import ctypes
import hashlib
import json
import math
import os
import queue
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import llama_cpp as L


class RequestError(Exception):
    """A client error: answered with HTTP `status` and an OpenAI-style error body."""

    def __init__(self, message, status=400, kind="invalid_request_error", code=None):
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.code = code


class RowStats:
    """Each logits row's argmax and log-sum-exp, so that log p(token) = logits[row, token] - lse[row].

    Rows are reduced in chunks on two threads (numpy releases the GIL), without a full log-softmax copy."""

    def __init__(self, logits, threads=2, chunk=256):
        self.logits = logits
        n = logits.shape[0]
        self.argmax = np.empty(n, dtype=np.int64)
        self.lse = np.empty(n, dtype=np.float64)
        spans = [(i, min(n, i + chunk)) for i in range(0, n, chunk)]
        if len(spans) > 1 and threads > 1:
            workers = [threading.Thread(target=self._reduce, args=(spans[k::threads],)) for k in range(threads)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
        else:
            self._reduce(spans)

    def _reduce(self, spans):
        for start, end in spans:
            block = self.logits[start:end]
            am = block.argmax(axis=1)
            peak = block[np.arange(end - start), am]
            total = np.exp(block - peak[:, None]).sum(axis=1, dtype=np.float64)
            self.argmax[start:end] = am
            self.lse[start:end] = np.log(total) + peak

    def logprob(self, row, token):
        return float(self.logits[row, token]) - float(self.lse[row])


class Model:
    """The loaded GGUF: vocabulary, tokenizer, chat template and two contexts (scoring and generation)."""

    def __init__(self, path, ctx_size, threads, score_tokens, max_sequences):
        L.llama_backend_init()
        model_params = L.llama_model_default_params()
        self.model = L.llama_model_load_from_file(path.encode(), model_params)
        if not self.model:
            raise SystemExit(f"error: {path} could not be loaded as a GGUF model by llama.cpp")
        self.vocab = L.llama_model_get_vocab(self.model)
        self.n_vocab = L.llama_vocab_n_tokens(self.vocab)
        self.n_ctx_train = L.llama_model_n_ctx_train(self.model)
        # 0: the model's own window. A larger window is allowed when asked for (llama.cpp allows it too); the
        # model has not been trained on such positions.
        self.ctx_size = ctx_size if ctx_size > 0 else self.n_ctx_train
        if self.ctx_size > self.n_ctx_train:
            print(f"warning: --ctx-size {ctx_size} exceeds the model's training window of {self.n_ctx_train} tokens",
                  file=sys.stderr)
        self.add_bos = bool(L.llama_vocab_get_add_bos(self.vocab))
        self.bos = L.llama_vocab_bos(self.vocab)
        self.eos = L.llama_vocab_eos(self.vocab)
        self.score_budget = score_tokens
        self.threads = threads
        # Every sequence has a KV stream of its own (llama.cpp's kv_unified=false): in this llama.cpp build, a
        # unified KV buffer shared by several sequences in one batch gives wrong logits for some of them (checked
        # against single-sequence evaluation: up to 1.3 nats off), while separate streams agree exactly.
        self.score_streams = max(1, max_sequences)
        self.score_capacity = min(self.ctx_size, 2048)
        self.score_ctx = self._context(self.score_capacity, self.score_streams, threads, ubatch=512)
        self.long_ctx = self._context(self.ctx_size, 1, threads) if self.ctx_size > self.score_capacity else None
        self.gen_streams = 4
        self.gen_ctx = self._context(self.ctx_size, self.gen_streams, threads)
        self._pieces = {}
        self.chat_template = self._meta("tokenizer.chat_template")
        self.description = self._describe()

    def _context(self, per_stream, streams, threads, ubatch=512):
        params = L.llama_context_default_params()
        params.n_ctx = per_stream * streams
        params.n_batch = params.n_ctx
        params.n_ubatch = min(ubatch, params.n_batch)
        params.n_seq_max = streams
        params.n_threads = threads
        params.n_threads_batch = threads
        params.kv_unified = False
        params.no_perf = True
        # llama.cpp's default ("auto") turns flash attention on for CPUs; its half-precision attention moves this
        # model's log-probabilities by up to 0.25 nats against the full-precision path (and against direct
        # evaluation with llama-cpp-python's defaults), so it stays off.
        params.flash_attn_type = L.LLAMA_FLASH_ATTN_TYPE_DISABLED
        ctx = L.llama_init_from_model(self.model, params)
        if not ctx:
            raise SystemExit(f"error: llama.cpp could not create a context of {streams} x {per_stream} tokens")
        return ctx

    def _meta(self, key):
        buf = ctypes.create_string_buffer(1 << 16)
        n = L.llama_model_meta_val_str(self.model, key.encode(), buf, len(buf))
        if n < 0:
            return None
        if n >= len(buf):
            buf = ctypes.create_string_buffer(n + 1)
            L.llama_model_meta_val_str(self.model, key.encode(), buf, len(buf))
        return buf.value.decode("utf-8", "replace")

    def _describe(self):
        buf = ctypes.create_string_buffer(256)
        L.llama_model_desc(self.model, buf, len(buf))
        return buf.value.decode("utf-8", "replace")

    def tokenize(self, text, add_special=True, parse_special=False):
        data = text.encode("utf-8")
        capacity = len(data) + 8
        out = (L.llama_token * capacity)()
        n = L.llama_tokenize(self.vocab, data, len(data), out, capacity, add_special, parse_special)
        if n < 0:
            capacity = -n
            out = (L.llama_token * capacity)()
            n = L.llama_tokenize(self.vocab, data, len(data), out, capacity, add_special, parse_special)
        return list(out[:n])

    def piece(self, token):
        cached = self._pieces.get(token)
        if cached is None:
            buf = ctypes.create_string_buffer(64)
            n = L.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, False)
            if n < 0:
                buf = ctypes.create_string_buffer(-n)
                n = L.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, False)
            cached = buf.raw[:n]
            self._pieces[token] = cached
        return cached

    def is_eog(self, token):
        return bool(L.llama_vocab_is_eog(self.vocab, token))


def char_offsets(prompt_bytes, pieces):
    """Character (code point) offset of each token in the prompt, as OpenAI's `text_offset`.

    A token that starts inside a multi-byte character is placed at that character (floor). When the pieces spell
    the prompt with one extra leading space (SentencePiece), offsets are shifted back by it."""
    starts = []
    position = 0
    for piece in pieces:
        starts.append(position)
        position += len(piece)
    joined = b"".join(pieces)
    shift = 0
    if joined != prompt_bytes and joined.startswith(b" ") and joined[1:].startswith(prompt_bytes[:16]):
        shift = 1
    size = len(prompt_bytes)
    lead = np.frombuffer(prompt_bytes, dtype=np.uint8) & 0xC0 != 0x80 if size else np.zeros(0, dtype=bool)
    before = np.concatenate([[0], np.cumsum(lead)]) if size else np.zeros(1, dtype=np.int64)
    offsets = []
    for start in starts:
        b = min(max(start - shift, 0), size)
        index = int(before[b])
        if b < size and not lead[b]:
            index -= 1
        offsets.append(index)
    return offsets


class Job:
    """One prompt's work, with the Event its HTTP thread waits on."""

    def __init__(self, kind, tokens, params):
        self.kind = kind  # "score" or "generate"
        self.tokens = tokens
        self.params = params
        self.done = threading.Event()
        self.result = None
        self.error = None

    def finish(self, result=None, error=None):
        self.result = result
        self.error = error
        self.done.set()


class Engine:
    """The thread that owns the model: scoring batches and generation steps, in turn."""

    def __init__(self, model, stats):
        self.model = model
        self.stats = stats
        self.lock = threading.Lock()
        self.score_pending = collections.deque()
        self.gen_pending = collections.deque()
        self.wake = threading.Event()
        self.active = {}  # stream -> GenState
        self.kept = {s: [] for s in range(model.gen_streams)}  # stream -> tokens whose cells it still holds
        self.batch = L.llama_batch_init(max(model.ctx_size, model.score_capacity * model.score_streams), 0, 1)
        self.thread = threading.Thread(target=self._loop, name="engine", daemon=True)
        self.thread.start()

    # ---- submission (HTTP threads) ----
    def submit(self, jobs):
        with self.lock:
            for job in jobs:
                (self.score_pending if job.kind == "score" else self.gen_pending).append(job)
        self.wake.set()

    # ---- engine loop ----
    def _loop(self):
        while True:
            self.wake.wait(timeout=0.5)
            self.wake.clear()
            while True:
                did = False
                jobs = self._take_score_jobs()
                if jobs:
                    self._guard(jobs, self._score)
                    did = True
                if self._admit() or self.active:
                    self._guard(None, self._generate_step)
                    did = True
                if not did:
                    break

    def _guard(self, jobs, step):
        try:
            step(jobs) if jobs is not None else step()
        except Exception as error:  # a failed decode fails its requests, never the server
            message = f"llama.cpp evaluation failed: {error}"
            for job in jobs or []:
                if not job.done.is_set():
                    job.finish(error=RequestError(message, 500, "server_error"))
            if jobs is None:
                for state in list(self.active.values()):
                    self._end(state, error=RequestError(message, 500, "server_error"))

    def _take_score_jobs(self):
        """Waiting prompts, in arrival order, up to the token budget (the first one always)."""
        jobs, used = [], 0
        with self.lock:
            while self.score_pending and len(jobs) < 256:
                job = self.score_pending[0]
                if jobs and used + len(job.tokens) > self.model.score_budget:
                    break
                jobs.append(self.score_pending.popleft())
                used += len(job.tokens)
        return jobs

    def _requeue(self, jobs):
        with self.lock:
            self.score_pending.extendleft(reversed(jobs))

    # ---- scoring ----
    def _score(self, jobs):
        """Scores waiting prompts: long ones alone, the rest in groups that share a prefix, one stream a group."""
        model = self.model
        long = [j for j in jobs if len(j.tokens) > model.score_capacity]
        short = [j for j in jobs if len(j.tokens) <= model.score_capacity]
        for job in long:
            self._score_groups(model.long_ctx, [(0, [job])])
        if not short:
            return
        groups = plan_groups(short)
        if len(groups) > model.score_streams:
            self._requeue([job for _, members in groups[model.score_streams:] for job in members])
            groups = groups[: model.score_streams]
        self._score_groups(model.score_ctx, groups)

    def _score_groups(self, ctx, groups):
        """Evaluates groups in rounds: round 0 puts each group's shared prefix and its first member's rest in the
        group's stream; round r cuts the stream back to the prefix and evaluates member r's rest. Every prompt token's
        log-probability comes from the logits at the token before it."""
        model = self.model
        started = time.perf_counter()
        mem = L.llama_get_memory(ctx)
        L.llama_memory_clear(mem, True)
        results = {id(job): ([None] * len(job.tokens), [None] * len(job.tokens)) for _, ms in groups for job in ms}
        kept_rows = {}  # group -> (logits row, lse) at the prefix's last token
        evaluated = 0
        rounds = max(len(members) for _, members in groups)
        for r in range(rounds):
            entries = []  # (group, job, first position fed)
            for g, (prefix, members) in enumerate(groups):
                if r >= len(members):
                    continue
                job = members[r]
                first = 0 if r == 0 else prefix
                if r > 0:
                    L.llama_memory_seq_rm(mem, g, prefix, -1)
                if first >= len(job.tokens):  # the whole prompt is the shared prefix
                    self._fill_from_prefix(results, groups[g], job, kept_rows.get(g), first)
                    continue
                entries.append((g, job, first))
            if not entries:
                continue
            # One sequence per llama_decode. In this llama.cpp build a batch holding several sequences of different
            # lengths (one KV stream each) gives some of them logits that differ from evaluating them alone: checked
            # against direct evaluation on 959 ARC-Easy prompts sent 16 per request, 125 prompts were off by more
            # than 1e-3 (up to 0.29 nats); decoded one sequence at a time, none. The threads still share each decode.
            for entry in entries:
                evaluated += self._decode_entry(ctx, groups, results, kept_rows, entry, r)
            for g, job, first in entries:
                self._finish_scored(job, results[id(job)])
        for _, members in groups:
            for job in members:
                if not job.done.is_set():
                    self._finish_scored(job, results[id(job)])
        self.stats.scored(sum(len(ms) for _, ms in groups), sum(len(j.tokens) for _, ms in groups for j in ms),
                          evaluated, time.perf_counter() - started)

    def _decode_entry(self, ctx, groups, results, kept_rows, entry, r):
        """Feeds one group's member from its first unshared position and scores every token it covers."""
        model = self.model
        g, job, first = entry
        batch = self.batch
        n = 0
        for pos in range(first, len(job.tokens)):
            batch.token[n] = job.tokens[pos]
            batch.pos[n] = pos
            batch.n_seq_id[n] = 1
            batch.seq_id[n][0] = g
            batch.logits[n] = 1
            n += 1
        batch.n_tokens = n
        status = L.llama_decode(ctx, batch)
        if status != 0:
            raise RuntimeError(f"llama_decode returned {status} for a batch of {n} tokens")
        logits = np.ctypeslib.as_array(L.llama_get_logits(ctx), shape=(n, model.n_vocab))
        stats = RowStats(logits, threads=model.threads)
        prefix, members = groups[g]
        values, tops = results[id(job)]
        top = job.params.get("top", 0)
        if r > 0:
            # The first fed token follows the prefix: its distribution is the kept row.
            self._fill_from_prefix(results, groups[g], job, kept_rows[g], first)
        row = 0
        for pos in range(first, len(job.tokens)):
            if pos + 1 < len(job.tokens):
                values[pos + 1] = stats.logprob(row, job.tokens[pos + 1])
                if top:
                    tops[pos + 1] = self._top(stats, row, top, job.tokens[pos + 1])
            else:
                job.generated = self._generated(stats, row, job)
            if r == 0 and pos == prefix - 1 and len(members) > 1:
                kept_rows[g] = (stats.logits[row].copy(), stats.lse[row], int(stats.argmax[row]))
            row += 1
        return n

    def _fill_from_prefix(self, results, group, job, kept, first):
        """Copies the prefix's log-probabilities from the group's first member, and scores the token after the
        prefix (or the generated one) from the kept row."""
        prefix, members = group
        lead_values, lead_tops = results[id(members[0])]
        values, tops = results[id(job)]
        values[1:prefix] = lead_values[1:prefix]
        tops[1:prefix] = lead_tops[1:prefix]
        stats = KeptRow(*kept)
        top = job.params.get("top", 0)
        if first < len(job.tokens):
            values[first] = stats.logprob(0, job.tokens[first])
            if top:
                tops[first] = self._top(stats, 0, top, job.tokens[first])
        else:
            job.generated = self._generated(stats, 0, job)

    def _generated(self, stats, row, job):
        if job.params.get("max_tokens", 0) <= 0:
            return None
        token = int(stats.argmax[row])
        top = job.params.get("top", 0)
        return (token, stats.logprob(row, token), self._top(stats, row, top, token) if top else None)

    def _finish_scored(self, job, result):
        values, tops = result
        job.finish(result={"tokens": job.tokens, "logprobs": values, "top": tops,
                           "generated": getattr(job, "generated", None)})

    def _top(self, stats, node, k, chosen):
        return top_logprobs(stats, node, k, chosen, self.model.piece)

    # ---- generation: continuous batching, a KV stream per sequence ----
    def _admit(self):
        """Starts waiting generation jobs on free streams, on the stream whose kept prompt shares the longest
        prefix (those cells are reused)."""
        admitted = False
        mem = L.llama_get_memory(self.model.gen_ctx)
        while True:
            free = [s for s in range(self.model.gen_streams) if s not in self.active]
            with self.lock:
                if not free or not self.gen_pending:
                    break
                job = self.gen_pending.popleft()
            best, stream = -1, free[0]
            for s in free:
                kept = self.kept[s]
                limit = min(len(kept), len(job.tokens) - 1)
                common = 0
                while common < limit and kept[common] == job.tokens[common]:
                    common += 1
                if common > best:
                    best, stream = common, s
            reuse = best if best >= 8 else 0
            L.llama_memory_seq_rm(mem, stream, reuse, -1)
            self.kept[stream] = job.tokens[:reuse]
            self.active[stream] = GenState(job, stream, reuse, self.model)
            self.stats.reused(reuse)
            admitted = True
        return admitted

    def _generate_step(self):
        if not self.active:
            return
        model = self.model
        batch = self.batch
        n = 0
        outputs = []
        for seq, state in self.active.items():
            feed = state.pending_input()
            for j, (token, pos) in enumerate(feed):
                batch.token[n] = token
                batch.pos[n] = pos
                batch.n_seq_id[n] = 1
                batch.seq_id[n][0] = seq
                batch.logits[n] = 1 if j == len(feed) - 1 else 0
                n += 1
            outputs.append(state)
        batch.n_tokens = n
        started = time.perf_counter()
        status = L.llama_decode(model.gen_ctx, batch)
        if status != 0:
            raise RuntimeError(f"llama_decode returned {status} for a generation step of {n} tokens")
        rows = np.ctypeslib.as_array(L.llama_get_logits(model.gen_ctx), shape=(len(outputs), model.n_vocab))
        for index, state in enumerate(outputs):
            state.fed()
            if state.advance(rows[index]):
                self._end(state)
        self.stats.generated(n, time.perf_counter() - started)

    def _end(self, state, error=None):
        mem = L.llama_get_memory(self.model.gen_ctx)
        self.active.pop(state.seq, None)
        if error is None:
            state.job.finish(result=state.result())
        else:
            state.job.finish(error=error)
            L.llama_memory_seq_rm(mem, state.seq, -1, -1)
            self.kept[state.seq] = []
            return
        # The prompt's cells stay in the stream for a later prompt with the same prefix (a few-shot preamble).
        L.llama_memory_seq_rm(mem, state.seq, len(state.job.tokens), -1)
        self.kept[state.seq] = list(state.job.tokens)


def top_logprobs(stats, row, k, chosen, piece):
    """The k most likely tokens' log-probabilities at `row` (at most 20), and the chosen token's, by token text."""
    k = min(k, 20)
    if k == 1:
        ids = [int(stats.argmax[row])]
    else:
        logits = stats.logits[row]
        part = np.argpartition(logits, -k)[-k:]
        ids = [int(t) for t in part[np.argsort(-logits[part])]]
    out = {piece(t).decode("utf-8", "replace"): stats.logprob(row, t) for t in ids}
    out.setdefault(piece(chosen).decode("utf-8", "replace"), stats.logprob(row, chosen))
    return out


class KeptRow:
    """One kept logits row with RowStats' interface (row index 0)."""

    def __init__(self, logits, lse, argmax):
        self.logits = logits[None, :]
        self.lse = np.array([lse])
        self.argmax = np.array([argmax])

    def logprob(self, row, token):
        return float(self.logits[row, token]) - float(self.lse[row])


def plan_groups(jobs, min_shared=8):
    """Groups prompts that share a prefix of at least `min_shared` tokens (the options of one item, prompts after
    one few-shot preamble): [(prefix length, [jobs])], in first-arrival order of each group."""
    order = sorted(range(len(jobs)), key=lambda i: jobs[i].tokens)
    groups = []
    current, prefix = [order[0]], len(jobs[order[0]].tokens)
    for previous, index in zip(order, order[1:]):
        a, b = jobs[previous].tokens, jobs[index].tokens
        common = 0
        limit = min(len(a), len(b))
        while common < limit and a[common] == b[common]:
            common += 1
        shared = min(prefix, common)
        if shared >= min_shared:
            current.append(index)
            prefix = shared
        else:
            groups.append((prefix if len(current) > 1 else 0, current))
            current, prefix = [index], len(b)
    groups.append((prefix if len(current) > 1 else 0, current))
    groups.sort(key=lambda g: min(g[1]))
    return [(prefix, [jobs[i] for i in sorted(members)]) for prefix, members in groups]


class GenState:
    """One generating sequence: its prompt, what it has produced, its sampler and stop rules."""

    def __init__(self, job, seq, reused, model):
        self.job = job
        self.seq = seq
        self.model = model
        self.position = reused  # next position to feed
        self.generated = []
        self.token_logprobs = []
        self.text = b""
        self.finish_reason = None
        params = job.params
        self.max_tokens = params["max_tokens"]
        self.temperature = params.get("temperature", 0.0)
        self.top_p = params.get("top_p", 1.0)
        self.stop = [s.encode("utf-8") for s in params.get("stop", [])]
        self.want_logprobs = params.get("logprobs", 0)
        seed = params.get("seed")
        self.rng = np.random.default_rng(seed if seed is not None else None)
        self.next_input = None

    def pending_input(self):
        if self.next_input is not None:
            return [self.next_input]
        tokens = self.job.tokens
        return [(tokens[p], p) for p in range(self.position, len(tokens))]

    def fed(self):
        if self.next_input is not None:
            self.position = self.next_input[1] + 1
            self.next_input = None
        else:
            self.position = len(self.job.tokens)

    def advance(self, logits):
        """Samples the next token; True when the sequence is finished."""
        if self.temperature <= 0:
            token = int(logits.argmax())
        else:
            token = self._sample(logits)
        if self.want_logprobs:
            stats = RowStats(logits[None, :], threads=1)
            self.token_logprobs.append(
                (token, stats.logprob(0, token), top_logprobs(stats, 0, self.want_logprobs, token, self.model.piece)))
        if self.model.is_eog(token):
            self.finish_reason = "stop"
            return True
        self.generated.append(token)
        self.text += self.model.piece(token)
        for stop in self.stop:
            cut = self.text.find(stop)
            if stop and cut >= 0:
                self.text = self.text[:cut]
                self.finish_reason = "stop"
                return True
        if len(self.generated) >= self.max_tokens:
            self.finish_reason = "length"
            return True
        if self.position + 1 >= self.model.ctx_size:
            self.finish_reason = "length"
            return True
        self.next_input = (token, self.position)
        return False

    def _sample(self, logits):
        scaled = logits.astype(np.float64) / self.temperature
        scaled -= scaled.max()
        probs = np.exp(scaled)
        probs /= probs.sum()
        if self.top_p < 1.0:
            order = np.argsort(-probs)
            cumulative = np.cumsum(probs[order])
            keep = order[: int(np.searchsorted(cumulative, self.top_p) + 1)]
            mask = np.zeros_like(probs)
            mask[keep] = probs[keep]
            probs = mask / mask.sum()
        return int(self.rng.choice(len(probs), p=probs))

    def result(self):
        return {
            "text": self.text.decode("utf-8", "replace"),
            "finish_reason": self.finish_reason or "length",
            "prompt_tokens": len(self.job.tokens),
            "completion_tokens": len(self.generated),
            "logprobs": self.token_logprobs,
        }


class Stats:
    """Counters for /stats: what the engine did and how long it took."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {
            "score_batches": 0, "score_requests": 0, "score_prompt_tokens": 0, "score_evaluated_tokens": 0,
            "score_seconds": 0.0, "generate_steps": 0, "generate_tokens": 0, "generate_seconds": 0.0,
            "prefix_reused_tokens": 0,
        }

    def scored(self, requests, prompt_tokens, evaluated, seconds):
        with self.lock:
            v = self.values
            v["score_batches"] += 1
            v["score_requests"] += requests
            v["score_prompt_tokens"] += prompt_tokens
            v["score_evaluated_tokens"] += evaluated
            v["score_seconds"] += seconds

    def generated(self, tokens, seconds):
        with self.lock:
            self.values["generate_steps"] += 1
            self.values["generate_tokens"] += tokens
            self.values["generate_seconds"] += seconds

    def reused(self, tokens):
        with self.lock:
            self.values["prefix_reused_tokens"] += tokens

    def snapshot(self):
        with self.lock:
            return dict(self.values)


class ChatTemplate:
    """The GGUF's Jinja chat template, rendered in a sandboxed environment."""

    def __init__(self, source, bos, eos):
        self.source = source
        self.bos = bos
        self.eos = eos
        self.template = None
        if source:
            from jinja2.sandbox import ImmutableSandboxedEnvironment

            env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)

            def raise_exception(message):
                raise RequestError(f"the model's chat template refused the messages: {message}")

            env.globals["raise_exception"] = raise_exception
            self.template = env.from_string(source)

    def render(self, messages):
        if self.template is None:
            # No template in the file: a plain transcript.
            lines = [f"{m['role']}: {m['content']}" for m in messages]
            return "\n".join(lines) + "\nassistant:"
        return self.template.render(
            messages=messages, add_generation_prompt=True, bos_token=self.bos, eos_token=self.eos)


class Server:
    """Request validation and OpenAI response shapes around the engine."""

    def __init__(self, model, alias, model_path, sha256):
        self.model = model
        self.alias = alias
        self.model_path = model_path
        self.sha256 = sha256
        self.stats = Stats()
        self.engine = Engine(model, self.stats)
        bos = model.piece(model.bos).decode("utf-8", "replace") if model.bos >= 0 else ""
        eos = model.piece(model.eos).decode("utf-8", "replace") if model.eos >= 0 else ""
        self.chat = ChatTemplate(model.chat_template, bos, eos)
        self.created = int(time.time())

    def models(self):
        return {"object": "list", "data": [{
            "id": self.alias, "object": "model", "created": self.created, "owned_by": "assay",
            "meta": {"n_ctx_train": self.model.n_ctx_train, "n_ctx": self.model.ctx_size, "n_vocab": self.model.n_vocab,
                     "description": self.model.description, "sha256": self.sha256, "runtime": "assay-llama",
                     "llama_cpp_python": L.__version__},
        }]}

    # ---- parameters ----
    @staticmethod
    def _number(body, key, default, low, high, integer=False):
        value = body.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RequestError(f"'{key}' must be a number, got {json.dumps(value)[:40]}")
        if isinstance(value, float) and not math.isfinite(value):
            raise RequestError(f"'{key}' must be finite")
        if integer and int(value) != value:
            raise RequestError(f"'{key}' must be an integer")
        if value < low or value > high:
            raise RequestError(f"'{key}' must be between {low} and {high}, got {value}")
        return int(value) if integer else float(value)

    def _sampling(self, body):
        """temperature, top_p, n and seed, checked."""
        seed = body.get("seed")
        return (self._number(body, "temperature", 1.0, 0.0, 100.0), self._number(body, "top_p", 1.0, 0.0, 1.0),
                self._number(body, "n", 1, 1, 64, integer=True),
                None if seed is None else self._number(body, "seed", None, -(1 << 63), (1 << 64) - 1, integer=True))

    def _check_model(self, body):
        name = body.get("model")
        if name not in (None, "", self.alias, self.model_path):
            raise RequestError(f"model '{name}' is not served here; this server serves '{self.alias}'", 404,
                               code="model_not_found")

    def _stop(self, body):
        stop = body.get("stop")
        if stop is None:
            return []
        if isinstance(stop, str):
            return [stop]
        if isinstance(stop, list) and all(isinstance(s, str) for s in stop):
            return stop[:16]
        raise RequestError("'stop' must be a string or a list of strings")

    def _check_length(self, tokens, max_tokens, window):
        if len(tokens) + max(0, max_tokens) > window:
            raise RequestError(
                f"this model's maximum context length is {window} tokens; the prompt has {len(tokens)} tokens"
                + (f" and {max_tokens} more were asked for" if max_tokens else "")
                + "; shorten the prompt or lower max_tokens", 400, code="context_length_exceeded")

    def _run(self, jobs):
        self.engine.submit(jobs)
        for job in jobs:
            job.done.wait()
            if job.error:
                raise job.error
        return [job.result for job in jobs]

    # ---- /v1/completions ----
    def completions(self, body):
        self._check_model(body)
        prompt = body.get("prompt")
        # A string, a list of strings, a list of token ids, or a list of lists of token ids (as lm-eval sends).
        if isinstance(prompt, list) and prompt and all(isinstance(t, int) for t in prompt):
            prompt = [prompt]
        prompts = prompt if isinstance(prompt, list) else [prompt]
        if not prompts or not all(isinstance(p, (str, list)) for p in prompts):
            raise RequestError("'prompt' must be a string, a list of strings, or lists of token ids")
        if len(prompts) > 256:
            raise RequestError("at most 256 prompts per request")
        echo = bool(body.get("echo", False))
        max_tokens = self._number(body, "max_tokens", 16, 0, 1 << 20, integer=True)
        logprobs = self._number(body, "logprobs", 0, 0, 20, integer=True)
        temperature, top_p, n, seed = self._sampling(body)
        stop = self._stop(body)
        results = []
        for prompt_text in prompts:
            if isinstance(prompt_text, list):
                tokens = self._token_ids(prompt_text)
                prompt_text = self._detokenize(tokens)
            else:
                tokens = self.model.tokenize(prompt_text, add_special=True)
            if not tokens:
                raise RequestError("the prompt is empty after tokenization")
            scoring = echo and max_tokens <= 1 and n == 1
            self._check_length(tokens, min(max_tokens, 1), self.model.ctx_size)
            if scoring:
                job = Job("score", tokens, {"top": logprobs if logprobs else 0, "max_tokens": max_tokens})
                results.append(("score", prompt_text, [job]))
            else:
                jobs = [Job("generate", tokens, {
                    "max_tokens": min(max(max_tokens, 1), self.model.ctx_size - len(tokens)), "temperature": temperature, "top_p": top_p, "stop": stop,
                    "logprobs": logprobs, "seed": None if seed is None else (seed + i) % (1 << 64)})
                        for i in range(n)]
                echoed = Job("score", tokens, {"top": logprobs, "max_tokens": 0}) if echo else None
                results.append(("generate", prompt_text, jobs + ([echoed] if echoed else [])))
        self._run([job for _, _, jobs in results for job in jobs])
        choices = []
        prompt_tokens = completion_tokens = 0
        for kind, prompt_text, jobs in results:
            if kind == "score":
                choice, used = self._score_choice(prompt_text, jobs[0].result, logprobs)
                choices.append(choice)
                prompt_tokens += len(jobs[0].result["tokens"])
                completion_tokens += used
                continue
            echoed = jobs[-1].result if echo else None
            for job in (jobs[:-1] if echo else jobs):
                choice = self._generated_choice(prompt_text, job.result, echoed, logprobs)
                choices.append(choice)
                prompt_tokens += job.result["prompt_tokens"]
                completion_tokens += job.result["completion_tokens"]
        for index, choice in enumerate(choices):
            choice["index"] = index
        return {
            "id": "cmpl-" + os.urandom(8).hex(), "object": "text_completion", "created": int(time.time()),
            "model": self.alias, "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }

    def _echo_logprobs(self, prompt_text, scored, with_top):
        tokens = scored["tokens"]
        pieces = [self.model.piece(t) if not (i == 0 and t == self.model.bos and self.model.add_bos) else b""
                  for i, t in enumerate(tokens)]
        offsets = char_offsets(prompt_text.encode("utf-8"), pieces)
        return {
            "tokens": [p.decode("utf-8", "replace") for p in pieces],
            "token_logprobs": list(scored["logprobs"]),
            "top_logprobs": list(scored["top"]) if with_top else None,
            "text_offset": offsets,
        }

    def _score_choice(self, prompt_text, scored, logprobs):
        text = prompt_text
        used = 0
        lp = self._echo_logprobs(prompt_text, scored, logprobs > 0) if logprobs else None
        finish = "length"
        if scored["generated"] is not None:
            token, value, top = scored["generated"]
            used = 1
            piece = self.model.piece(token)
            if self.model.is_eog(token):
                finish, piece = "stop", b""
            text = prompt_text + piece.decode("utf-8", "replace")
            if lp is not None:
                lp["tokens"].append(piece.decode("utf-8", "replace"))
                lp["token_logprobs"].append(value)
                if lp["top_logprobs"] is not None:
                    lp["top_logprobs"].append(top)
                lp["text_offset"].append(len(prompt_text))
        return {"text": text, "logprobs": lp, "finish_reason": finish}, used

    def _generated_choice(self, prompt_text, result, echoed, logprobs):
        text = result["text"]
        lp = None
        if logprobs:
            lp = self._echo_logprobs(prompt_text, echoed, True) if echoed else {
                "tokens": [], "token_logprobs": [], "top_logprobs": [], "text_offset": []}
            base = len(prompt_text) if echoed else 0
            offset = base
            for token, value, top in result["logprobs"]:
                piece = self.model.piece(token).decode("utf-8", "replace")
                lp["tokens"].append(piece)
                lp["token_logprobs"].append(value)
                lp["top_logprobs"].append(top)
                lp["text_offset"].append(offset)
                offset += len(piece)
        if echoed:
            text = prompt_text + text
        return {"text": text, "logprobs": lp, "finish_reason": result["finish_reason"]}

    # ---- /v1/chat/completions ----
    def chat_completions(self, body):
        self._check_model(body)
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise RequestError("'messages' must be a non-empty list")
        if body.get("tools"):
            # Answering as if the tools were not there would grade every item as "no call made".
            raise RequestError("this server has no function calling: 'tools' is not supported")
        clean = []
        for m in messages:
            if not isinstance(m, dict) or not isinstance(m.get("role"), str):
                raise RequestError("each message needs a 'role' string and 'content'")
            content = m.get("content")
            if isinstance(content, list):  # OpenAI content parts: text only
                content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
            if not isinstance(content, str):
                raise RequestError("each message's 'content' must be a string")
            clean.append({"role": m["role"], "content": content})
        max_tokens = self._number(body, "max_tokens", None, 1, 1 << 20, integer=True)
        if max_tokens is None:
            max_tokens = self._number(body, "max_completion_tokens", 512, 1, 1 << 20, integer=True)
        temperature, top_p, n, seed = self._sampling(body)
        want_logprobs = bool(body.get("logprobs", False))
        top = self._number(body, "top_logprobs", 0, 0, 20, integer=True)
        text = self.chat.render(clean)
        # The template already wrote the BOS token where the model wants it.
        tokens = self.model.tokenize(text, add_special=not self.chat.source, parse_special=True)
        self._check_length(tokens, min(max_tokens, 1), self.model.ctx_size)
        max_tokens = min(max_tokens, self.model.ctx_size - len(tokens))
        jobs = [Job("generate", tokens, {
            "max_tokens": max_tokens, "temperature": temperature, "top_p": top_p, "stop": self._stop(body),
            "logprobs": max(1, top) if want_logprobs else 0,
            "seed": None if seed is None else (seed + i) % (1 << 64)}) for i in range(n)]
        self._run(jobs)
        choices = []
        completion_tokens = 0
        for index, job in enumerate(jobs):
            result = job.result
            completion_tokens += result["completion_tokens"]
            choice = {"index": index, "message": {"role": "assistant", "content": result["text"]},
                      "finish_reason": result["finish_reason"]}
            if want_logprobs:
                choice["logprobs"] = {"content": [
                    {"token": self.model.piece(t).decode("utf-8", "replace"), "logprob": v,
                     "top_logprobs": [{"token": k, "logprob": p} for k, p in list(tops.items())[:top]]}
                    for t, v, tops in result["logprobs"]]}
            choices.append(choice)
        return {
            "id": "chatcmpl-" + os.urandom(8).hex(), "object": "chat.completion", "created": int(time.time()),
            "model": self.alias, "choices": choices,
            "usage": {"prompt_tokens": len(tokens), "completion_tokens": completion_tokens,
                      "total_tokens": len(tokens) + completion_tokens},
        }

    def tokenize(self, body):
        """POST /tokenize: {"prompt" or "content", "add_special_tokens"} -> {"tokens", "pieces"} (vLLM's and
        llama.cpp's shapes, so lm-eval's remote tokenizer can use it)."""
        content = body.get("prompt", body.get("content"))
        if not isinstance(content, str):
            raise RequestError("'prompt' (or 'content') must be a string")
        add = body.get("add_special_tokens", body.get("add_special", True))
        tokens = self.model.tokenize(content, add_special=bool(add))
        return {"tokens": tokens, "count": len(tokens),
                "pieces": [self.model.piece(t).decode("utf-8", "replace") for t in tokens]}

    def detokenize(self, body):
        """POST /detokenize: {"tokens": [ids]} -> {"prompt": text}."""
        return {"prompt": self._detokenize(self._token_ids(body.get("tokens")))}

    def tokenizer_info(self):
        bos = self.model.piece(self.model.bos).decode("utf-8", "replace") if self.model.bos >= 0 else None
        eos = self.model.piece(self.model.eos).decode("utf-8", "replace") if self.model.eos >= 0 else None
        return {"bos_token": bos, "eos_token": eos, "pad_token": None, "chat_template": self.chat.source,
                "add_bos_token": self.model.add_bos, "model_max_length": self.model.ctx_size}

    def _token_ids(self, value):
        if not isinstance(value, list) or not all(isinstance(t, int) and not isinstance(t, bool) for t in value):
            raise RequestError("token prompts must be lists of integer token ids")
        for t in value:
            if t < 0 or t >= self.model.n_vocab:
                raise RequestError(f"token id {t} is outside the vocabulary (0..{self.model.n_vocab - 1})")
        return value

    def _detokenize(self, tokens):
        return b"".join(self.model.piece(t) for t in tokens).decode("utf-8", "replace")


MAX_BODY = 64 << 20


class HTTPServer(ThreadingHTTPServer):
    """A thread per connection, with a listen backlog for hundreds of clients connecting at once."""

    request_queue_size = 1024
    daemon_threads = True
    allow_reuse_address = True


def make_handler(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "assay-llama"
        # TCP_NODELAY: headers and body go out in two writes; with Nagle's algorithm the body waits for the client's
        # delayed ACK of the headers, about 40 ms per request on a kept-alive connection (measured: 45 ms per
        # /tokenize from lm-eval's remote tokenizer, under 1 ms without).
        disable_nagle_algorithm = True

        def log_message(self, fmt, *args):
            if os.environ.get("ASSAY_LLAMA_VERBOSE"):
                sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

        def _send(self, status, payload):
            data = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, error):
            body = {"error": {"message": str(error), "type": error.kind, "code": error.code}}
            self._send(error.status, body)

        def do_GET(self):
            if self.path == "/tokenizer_info":
                self._send(200, server.tokenizer_info())
            elif self.path == "/health":
                self._send(200, {"status": "ok"})
            elif self.path in ("/v1/models", "/models"):
                self._send(200, server.models())
            elif self.path == "/stats":
                self._send(200, server.stats.snapshot())
            else:
                self._error(RequestError(f"no route GET {self.path}", 404))

        def do_POST(self):
            routes = {
                "/v1/completions": server.completions, "/completions": server.completions,
                "/v1/chat/completions": server.chat_completions, "/chat/completions": server.chat_completions,
                "/tokenize": server.tokenize, "/detokenize": server.detokenize,
            }
            length = self.headers.get("Content-Length")
            try:
                size = int(length) if length is not None else -1
            except ValueError:
                size = -1
            if size < 0 or size > MAX_BODY:
                self.close_connection = True
                self._error(RequestError(f"a JSON body with Content-Length of at most {MAX_BODY} bytes is required",
                                         413 if size > MAX_BODY else 411))
                return
            raw = self.rfile.read(size)
            route = routes.get(self.path.split("?", 1)[0])
            if route is None:
                self._error(RequestError(f"no route POST {self.path}", 404))
                return
            try:
                body = json.loads(raw)
                if not isinstance(body, dict):
                    raise RequestError("the request body must be a JSON object")
                self._send(200, route(body))
            except RequestError as error:
                self._error(error)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                self._error(RequestError(f"the request body is not valid JSON: {error}"))
            except Exception as error:
                self._error(RequestError(f"internal error: {type(error).__name__}: {error}", 500, "server_error"))

    return Handler


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_gguf(path):
    """Refuses a file that is not a GGUF model before llama.cpp sees it (its own error is an abort)."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as error:
        raise SystemExit(f"error: cannot read the model file {path}: {error.strerror}")
    if magic != b"GGUF":
        raise SystemExit(
            f"error: {path} is not a GGUF model (its first bytes are {magic!r}, not b'GGUF'); "
            "pass a .gguf file, e.g. the one `scripts/setup-model.sh` installs")


def main():
    parser = argparse.ArgumentParser(description="Assay's OpenAI-compatible scoring server on llama.cpp")
    parser.add_argument("--model", required=True, help="GGUF model file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--alias", help="served model name (default: the file name without .gguf)")
    parser.add_argument("--ctx-size", type=int, default=0, help="generation context per server (0: the model's)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--score-tokens", type=int, default=1024,
                        help="tokens evaluated in one scoring batch (larger batches pay more attention cost)")
    parser.add_argument("--max-sequences", type=int, default=16, help="KV streams for scoring (groups of prompts per batch)")
    parser.add_argument("--sha256", help="the model file's sha256, if already known (reported in /v1/models)")
    args = parser.parse_args()
    check_gguf(args.model)
    alias = args.alias or os.path.basename(args.model).removesuffix(".gguf")
    model = Model(args.model, args.ctx_size, args.threads, args.score_tokens, args.max_sequences)
    server = Server(model, alias, args.model, args.sha256 or file_sha256(args.model))
    httpd = HTTPServer((args.host, args.port), make_handler(server))
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    print(f"assay-llama serving {alias} ({model.description}, context {model.ctx_size}, "
          f"{args.threads} threads) on http://{args.host}:{args.port}/v1", file=sys.stderr, flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
