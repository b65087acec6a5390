#!/usr/bin/env python3
"""Throughput kit: `assay run` against Assay's own mock server (fixed 50 ms latency) at concurrency 1, 8, 32 and 128;
a run over all 57 MMLU subjects (14,042 log-likelihood items) for peak memory; the adaptive mode against a server
that answers 429 beyond 96 requests in flight; `assay validate` over every suite; and rescoring 100,000 stored responses.

Each concurrency level runs three times; the JSON gives the medians (and every run). Figures per run come from
`assay run --perf-out` (the request phase: first request sent to last answer stored;
harness CPU from getrusage over that phase) and from the mock server's /stats (requests it held at once, averaged
over its busy time). Peak memory is the whole process's (GNU time, maximum resident set). Release build; not a test:
run it on a quiet machine. Writes results/perf/throughput.json.

  python3 scripts/bench/throughput.py [--latency-ms 50] [--out results/perf/throughput.json]
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, ".build", "release")


def start_mock(latency, extra=()):
    mock = subprocess.Popen([os.path.join(BIN, "assay-mock-server"), "--latency-ms", str(latency), *extra],
                            stdout=subprocess.PIPE, text=True)
    line = mock.stdout.readline()
    url = re.search(r"listening on (\S+)", line).group(1)
    return mock, url


def stats(url):
    with urllib.request.urlopen(url.replace("/v1", "/stats")) as response:
        data = json.load(response)
    data.pop("completed_by_body", None)
    return data


def run(url, args, workdir, name):
    perf = os.path.join(workdir, name + ".perf.json")
    timing = os.path.join(workdir, name + ".time")
    command = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", timing, os.path.join(BIN, "assay"), "run", "--base-url", url,
               "--model", "mock-model", "--db", os.path.join(workdir, name + ".sqlite"), "--no-cache", "--fresh",
               "--perf-out", perf, *args]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"assay run failed ({name}): {done.stderr[-2000:]}")
    wall, user, system, rss = open(timing).read().split()
    figures = json.load(open(perf))
    figures["process_wall_s"] = float(wall)
    figures["process_cpu_s"] = round(float(user) + float(system), 3)
    figures["process_peak_rss_mb"] = round(int(rss) / 1024, 1)
    limits = figures.get("adaptive_limits") or []
    figures["adaptive_limits"] = limits[:30] + (["..."] + limits[-10:] if len(limits) > 40 else limits[30:])
    return figures, done.stderr


def rounded(d):
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in d.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--out", default=os.path.join(ROOT, "results", "perf", "throughput.json"))
    options = parser.parse_args()
    os.environ.setdefault("ASSAY_DATA", os.path.join(os.path.dirname(ROOT), "shared", "datasets"))
    for product in ("assay", "assay-mock-server"):
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    latency = options.latency_ms
    work = tempfile.mkdtemp(prefix="assay-bench-")
    result = {"command": "python3 scripts/bench/throughput.py", "latency_ms": latency, "cores": os.cpu_count(),
              "date": time.strftime("%Y-%m-%d"), "concurrency": [], "targets": {
                  "ratio_at_32_and_128": 0.95, "cpu_ms_per_http_request": 0.5, "mmlu_peak_rss_mb": 200}}

    # Fixed concurrency, generated answers (one HTTP request per item), sized to a few seconds at the ideal rate.
    plans = {1: ["--suite", "gsm8k", "--limit", "100"], 8: ["--suite", "gsm8k", "--limit", "800"],
             32: ["--suite", "gsm8k,mgsm"], 128: ["--suite", "gsm8k,mgsm,mmlu-gen"]}
    for c, args in plans.items():
        # Three runs each (a fresh server each time); the medians are reported, with every run.
        runs = []
        for attempt in range(3):
            mock, url = start_mock(latency)
            try:
                figures, _ = run(url, args + ["--concurrency", str(c)], work, f"c{c}-{attempt}")
                server = stats(url)
            finally:
                mock.kill()
            runs.append((figures, server))
        ideal = c / (latency / 1000)
        median = lambda values: statistics.median(values)
        entry = rounded({"concurrency": c, "ideal_rps": ideal,
                         "achieved_rps": median([f["requests_per_second"] for f, _ in runs]),
                         "ratio": median([f["requests_per_second"] / ideal for f, _ in runs]),
                         "harness_mean_in_flight": median([f["mean_in_flight"] for f, _ in runs]),
                         "server_mean_in_flight": median([s["mean_in_flight"] for _, s in runs]),
                         "server_max_in_flight": max(s["max_in_flight"] for _, s in runs),
                         "http_requests": runs[0][0]["http_requests"],
                         "send_seconds": median([f["send_seconds"] for f, _ in runs]),
                         "cpu_ms_per_http_request": median([f["cpu_ms_per_http_request"] for f, _ in runs]),
                         "harness_cpu_s_per_1000_requests": median([f["cpu_ms_per_http_request"] for f, _ in runs]),
                         "peak_rss_mb": max(f["process_peak_rss_mb"] for f, _ in runs)})
        entry["runs"] = [rounded({"ratio": f["requests_per_second"] / ideal, "cpu_ms_per_http_request": f["cpu_ms_per_http_request"],
                                  "server_mean_in_flight": s["mean_in_flight"]}) for f, s in runs]
        print(json.dumps(entry), file=sys.stderr)
        result["concurrency"].append(entry)

    # All 57 MMLU subjects, log-likelihood ranking (4 choices per item): one prompt per call (llama.cpp) and the
    # four choices in one call (vLLM's list prompts).
    result["mmlu"] = []
    for per_call in (1, 4):
        mock, url = start_mock(latency)
        try:
            figures, _ = run(url, ["--suite", "mmlu", "--prompt-mode", "completion", "--concurrency", "128",
                                   "--prompts-per-request", str(per_call)], work, f"mmlu{per_call}")
            server = stats(url)
        finally:
            mock.kill()
        entry = rounded({"prompts_per_request": per_call, "items": figures["requests"],
                         "http_requests": figures["http_requests"], "send_seconds": figures["send_seconds"],
                         "items_per_second": figures["requests_per_second"],
                         "http_requests_per_second": figures["http_requests"] / figures["send_seconds"],
                         "server_mean_in_flight": server["mean_in_flight"],
                         "cpu_ms_per_item": figures["cpu_ms_per_request"],
                         "cpu_ms_per_http_request": figures["cpu_ms_per_http_request"],
                         "peak_rss_mb": figures["process_peak_rss_mb"], "wall_s": figures["process_wall_s"]})
        print(json.dumps(entry), file=sys.stderr)
        result["mmlu"].append(entry)

    # Adaptive concurrency against a server that answers 429 beyond 96 requests in flight.
    mock, url = start_mock(latency, ["--capacity", "96"])
    try:
        figures, stderr = run(url, ["--suite", "gsm8k,mgsm,mmlu-gen", "--concurrency", "8", "--adaptive-concurrency",
                                    "--max-concurrency", "256", "--retry-base-delay", "0.05"], work, "adaptive")
        server = stats(url)
    finally:
        mock.kill()
    result["adaptive"] = rounded({"start": 8, "max": 256, "server_capacity": 96, "limits": figures["adaptive_limits"],
                                  "achieved_rps": figures["requests_per_second"], "server_mean_in_flight": server["mean_in_flight"],
                                  "faults": server["faults"], "failed": figures["failed"]})
    print(json.dumps(result["adaptive"]), file=sys.stderr)

    # assay validate over every suite, and rescoring 100,000 stored responses (gsm8k's extraction and scoring).
    def timed(command, runs=3):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        return {"runs": [round(t, 3) for t in times], "median": round(statistics.median(times), 3)}
    result["validate_all_suites_s"] = timed([os.path.join(BIN, "assay"), "validate"], runs=3)
    responses = os.path.join(work, "responses.jsonl")
    with open(responses, "w") as f:
        for i in range(100_000):
            a, b = i % 50, i % 7
            f.write(json.dumps({"sample": i % 1319, "response": f"Let me think. {a} + {b} = {a + b}. The answer is {a + b}."}) + "\n")
    result["rescore_100k_responses_s"] = timed([os.path.join(BIN, "assay"), "score", "--suite", "gsm8k", "--responses", responses])

    by_c = {e["concurrency"]: e for e in result["concurrency"]}
    result["targets_met"] = {
        "ratio_at_32": by_c[32]["ratio"] >= 0.95, "ratio_at_128": by_c[128]["ratio"] >= 0.95,
        "cpu_ms_per_http_request": all(e["cpu_ms_per_http_request"] < 0.5 for e in result["concurrency"] if e["concurrency"] >= 32),
        "mmlu_peak_rss_mb": all(e["peak_rss_mb"] < 200 for e in result["mmlu"]),
    }
    os.makedirs(os.path.dirname(options.out), exist_ok=True)
    with open(options.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result["targets_met"]))


if __name__ == "__main__":
    main()
