#!/usr/bin/env python3
"""Wilson 95% intervals from statsmodels, for Tests/Fixtures/safety/wilson.json (WilsonIntervalTests).

Run in a throwaway virtualenv:
  python3 -m venv /tmp/sm-venv && /tmp/sm-venv/bin/pip install statsmodels
  /tmp/sm-venv/bin/python scripts/wilson-reference.py > Tests/Fixtures/safety/wilson.json
"""
import json

import statsmodels
from statsmodels.stats.proportion import proportion_confint

CASES = [(0, 10), (1, 10), (5, 10), (10, 10), (3, 250), (37, 315), (0, 1), (1, 1), (199, 200), (57, 450), (12, 1200)]

rows = []
for successes, n in CASES:
    low, high = proportion_confint(successes, n, alpha=0.05, method="wilson")
    rows.append({"successes": successes, "n": n, "low": low, "high": high})
print(json.dumps({"statsmodels": statsmodels.__version__, "cases": rows}, indent=1))
