/// What happened to one sandboxed command: how it ended and what it printed (capped).
public struct ExecutionResult: Sendable, Equatable {
  /// How the command ended.
  public enum Termination: Sendable, Equatable {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it (SIGXCPU and SIGKILL from the CPU limit included).
    case signaled(Int32)
    /// The wall-clock limit ran out and the sandbox killed it.
    case timedOut
    /// The sandbox could not start it (the message says which step failed).
    case sandboxError(String)
  }

  /// How the command ended.
  public var termination: Termination
  /// Standard output: its first `SandboxLimits.outputBytes` and its last 64 KiB, with a line between them saying how
  /// many bytes were dropped when it was longer (invalid UTF-8 repaired).
  public var stdout: String
  /// Standard error, kept the same way.
  public var stderr: String
  /// Wall-clock seconds from start to end.
  public var wallSeconds: Double
  /// Bytes of output read and dropped (0 when all of it is in `stdout` and `stderr`).
  public var droppedBytes: Int

  /// A result.
  public init(termination: Termination, stdout: String, stderr: String, wallSeconds: Double, droppedBytes: Int = 0) {
    self.termination = termination
    self.stdout = stdout
    self.stderr = stderr
    self.wallSeconds = wallSeconds
    self.droppedBytes = droppedBytes
  }

  /// Whether output was dropped (the command printed more than the cap).
  public var truncated: Bool { droppedBytes > 0 }

  /// Whether the command exited with status 0.
  public var succeeded: Bool { termination == .exited(0) }
}
