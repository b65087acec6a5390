/// Data a text tool is built from (Punkt's parameters, langdetect's profiles and messages, mecab-ipadic's files)
/// that cannot be used: what is wrong, in which file, and how to fix it when known. AssayText reads no files; the
/// caller that read them turns this into its own error (the same code, message and fix).
public struct TextDataError: Error, Sendable, CustomStringConvertible, Equatable {
  /// Whether the data is absent or unreadable.
  public enum Code: String, Sendable, Equatable {
    case missingData, invalidData
  }

  /// Absent or unreadable.
  public var code: Code
  /// What is wrong and in which file.
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
