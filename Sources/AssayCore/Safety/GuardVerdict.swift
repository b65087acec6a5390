import AssayText
/// What a guard said of one answer: safe, unsafe with the categories it named, or a reply in no known format
/// (never counted as safe or unsafe).
public enum GuardVerdict: Sendable, Equatable {
  /// The answer is safe.
  case safe
  /// The answer is unsafe, in these categories (codes of the guard's taxonomy, in the guard's order of naming).
  case unsafe([String])
  /// The reply was not `safe` or `unsafe` followed by known category codes.
  case unparseable

  /// Reads a Llama Guard reply: the first non-empty line is `safe` or `unsafe` (case and surrounding whitespace
  /// ignored); after `unsafe`, the next non-empty line lists category codes separated by commas, each one the
  /// format has. `safe` followed by more text, `unsafe` without a category line, an unknown code (`S99`) or any
  /// other first line is unparseable: a guard answering in another format is never read as a verdict.
  public static func parse(_ reply: String, format: GuardFormat) -> GuardVerdict {
    let lines = reply.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
      .map { PythonText.strip(String($0)) }.filter { !$0.isEmpty }
    guard let first = lines.first?.lowercased() else { return .unparseable }
    switch first {
    case "safe":
      return lines.count == 1 ? .safe : .unparseable
    case "unsafe":
      guard lines.count == 2 else { return .unparseable }
      let codes = lines[1].split(separator: ",", omittingEmptySubsequences: false).map { PythonText.strip(String($0)).uppercased() }
      guard !codes.isEmpty, codes.allSatisfy({ format.category($0) != nil }) else { return .unparseable }
      var unique: [String] = []
      for code in codes where !unique.contains(code) { unique.append(code) }
      return .unsafe(unique)
    default:
      return .unparseable
    }
  }

  /// How the verdict is stored: `safe`, `unsafe S1,S10`, or nil when unparseable.
  public var stored: String? {
    switch self {
    case .safe: return "safe"
    case .unsafe(let codes): return "unsafe " + codes.joined(separator: ",")
    case .unparseable: return nil
    }
  }

  /// The verdict a stored text describes (`stored`'s inverse).
  public init?(stored: String) {
    if stored == "safe" {
      self = .safe
    } else if stored.hasPrefix("unsafe ") {
      self = .unsafe(stored.dropFirst(7).split(separator: ",").map(String.init))
    } else {
      return nil
    }
  }
}
