import AssayCore
import Foundation

/// Row transforms for layouts that templates cannot express, and the regex helper behind `derive`.
enum RowTransform {
  /// The transforms a suite may name in `dataset.transform`.
  static let names = ["xwinograd"]

  static func apply(_ name: String, to row: [String: String]) throws(AssayError) -> [String: String] {
    switch name {
    case "xwinograd": return try xwinograd(row)
    default:
      throw AssayError(.invalidSuite, "unknown dataset.transform '\(name)'", fix: "use one of: \(names.joined(separator: ", "))")
    }
  }

  /// Computes a derived field.
  static func derive(_ spec: DeriveSpec, row: [String: String], params: [String: String]) throws(AssayError) -> String {
    var value = try Template.render(spec.from, params: params, fields: row)
    if let regex = spec.regex { value = try firstMatch(of: regex, in: value) }
    if let map = spec.map {
      guard let mapped = map[value] else {
        throw AssayError(.invalidData, "derive map has no entry for '\(value)' (has: \(map.keys.sorted().joined(separator: ", ")))",
          fix: "add '\(value)' to the map")
      }
      value = try Template.renderParams(mapped, params: params)
    }
    switch spec.case {
    case nil: break
    case "lower_first": value = value.prefix(1).lowercased() + value.dropFirst()
    case "lower": value = value.lowercased()
    case "upper": value = value.uppercased()
    case let other?:
      throw AssayError(.invalidSuite, "derive case '\(other)' is not one of lower_first, lower, upper", fix: "use one of them")
    }
    return value
  }

  /// Group 1 of the first match (the whole match without groups), or "" when nothing matches.
  static func firstMatch(of pattern: String, in text: String) throws(AssayError) -> String {
    let regex = try compiled(pattern)
    let range = NSRange(text.startIndex..., in: text)
    guard let match = regex.firstMatch(in: text, range: range) else { return "" }
    let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
    guard group.location != NSNotFound, let swiftRange = Range(group, in: text) else { return "" }
    return String(text[swiftRange])
  }

  private static let cache = RegexCache()

  /// A compiled pattern, compiled once per process.
  static func compiled(_ pattern: String) throws(AssayError) -> NSRegularExpression {
    if let regex = cache.get(pattern) { return regex }
    do {
      let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
      cache.set(pattern, regex)
      return regex
    } catch {
      throw AssayError(.invalidSuite, "derive regex '\(pattern)' does not compile", fix: "correct the regular expression")
    }
  }

  /// XWinograd rows (sentence, tokens, pronoun span, candidates) as a Winogrande-style item: `prefix` (the sentence
  /// before the pronoun), `suffix` (after it), `pronoun_text`, `option1`, `option2`, and `answer` (1-based).
  private static func xwinograd(_ row: [String: String]) throws(AssayError) -> [String: String] {
    func json(_ key: String) -> Any? {
      row[key].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
    }
    guard let sentence = row["sentence"], let tokens = json("tokens") as? [String],
      let pronoun = json("pronoun") as? [Any], let span = pronoun.count > 1 ? pronoun[1] as? [Int] : nil,
      span.count == 2, let candidates = json("candidates") as? [[Any]], candidates.count >= 2
    else {
      throw AssayError(.invalidData, "not an XWinograd row (sentence, tokens, pronoun, candidates)",
        fix: "use columns [lang, source, id, sentence, tokens, pronoun, candidates]")
    }
    // Walk the tokens through the sentence to find the pronoun's character span.
    var cursor = sentence.startIndex
    var start: String.Index? = nil
    var end: String.Index? = nil
    for (position, token) in tokens.enumerated() {
      guard let found = sentence.range(of: token, range: cursor..<sentence.endIndex) else { break }
      if position == span[0] { start = found.lowerBound }
      if position == span[1] - 1 { end = found.upperBound }
      cursor = found.upperBound
    }
    if start == nil || end == nil, let text = pronoun.first as? String, let found = sentence.range(of: text) {
      start = found.lowerBound
      end = found.upperBound
    }
    guard let start, let end else {
      throw AssayError(.invalidData, "cannot find the pronoun in '\(sentence)'", fix: "check the row's tokens")
    }
    var result = row
    result["prefix"] = String(sentence[..<start])
    result["suffix"] = String(sentence[end...])
    result["pronoun_text"] = pronoun.first as? String ?? ""
    result["option1"] = candidates[0].first as? String ?? ""
    result["option2"] = candidates[1].first as? String ?? ""
    let answer = candidates.prefix(2).firstIndex { ($0.last as? Bool) == true || ($0.last as? NSNumber)?.boolValue == true }
    result["answer"] = answer.map { String($0 + 1) } ?? ""
    return result
  }
}

/// Compiled regular expressions by pattern, shared across threads.
final class RegexCache: @unchecked Sendable {
  private let lock = NSLock()
  private var regexes: [String: NSRegularExpression] = [:]

  func get(_ pattern: String) -> NSRegularExpression? {
    lock.lock()
    defer { lock.unlock() }
    return regexes[pattern]
  }

  func set(_ pattern: String, _ regex: NSRegularExpression) {
    lock.lock()
    defer { lock.unlock() }
    regexes[pattern] = regex
  }
}
