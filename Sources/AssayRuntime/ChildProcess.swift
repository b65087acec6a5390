import AssayCore
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with `posix_spawn` in its own process group, with every signal at its default
/// disposition and none blocked (threads of the Swift runtime block signals, and a plain spawn from such a thread
/// would leave a server deaf to SIGTERM). Output goes to a log file.
public final class ChildProcess: Sendable {
  /// The process id.
  public let pid: pid_t
  private let status = Mutex<Int32?>(nil)

  private init(pid: pid_t) {
    self.pid = pid
  }

  /// Starts `arguments[0]` with the rest as arguments; stdout and stderr append to `logPath`, stdin is /dev/null.
  public static func spawn(_ arguments: [String], logPath: String) throws(AssayError) -> ChildProcess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let result = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard result == 0 else {
      throw AssayError(
        .runtimeLaunch, "cannot start \(arguments[0]): \(String(cString: strerror(result)))",
        fix: "check that the program exists and is executable")
    }
    return ChildProcess(pid: pid)
  }

  /// The exit status once the process has ended (reaping it), else nil.
  public var exitStatus: Int32? {
    status.withLock { saved in
      if let saved { return saved }
      var raw: Int32 = 0
      if waitpid(pid, &raw, WNOHANG) == pid {
        saved = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
      }
      return saved
    }
  }

  /// Whether the process is still running.
  public var isRunning: Bool { exitStatus == nil }

  /// Sends a signal.
  public func send(_ signal: Int32) {
    if isRunning { kill(pid, signal) }
  }

  /// SIGTERM to the process group, wait up to `grace` seconds for the leader, then SIGKILL to the group (servers
  /// such as vLLM leave worker processes) and reap the leader. Blocking, so it also works in a cancelled task.
  /// Returns whether SIGKILL was needed.
  ///
  /// The group is signalled only while the leader is unreaped (alive or a zombie): until then its id cannot be
  /// reused, so a late signal never reaches an unrelated process group.
  @discardableResult
  public func terminate(grace: Double = 10) -> Bool {
    let reaped = status.withLock { $0 != nil }
    guard !reaped else { return false }
    kill(-pid, SIGTERM)
    kill(pid, SIGTERM)
    let steps = Int(grace * 20)
    var exited = leaderExited
    for _ in 0..<steps where !exited {
      usleep(50_000)
      exited = leaderExited
    }
    // Stragglers of the group (and the leader, if it ignored SIGTERM) go now; the unreaped leader keeps the id.
    kill(-pid, SIGKILL)
    if !exited { kill(pid, SIGKILL) }
    while isRunning { usleep(20_000) }
    return !exited
  }

  /// Whether the leader has exited, without reaping it (its zombie keeps the process and group ids reserved).
  private var leaderExited: Bool {
    var info = siginfo_t()
    let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
    // With WNOHANG and no state change, waitid returns 0 and leaves si_pid at 0.
    return result != 0 || info._sifields._kill.si_pid != 0
  }
}
