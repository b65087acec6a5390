import AssayCore
import CSandbox
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs untrusted commands: each in a folder of its own, a new session (process group), rlimits, a wall-clock
/// timeout that kills everything it started, output kept up to a cap (the rest read and dropped), a scrubbed environment, and the isolation layers this
/// machine allows (`isolation` says which). Blocking: call `run` from a worker thread (`ExecutionPool`).
public final class Sandbox: Sendable {
  /// The isolation layers in use.
  public let isolation: SandboxIsolation
  /// The folder under which sample folders are made.
  public let root: String
  private let bubblewrap: String?
  private let systemMounts: [String]
  private let runAsRoot: Bool
  /// Without bubblewrap but as root, each command gets mount and IPC namespaces of its own with empty private
  /// /tmp, /var/tmp, /dev/shm and /run/lock (`assay_spawn`'s `private_temp`).
  var privateTemp: Bool { bubblewrap == nil && runAsRoot }
  private let uidBase = Int32.random(in: 781..<7812) * 256

  /// A sandbox whose sample folders live under `root` (a fresh folder in the system temporary folder by default).
  /// `bubblewrap: false` turns the filesystem layer off even where bubblewrap is installed (for comparison).
  public convenience init(root: String? = nil, bubblewrap useBubblewrap: Bool = true) throws(AssayError) {
    let base = root ?? (NSTemporaryDirectory() + "assay-sandbox-\(getpid())-\(UUID().uuidString.prefix(8))")
    do {
      try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    } catch {
      throw AssayError(.io, "cannot create the sandbox folder \(base): \(error.localizedDescription)",
        fix: "set TMPDIR to a writable folder")
    }
    // Sample users must reach their folders under it; the folders themselves are private to each slot's uid.
    chmod(base, 0o711)
    let asRoot = geteuid() == 0
    // A sample's worker that dies mid-write must not take the harness down with SIGPIPE (children get SIG_DFL back).
    signal(SIGPIPE, SIG_IGN)
    var warnings: [String] = []
    var found = useBubblewrap ? Sandbox.which("bwrap") : nil
    if useBubblewrap && found == nil {
      warnings.append(
        "bubblewrap (bwrap) is not installed: samples can read the host's files that their user may read and write "
          + "wherever that user may (install Debian's `bubblewrap`)")
    }
    if let bwrap = found, let failure = Sandbox.probe(bwrap: bwrap, root: base, asRoot: asRoot) {
      // bubblewrap needs user namespaces when not root, which some kernels and containers forbid.
      warnings.append(
        "bubblewrap is installed but cannot create its namespaces here (\(failure)); running without the "
          + "filesystem, network and pid layers")
      found = nil
    }
    let network = found != nil || asRoot
    if !network {
      warnings.append(
        "no private network namespace (needs bubblewrap or root): samples can open sockets, including to 127.0.0.1")
    }
    if !asRoot {
      warnings.append(
        "not running as root, so samples run as your own user: RLIMIT_NPROC counts all of your processes"
          + (found == nil ? " and a sample could signal your other processes" : ""))
    }
    if found == nil && !asRoot {
      warnings.append(
        "no pid namespace and no uid of the samples' own: a sample that calls setsid() can outlive its program and "
          + "change later ones, and files it leaves in /tmp, /var/tmp and /dev/shm stay (code suites are refused "
          + "unless --allow-unisolated-code)")
    } else if found == nil {
      warnings.append(
        "no pid namespace: the samples' processes are killed by uid between programs, and each command gets "
          + "private temporary folders")
    }
    self.init(
      root: base, bubblewrap: found, runAsRoot: asRoot,
      isolation: SandboxIsolation(
        filesystem: found != nil, network: network, pidNamespace: found != nil, separateUser: asRoot,
        warnings: warnings))
  }

  private init(root: String, bubblewrap: String?, runAsRoot: Bool, isolation: SandboxIsolation) {
    self.root = root
    self.bubblewrap = bubblewrap
    systemMounts = bubblewrap == nil ? [] : Sandbox.systemMounts()
    self.runAsRoot = runAsRoot
    self.isolation = isolation
  }

  /// Removes the sandbox root and everything in it.
  public func removeRoot() {
    // ASSAY_KEEP_SANDBOX=1 keeps the folders (workers' logs included) for debugging the sandbox itself.
    if ProcessInfo.processInfo.environment["ASSAY_KEEP_SANDBOX"] == "1" { return }
    try? FileManager.default.removeItem(atPath: root)
  }

  /// The uid a worker slot's samples run under (nil: the harness's own): a block of 256 uids drawn at random per
  /// sandbox from 200,000-1,999,999, so sandboxes of other runs (or processes) never share a uid, and with it an
  /// RLIMIT_NPROC count, with this one.
  public func uid(slot: Int) -> Int32? { runAsRoot ? uidBase + Int32(slot % 256) : nil }

  /// Makes a fresh private folder for one sample, gives it to the slot's user, runs `body`, kills whatever of the
  /// slot's user is left (without a pid namespace), removes the folder. The folder's name is unpredictable and its
  /// parent (`root`) is not the samples' to write, so no sample can plant a link where it will be made.
  public func withDirectory<T>(slot: Int, _ body: (String) throws -> T) rethrows -> T {
    let path = root + "/s\(slot)-\(UUID().uuidString)"
    _ = makeFolder(path, slot: slot)
    defer {
      if let uid = uid(slot: slot), !isolation.pidNamespace { Sandbox.killAll(uid: uid) }
      try? FileManager.default.removeItem(atPath: path)
    }
    return try body(path)
  }

  /// Creates `path` (which must not exist: a link planted there is refused, never followed) as a private folder of
  /// the slot's user; the owner is changed through the folder's descriptor. Nil on success, else what failed.
  @discardableResult
  func makeFolder(_ path: String, slot: Int, mode: mode_t = 0o700) -> String? {
    guard mkdir(path, mode) == 0 else { return "mkdir \(path): \(String(cString: strerror(errno)))" }
    let folder = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard folder >= 0 else { return "open \(path): \(String(cString: strerror(errno)))" }
    defer { close(folder) }
    if let uid = uid(slot: slot), fchown(folder, uid_t(uid), gid_t(uid)) != 0 {
      return "chown \(path): \(String(cString: strerror(errno)))"
    }
    return nil
  }

  /// Writes a new file into a sample folder, owned by the slot's user. Neither the folder nor the file may be a
  /// link and the file must not exist yet (a sample's planted link or file is refused, never followed).
  public func write(_ text: String, to name: String, in directory: String, slot: Int) throws(AssayError) {
    let path = directory + "/" + name
    func failure(_ step: String) -> AssayError {
      AssayError(.io, "cannot write \(path) for a sandboxed run (\(step): \(String(cString: strerror(errno))))",
        fix: "check free space in \(root)")
    }
    let folder = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard folder >= 0 else { throw failure("opening the folder") }
    defer { close(folder) }
    let file = openat(folder, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard file >= 0 else { throw failure("creating the file") }
    defer { close(file) }
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
      let count = bytes[done...].withUnsafeBytes { Glibc.write(file, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else { throw failure("writing") }
      done += count
    }
    if let uid = uid(slot: slot), fchown(file, uid_t(uid), gid_t(uid)) != 0 { throw failure("chown") }
  }

  /// Runs `command` (an absolute path and its arguments) in `directory` under `limits`, with exactly `environment`
  /// plus PATH, HOME (the folder), TMPDIR and LANG. `readOnly` folders (toolchains, prebuilt dependencies) are
  /// mounted read-only where the filesystem layer is on.
  public func run(
    _ command: [String], in directory: String, environment: [String: String] = [:], limits: SandboxLimits,
    readOnly: [String] = [], slot: Int
  ) -> ExecutionResult {
    // The processes of the slot's previous command (a fork bomb's hundreds) may still be exiting when this one
    // starts, and count against RLIMIT_NPROC: bubblewrap's clone then fails with EAGAIN. That passes: again, briefly.
    var attempt = 0
    while true {
      let result = runOnce(
        command, in: directory, environment: environment, limits: limits, readOnly: readOnly, slot: slot)
      guard case .sandboxError(let message) = result.termination, message.contains("Resource temporarily unavailable"),
        attempt < 20
      else { return result }
      attempt += 1
      usleep(UInt32(min(attempt, 10)) * 20_000)
    }
  }

  private func runOnce(
    _ command: [String], in directory: String, environment: [String: String], limits: SandboxLimits,
    readOnly: [String], slot: Int
  ) -> ExecutionResult {
    let started = ContinuousClock.now
    func elapsed() -> Double { (ContinuousClock.now - started).seconds }
    var outPipe: [Int32] = [-1, -1]
    var errPipe: [Int32] = [-1, -1]
    guard assay_pipe_cloexec(&outPipe) == 0, assay_pipe_cloexec(&errPipe) == 0 else {
      return ExecutionResult(
        termination: .sandboxError("pipe: \(String(cString: strerror(errno)))"), stdout: "", stderr: "",
        wallSeconds: elapsed())
    }
    let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
    let spawned = spawn(
      command, in: directory, environment: environment, limits: limits, readOnly: readOnly, slot: slot,
      stdin: devNull, stdout: outPipe[1], stderr: errPipe[1])
    close(devNull)
    close(outPipe[1])
    close(errPipe[1])
    defer {
      close(outPipe[0])
      close(errPipe[0])
    }
    guard case .success(let pid) = spawned else {
      if case .failure(let message) = spawned {
        return ExecutionResult(termination: .sandboxError(message.text), stdout: "", stderr: "", wallSeconds: elapsed())
      }
      fatalError("unreachable")
    }

    let collected = Sandbox.collect(
      pid: pid, stdout: outPipe[0], stderr: errPipe[0], limits: limits, started: started)
    var termination = collected.termination
    let errors = collected.stderr.text()
    if case .exited(let status) = termination, bubblewrap != nil, status > 128, status <= 128 + 64 {
      termination = .signaled(status - 128)  // bubblewrap reports a signalled child as 128 + signal
    } else if case .exited(1) = termination, bubblewrap != nil, errors.hasPrefix("bwrap: ") {
      // bubblewrap itself failed to set the sandbox up (its messages start so); the program never ran.
      termination = .sandboxError(String(errors.prefix { $0 != "\n" }))
    }
    return ExecutionResult(
      termination: termination, stdout: collected.stdout.text(), stderr: errors, wallSeconds: elapsed(),
      droppedBytes: collected.stdout.droppedBytes + collected.stderr.droppedBytes)
  }

  /// A spawn failure's account.
  struct SpawnFailure: Error {
    let text: String
  }

  /// Starts `command` under the sandbox's layers with the given descriptors as its stdio; the caller reaps it.
  func spawn(
    _ command: [String], in directory: String, environment: [String: String], limits: SandboxLimits,
    readOnly: [String], slot: Int, extraBubblewrap: [String] = [], stdin: Int32, stdout: Int32, stderr: Int32
  ) -> Result<pid_t, SpawnFailure> {
    var env = [
      "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": directory, "TMPDIR": bubblewrap == nil ? directory : "/tmp",
      "LANG": "C.UTF-8",
    ]
    env.merge(environment) { _, new in new }
    var argv = command
    if let bwrap = bubblewrap {
      argv = [bwrap] + bubblewrapArguments(directory: directory, readOnly: readOnly)
        + extraBubblewrap + ["--"] + command
    }
    let uid = uid(slot: slot)
    let rlimits: [assay_rlimit] = [
      assay_rlimit(resource: Int32(ASSAY_RLIMIT_CPU), value: UInt64(limits.cpuSeconds)),
      assay_rlimit(resource: Int32(ASSAY_RLIMIT_AS), value: limits.addressSpaceBytes),
      assay_rlimit(resource: Int32(ASSAY_RLIMIT_FSIZE), value: limits.fileSizeBytes),
      assay_rlimit(resource: Int32(ASSAY_RLIMIT_NOFILE), value: UInt64(limits.openFiles)),
      assay_rlimit(resource: Int32(ASSAY_RLIMIT_CORE), value: 0),
    ] + (uid != nil || bubblewrap != nil
      ? [assay_rlimit(resource: Int32(ASSAY_RLIMIT_NPROC), value: UInt64(limits.processes))] : [])
    var pid: pid_t = 0
    var stage: Int32 = 0
    let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    let cEnv: [UnsafeMutablePointer<CChar>?] = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
      + [nil]
    defer {
      for pointer in cArgs { free(pointer) }
      for pointer in cEnv { free(pointer) }
    }
    // Under the private temporary folders (root without bubblewrap), the sandbox's folders and the toolchains'
    // stay visible.
    let cKeep: [UnsafePointer<CChar>?] = (privateTemp ? [root] + readOnly : []).map { UnsafePointer(strdup($0)) }
    defer { for pointer in cKeep { free(UnsafeMutablePointer(mutating: pointer)) } }
    let spawnError: Int32 = cArgs.withUnsafeBufferPointer { argPointer in
      cEnv.withUnsafeBufferPointer { envPointer in
        rlimits.withUnsafeBufferPointer { limitPointer in
          cKeep.withUnsafeBufferPointer { keepPointer in
          directory.withCString { cwd in
            var request = assay_spawn_request(
              path: argPointer[0], argv: argPointer.baseAddress, envp: envPointer.baseAddress, cwd: cwd,
              stdin_fd: stdin, stdout_fd: stdout, stderr_fd: stderr, limits: limitPointer.baseAddress,
              limit_count: Int32(limitPointer.count), uid: uid ?? -1, gid: uid ?? -1,
              unshare_net: (bubblewrap == nil && runAsRoot) ? 1 : 0, private_temp: privateTemp ? 1 : 0,
              keep: keepPointer.baseAddress, keep_count: Int32(keepPointer.count))
            return assay_spawn(&request, &pid, &stage)
          }
          }
        }
      }
    }
    if spawnError != 0 {
      let steps = ["", "fork", "setsid", "redirecting stdio", "unshare (network, mount, IPC)",
        "dropping to the sample user", "setrlimit", "chdir", "execve", "mounting private temporary folders"]
      let step = Int(stage) < steps.count ? steps[Int(stage)] : "step \(stage)"
      return .failure(SpawnFailure(text: "\(step) failed for \(argv[0]): \(String(cString: strerror(spawnError)))"))
    }
    return .success(pid)
  }

  private struct Collected {
    var termination: ExecutionResult.Termination
    var stdout: Captured
    var stderr: Captured
  }

  /// One output stream as kept: its first `cap` bytes and its last `tailBytes`; what lies between is counted and
  /// dropped, so a correct program that prints megabytes still ends on its own and its last lines (a test
  /// harness's summary, the end marker) are still read.
  struct Captured {
    static let tailBytes = 64 << 10
    let cap: Int
    var head: [UInt8] = []
    var tail: [UInt8] = []
    var dropped = 0

    init(cap: Int) { self.cap = cap }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
      var bytes = bytes
      if head.count < cap {
        let taken = bytes.prefix(cap - head.count)
        head.append(contentsOf: taken)
        bytes = bytes.dropFirst(taken.count)
      }
      guard !bytes.isEmpty else { return }
      tail.append(contentsOf: bytes)
      if tail.count > 2 * Self.tailBytes {
        dropped += tail.count - Self.tailBytes
        tail.removeFirst(tail.count - Self.tailBytes)
      }
    }

    /// The kept bytes as text, with a line saying how many were dropped between head and tail.
    func text() -> String {
      var excess = tail.count - Self.tailBytes
      if excess < 0 { excess = 0 }
      let gap = dropped + excess
      let note = gap > 0 ? "\n[assay: \(gap) bytes of output dropped]\n" : ""
      return String(decoding: head, as: UTF8.self) + note + String(decoding: tail.dropFirst(excess), as: UTF8.self)
    }

    /// Bytes read but not kept.
    var droppedBytes: Int { dropped + max(0, tail.count - Self.tailBytes) }
  }

  /// Reads both pipes until the process ends or the deadline passes, keeping each stream's head and tail
  /// (`Captured`); reaps the process.
  private static func collect(
    pid: pid_t, stdout: Int32, stderr: Int32, limits: SandboxLimits, started: ContinuousClock.Instant
  ) -> Collected {
    _ = fcntl(stdout, F_SETFL, fcntl(stdout, F_GETFL) | O_NONBLOCK)
    _ = fcntl(stderr, F_SETFL, fcntl(stderr, F_GETFL) | O_NONBLOCK)
    let pidfd = assay_pidfd_open(pid)
    defer { if pidfd >= 0 { close(pidfd) } }
    var out = Captured(cap: limits.outputBytes)
    var err = Captured(cap: limits.outputBytes)
    var open = [true, true]
    var buffer = [UInt8](repeating: 0, count: 65536)
    let deadline = started + .milliseconds(Int64(limits.wallSeconds * 1000))
    var status: Int32 = 0
    var reaped = false
    var exited = false
    var verdict: ExecutionResult.Termination?

    // Whether the process has ended. With a pidfd it is not reaped yet: the zombie keeps its pid, so the group kill
    // at the end cannot reach a new process that was given the same id (a reused id once killed a tmux pane).
    func hasExited() -> Bool {
      if exited { return true }
      if pidfd >= 0 {
        var probe = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
        exited = poll(&probe, 1, 0) > 0
      } else if waitpid(pid, &status, WNOHANG) == pid {
        reaped = true
        exited = true
      }
      return exited
    }

    while verdict == nil {
      if hasExited(), !open[0], !open[1] { break }
      let remainingMs = Int32(max(0, min((deadline - ContinuousClock.now).milliseconds, 60_000)))
      if remainingMs <= 0 {
        verdict = .timedOut
        break
      }
      var fds: [pollfd] = []
      if open[0] { fds.append(pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)) }
      if open[1] { fds.append(pollfd(fd: stderr, events: Int16(POLLIN), revents: 0)) }
      if !exited && pidfd >= 0 { fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)) }
      // Once the process has ended, wait for the pipes only briefly: a leftover child may still hold them.
      let wait = exited ? min(remainingMs, 50) : (pidfd >= 0 ? remainingMs : min(remainingMs, 10))
      let ready = fds.isEmpty ? 0 : poll(&fds, nfds_t(fds.count), wait)
      if fds.isEmpty { usleep(UInt32(wait) * 1000) }
      if ready < 0 && errno != EINTR { break }
      if exited && ready == 0 { break }
      for (index, fd) in [stdout, stderr].enumerated() where open[index] {
        while true {
          let count = read(fd, &buffer, buffer.count)
          if count > 0 {
            if index == 0 { out.append(buffer[0..<count]) } else { err.append(buffer[0..<count]) }
          } else if count == 0 {
            open[index] = false
            break
          } else {
            break  // EAGAIN: nothing more for now
          }
        }
        if verdict != nil { break }
      }
    }
    // Whatever it left behind dies with its session (and, under bubblewrap, with its pid namespace); the leader is
    // reaped only afterwards, so its id still names this group.
    if !reaped {
      killpg(pid, SIGKILL)
      if verdict != nil { kill(pid, SIGKILL) }
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    } else {
      killpg(pid, SIGKILL)  // no pidfd (Linux before 5.3): reaped already, as before
    }
    if let verdict { return Collected(termination: verdict, stdout: out, stderr: err) }
    let signal = status & 0x7f
    let termination: ExecutionResult.Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    return Collected(termination: termination, stdout: out, stderr: err)
  }

  /// Bubblewrap's arguments for one command: the fixed system part, the toolchains, the sample folder writable.
  func bubblewrapArguments(directory: String, readOnly: [String]) -> [String] {
    var arguments = systemMounts
    for path in readOnly where FileManager.default.fileExists(atPath: path) {
      arguments += ["--ro-bind", path, path]
    }
    arguments += ["--bind", directory, directory, "--chdir", directory]
    if runAsRoot { arguments += ["--cap-drop", "ALL"] }
    // Last, once every mount point exists: the namespace's own root and /dev read-only, so /tmp, /dev/shm and the
    // sample folder are the only places a sample can write (and the Python worker empties the first two per job).
    return arguments + ["--remount-ro", "/dev", "--remount-ro", "/"]
  }

  /// The part of bubblewrap's arguments that is the same for every command, read off the machine once: a
  /// read-only system (/usr, /etc, and /bin, /lib... as the symlinks or folders they are here), /proc, /dev, an
  /// empty /tmp and /dev/shm, every namespace new, and death with the harness.
  static func systemMounts() -> [String] {
    var arguments = ["--die-with-parent", "--new-session", "--unshare-all", "--ro-bind", "/usr", "/usr"]
    for link in ["/bin", "/lib", "/lib64", "/lib32", "/libx32", "/sbin"] {
      if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) {
        arguments += ["--symlink", target, link]
      } else if FileManager.default.fileExists(atPath: link) {
        arguments += ["--ro-bind", link, link]
      }
    }
    return arguments + [
      "--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/tmp",
    ]
  }

  /// Runs `true` under bubblewrap once; nil when it works, else what went wrong.
  private static func probe(bwrap: String, root: String, asRoot: Bool) -> String? {
    let probe = Sandbox(
      root: root, bubblewrap: bwrap, runAsRoot: asRoot,
      isolation: SandboxIsolation(filesystem: true, network: true, pidNamespace: true, separateUser: asRoot, warnings: []))
    return probe.withDirectory(slot: 0) { directory in
      let result = probe.run(["/bin/sh", "-c", "exit 0"], in: directory, limits: SandboxLimits(wallSeconds: 20), slot: 0)
      if result.succeeded { return nil }
      let detail = result.stderr.split(separator: "\n").last.map(String.init) ?? "\(result.termination)"
      return detail
    }
  }
}
