import AssayCore
import Foundation

/// The `kwargs` of one M-IFEval row, checked as the reference's `build_description` would take them: an argument it
/// would draw at random (missing, negative, empty) or reject is an error naming the instruction and the key; nulls
/// count as absent. Shared by the French and Japanese instruction parsers.
struct MIFEvalArguments {
  /// The instruction id, e.g. `fr:keywords:frequency`.
  let id: String
  /// The row's arguments without nulls.
  let values: [String: Any]

  /// Checks that `id` is one of `accepted`'s keys and that every argument is one the instruction takes.
  init(id: String, kwargs: [String: Any], accepted: [String: [String]], language: String, ids: [String]) throws(AssayError) {
    self.id = id
    values = kwargs.filter { !($0.value is NSNull) }
    guard let takes = accepted[id] else {
      throw AssayError(.invalidData, "unknown M-IFEval \(language) instruction '\(id)'", fix: "use one of: \(ids.joined(separator: ", "))")
    }
    if let extra = values.keys.sorted().first(where: { !takes.contains($0) }) {
      throw AssayError(
        .invalidData, "M-IFEval instruction \(id) takes no argument `\(extra)` (the reference's build_description raises a TypeError)",
        fix: "remove \(extra) from the row's kwargs; \(id) takes: \(takes.isEmpty ? "nothing" : takes.joined(separator: ", "))")
    }
  }

  /// The error for a bad `key`.
  func fail(_ key: String, _ why: String) -> AssayError {
    AssayError(.invalidData, "M-IFEval instruction \(id): `\(key)` \(why)", fix: "give \(key) as the reference expects it in the row's kwargs")
  }

  /// A string argument (non-empty when asked).
  func string(_ key: String, nonEmpty: Bool = false) throws(AssayError) -> String {
    guard let value = values[key] as? String else { throw fail(key, "is missing or not a string (the reference would draw it at random)") }
    if nonEmpty && value.isEmpty { throw fail(key, "is empty (the reference would draw it at random)") }
    return value
  }

  /// An integer argument, not negative unless allowed.
  func int(_ key: String, allowNegative: Bool = false) throws(AssayError) -> Int {
    guard let number = values[key] as? NSNumber, Double(number.intValue) == number.doubleValue else {
      throw fail(key, "is missing or not an integer (the reference would draw it at random)")
    }
    if number.intValue < 0 && !allowNegative { throw fail(key, "is negative (the reference would draw it at random)") }
    return number.intValue
  }

  /// A non-empty list of strings.
  func strings(_ key: String) throws(AssayError) -> [String] {
    guard let value = values[key] as? [String], !value.isEmpty else {
      throw fail(key, "is missing or not a non-empty list of strings (the reference would draw it at random)")
    }
    return value
  }

  /// A count relation written in the language's own words (`lessThan`, `atLeast`).
  func relation(_ key: String, lessThan: String, atLeast: String) throws(AssayError) -> IFEvalInstruction.Relation {
    switch try string(key) {
    case lessThan: return .lessThan
    case atLeast: return .atLeast
    case let other: throw fail(key, "'\(other)' is neither '\(lessThan)' nor '\(atLeast)'")
    }
  }
}
