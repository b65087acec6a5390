/// A failure of the harness itself (never an outcome such as a wrong answer): what failed, while doing what, and
/// how to fix it.
public struct AssayError: Error, Sendable, CustomStringConvertible, Equatable {
  /// Broad classes of failure; the CLI maps them to exit codes.
  public enum Code: String, Sendable, Equatable {
    case invalidSuite, unknownSuite, missingData, invalidData, checksumMismatch, invalidArgument
    case unreachableServer, unknownModel, serverError, runtimeLaunch, store, io, interrupted
  }

  /// The class of failure.
  public var code: Code
  /// One paragraph: what failed and what was being done.
  public var message: String
  /// How to fix it, when known.
  public var fix: String?

  /// An error with a code, message and optional fix.
  public init(_ code: Code, _ message: String, fix: String? = nil) {
    self.code = code
    self.message = message
    self.fix = fix
  }

  public var description: String {
    guard let fix else { return message }
    return "\(message)\nFix: \(fix)"
  }
}
