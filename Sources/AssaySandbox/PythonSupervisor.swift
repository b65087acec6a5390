/// The Python program a warm Python worker runs (as pid 1 of its own pid namespace, inside the worker's sandbox).
///
/// Protocol: one JSON job per stdin line `{"dir", "program", "timeout", "limits": {cpu, as, fsize, nofile, nproc},
/// "env"}`; one JSON reply per stdout line `{"status": pass|fail|timeout|crash|output_limit, "detail", "seconds"}`.
/// For each job it forks a child that starts a new session, moves into the job's folder, sends its output to files
/// capped by RLIMIT_FSIZE, applies the rlimits, clears the environment and executes the program with fresh globals
/// (like openai/human-eval's `exec(check_program, {})`, so `__name__` is not `__main__`). Only a child that ran the
/// whole program reports `PASS` through a private pipe; an exception is reported as `Type: message`, an early
/// `os._exit` as a failure. After every job all other processes of the namespace are killed, so nothing a sample
/// started survives into the next one. As pid 1 of the namespace the supervisor ignores signals sent from inside
/// it, and it marks itself non-dumpable so samples (same uid) cannot ptrace it.
enum PythonSupervisor {
  static let source = #"""
import builtins, ctypes, json, os, resource, select, signal, sys, time

try:
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
except Exception:
    pass

# Warm the modules HumanEval-style programs import, so each forked job starts with them loaded.
import collections, copy, datetime, decimal, fractions, functools, hashlib, heapq, bisect, itertools, math, \
    operator, random, re, statistics, string, typing  # noqa
# HumanEval-X's Python programs all start with `import numpy`: load it once here (single-threaded BLAS, since
# threads do not survive fork) rather than in every program.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"
try:
    import numpy  # noqa
except Exception:
    pass
import gc
gc.freeze()  # objects loaded so far are never scanned again, which keeps forked children's pages shared

LIMITS = {"cpu": resource.RLIMIT_CPU, "as": resource.RLIMIT_AS, "fsize": resource.RLIMIT_FSIZE,
          "nofile": resource.RLIMIT_NOFILE, "nproc": resource.RLIMIT_NPROC}


def child(job, report):
    os.setsid()
    os.chdir(job["dir"])
    for fd, name in ((1, "stdout"), (2, "stderr")):
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, fd)
        os.close(out)
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for sig in (signal.SIGXFSZ, signal.SIGPIPE, signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    for key, value in job["limits"].items():
        resource.setrlimit(LIMITS[key], (value, value))
    os.environ.clear()
    os.environ.update(job["env"])
    sys.argv = ["program.py"]
    try:
        with open(job["program"], "rb") as handle:
            code = compile(handle.read(), "program.py", "exec")
        exec(code, {})
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(report, b"PASS")
        os._exit(0)
    except BaseException as error:  # AssertionError, SystemExit, anything: the program did not pass
        message = type(error).__name__
        text = str(error)
        if text:
            message += ": " + text
        try:
            os.write(report, ("FAIL " + message[:2000]).encode("utf-8", "replace"))
        finally:
            os._exit(1)


def kill_others():
    # Only inside a pid namespace of its own, where this process is pid 1: kill(-1) reaches every other process of
    # the namespace (and nothing outside it). Repeat until none is left, so a fork bomb cannot outrun one sweep.
    me = os.getpid()
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                time.sleep(0.0005)
                break
        if not [entry for entry in os.listdir("/proc") if entry.isdigit() and int(entry) not in (1, me)]:
            return


def run(job):
    started = time.monotonic()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        child(job, write_end)
        os._exit(1)
    os.close(write_end)
    pidfd = os.pidfd_open(pid)
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    timed_out = not poller.poll(job["timeout"] * 1000)
    if timed_out:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
    seconds = time.monotonic() - started
    chunks = []
    while True:
        ready, _, _ = select.select([read_end], [], [], 0)
        if not ready:
            break
        chunk = os.read(read_end, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    if job.get("own_namespace"):
        kill_others()
    else:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    report = b"".join(chunks).decode("utf-8", "replace")
    if timed_out:
        return {"status": "timeout", "detail": "", "seconds": seconds}
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXFSZ:
            return {"status": "output_limit", "detail": "output over the cap", "seconds": seconds}
        cpu = usage.ru_utime + usage.ru_stime
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= job["limits"]["cpu"]):
            return {"status": "timeout", "detail": "CPU limit (%s)" % signal.Signals(sig).name, "seconds": seconds}
        return {"status": "crash", "detail": signal.Signals(sig).name, "seconds": seconds}
    if report == "PASS" and os.WEXITSTATUS(status) == 0:
        return {"status": "pass", "detail": "", "seconds": seconds}
    if report.startswith("FAIL "):
        return {"status": "fail", "detail": report[5:], "seconds": seconds}
    return {"status": "fail", "detail": "exited with status %d before the tests finished" % os.WEXITSTATUS(status),
            "seconds": seconds}


for line in sys.stdin:
    try:
        reply = run(json.loads(line))
    except Exception as error:  # the supervisor's own failure (fork refused...): the program never ran
        reply = {"status": "sandbox_error", "detail": "%s: %s" % (type(error).__name__, error), "seconds": 0}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
"""#
}
