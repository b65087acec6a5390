#!/usr/bin/env python3
# usage: ~/.cache/assay/metrics-venv/bin/python scripts/python-characters-tables.py > Sources/AssayText/Python/PythonCharacters+Tables.swift
# (the metrics venv has nltk 3.10.4 and the `regex` module it compiles its patterns with).
# Generates PythonCharacters+Tables.swift from the reference interpreter itself (Python 3.11 + the `regex` module).
import regex, sys
rw = regex.compile(r'\w'); rd = regex.compile(r'\d'); rs = regex.compile(r'\s')
SIG = '\u03a3'
def flags(cp):
    c = chr(cp); f = 0
    if rw.match(c): f |= 1
    if rd.match(c): f |= 2
    if rs.match(c): f |= 4
    if c.isalnum() or c == '_': f |= 8
    if c.isspace(): f |= 16
    if c.isupper(): f |= 32
    if c.islower(): f |= 64
    # Final_Sigma probes: X = cased and not case-ignorable; Y = ignorable or cased; Z = ignorable or not cased.
    X = (c + SIG).lower()[-1] == '\u03c2'
    Y = ('A' + c + SIG).lower()[-1] == '\u03c2'
    Z = ('A' + SIG + c).lower()[1] == '\u03c2'
    if Y and Z: f |= 128
    if X: f |= 256
    return f
packed = []; prev = None
for cp in range(0x110000):
    f = 0 if 0xD800 <= cp <= 0xDFFF else flags(cp)
    if f != prev: packed.append((cp << 9) | f); prev = f
runs = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF or cp == 0x130 or cp == 0x3a3: continue
    l = chr(cp).lower()
    if l == chr(cp): continue
    assert len(l) == 1, hex(cp)
    d = ord(l) - cp
    if runs:
        s, e, st, dd = runs[-1]
        if dd == d and ((st == 0 and cp - e in (1, 2)) or (st and cp - e == st)):
            runs[-1] = (s, cp, cp - e if st == 0 else st, dd); continue
    runs.append((cp, cp, 0, d))
runs = [(s, e, st or 1, d) for s, e, st, d in runs]
def rows(values, per, fmt):
    return "\n".join("    " + ", ".join(fmt(v) for v in values[i:i + per]) + "," for i in range(0, len(values), per))
out = sys.stdout
out.write("""// Generated from the reference interpreter (Python 3.11.7, Unicode 14.0, with the `regex` module 2026.11.19 that
// nltk 3.10.4 compiles its patterns with), by testing every code point c: regex.match(r"\\w"|r"\\d"|r"\\s", c),
// c.isalnum() or c == "_", c.isspace(), c.isupper(), c.islower(), and for Final_Sigma, where s is U+03A3:
// case-ignorable = ("A"+c+s).lower() and ("A"+s+c).lower() keep the final sigma, cased = (c+s).lower() does.
// Regenerate the same way after upgrading Python or nltk's `regex`; do not edit by hand.

extension PythonCharacters {
  /// Ranges of code points with equal flags: `start << 9 | flags.rawValue`, sorted by start.
  static let packedRanges: [UInt32] = [
""")
out.write(rows(packed, 8, lambda v: "0x%08X" % v) + "\n  ]\n\n")
out.write("""  /// `str.lower()` for one code point other than U+0130 and U+03A3: runs of `start, end, stride, delta`.
  static let lowercaseRuns: [Int32] = [
""")
out.write(rows([x for r in runs for x in r], 8, str) + "\n  ]\n}\n")
print(len(packed), len(runs), file=sys.stderr)
