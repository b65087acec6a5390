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
    /// It printed more than the output cap and the sandbox killed it.
    case outputLimit
    /// The sandbox could not start it (the message says which step failed).
    case sandboxError(String)
  }

  /// How the command ended.
  public var termination: Termination
  /// Standard output, at most the cap (invalid UTF-8 repaired).
  public var stdout: String
  /// Standard error, at most the cap.
  public var stderr: String
  /// Wall-clock seconds from start to end.
  public var wallSeconds: Double

  /// A result.
  public init(termination: Termination, stdout: String, stderr: String, wallSeconds: Double) {
    self.termination = termination
    self.stdout = stdout
    self.stderr = stderr
    self.wallSeconds = wallSeconds
  }

  /// Whether the command exited with status 0.
  public var succeeded: Bool { termination == .exited(0) }
}
