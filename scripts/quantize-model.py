#!/usr/bin/env python3
"""Makes a candidate checkpoint from a GGUF file with llama.cpp's own quantizer (llama-cpp-python's
`llama_model_quantize`, `allow_requantize` on), for regression tests on real checkpoints.

    python scripts/quantize-model.py IN.gguf OUT.gguf --type Q2_K     # or Q4_0, Q5_0, Q8_0, ...

Writes OUT.gguf atomically (a temporary file renamed into place) and prints its path and sha256. A file that is not
a GGUF model, or a type llama.cpp does not know, exits 2 with the reason; OUT.gguf is then left as it was.
Run it with the llama.cpp virtualenv's Python (scripts/setup-llama.sh prints where it is).
"""
import argparse
import ctypes
import hashlib
import os
import sys

import llama_cpp


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--type", required=True, help="llama.cpp file type, e.g. Q2_K, Q4_0, Q8_0")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    ftype = getattr(llama_cpp, "LLAMA_FTYPE_MOSTLY_" + args.type.upper(), None)
    if ftype is None:
        known = sorted(n[len("LLAMA_FTYPE_MOSTLY_"):] for n in dir(llama_cpp) if n.startswith("LLAMA_FTYPE_MOSTLY_"))
        sys.exit(f"error: unknown --type {args.type!r} while quantizing {args.source}; known: {', '.join(known)}")
    with open(args.source, "rb") as f:
        if f.read(4) != b"GGUF":
            print(f"error: {args.source} is not a GGUF file (no GGUF magic) while quantizing it; pass a .gguf model",
                  file=sys.stderr)
            sys.exit(2)
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.allow_requantize = True
    params.nthread = args.threads
    partial = args.target + ".part"
    status = llama_cpp.llama_model_quantize(args.source.encode(), partial.encode(), ctypes.byref(params))
    if status != 0 or not os.path.exists(partial):
        if os.path.exists(partial):
            os.remove(partial)
        print(f"error: llama_model_quantize returned {status} for {args.source} -> {args.type}", file=sys.stderr)
        sys.exit(2)
    os.replace(partial, args.target)
    print(args.target, sha256(args.target))


if __name__ == "__main__":
    main()
