import AssayText
import Foundation

/// Runs an extraction pipeline over a response and yields one answer, or nil when extraction fails.
public struct AnswerExtractor: Sendable {
  /// The pipeline's steps with `${param}` already substituted.
  public let steps: [ExtractStep]
  private let regexes: [Int: CompiledRegex]
  private let pythonRegexes: [Int: PythonRegex]
  private let replacements: [Int: PythonRegex.Replacement]

  /// Compiles the pipeline; throws when a regular expression or a replacement is invalid.
  public init(steps: [ExtractStep]) throws(AssayError) {
    self.steps = steps
    var regexes: [Int: CompiledRegex] = [:]
    var pythonRegexes: [Int: PythonRegex] = [:]
    var replacements: [Int: PythonRegex.Replacement] = [:]
    for (index, step) in steps.enumerated() {
      switch step {
      case .regex(let pattern): regexes[index] = try CompiledRegex(pattern)
      case .findall(let pattern): pythonRegexes[index] = try Self.python(pattern, step: "findall")
      case .sub(let pattern, let replacement):
        let regex = try Self.python(pattern, step: "sub")
        pythonRegexes[index] = regex
        replacements[index] = try Self.replacement(replacement, for: regex, pattern: pattern)
      default: break
      }
    }
    self.regexes = regexes
    self.pythonRegexes = pythonRegexes
    self.replacements = replacements
  }

  /// A Python-flavoured expression, or an error naming the step and the pattern.
  static func python(_ pattern: String, step: String) throws(AssayError) -> PythonRegex {
    let regex = PythonRegex(pattern)
    guard regex.isValid else {
      throw AssayError(.invalidSuite, "invalid regular expression '\(pattern)' in a `\(step)` step",
        fix: "correct the pattern (Python's re syntax as ICU accepts it; lookbehind must have a bounded length)")
    }
    return regex
  }

  /// A `sub` step's replacement read as Python reads it, or an error naming the pattern.
  static func replacement(_ template: String, for regex: PythonRegex, pattern: String) throws(AssayError)
    -> PythonRegex.Replacement
  {
    do {
      return try PythonRegex.Replacement(template, groups: regex.groupCount)
    } catch {
      throw AssayError(.invalidSuite, "in the `sub` step for '\(pattern)': \(error.message)",
        fix: error.fix ?? "use \\1 or \\g<1> for a group and literal text otherwise")
    }
  }

  /// The extracted answer, or nil when a step finds nothing.
  public func extract(from response: String) -> String? {
    var candidates = [response]
    for (index, step) in steps.enumerated() {
      switch step {
      case .afterLast(let marker):
        candidates = candidates.compactMap { text in
          guard !marker.isEmpty, let range = text.range(of: marker, options: .backwards) else { return nil }
          return String(text[range.upperBound...])
        }
      case .splitLast(let marker):
        candidates = candidates.compactMap { Self.splitLast($0, marker: marker) }
      case .regex:
        let regex = regexes[index]!
        candidates = candidates.flatMap { regex.matches(in: $0) }
      case .findall:
        let regex = pythonRegexes[index]!
        candidates = candidates.flatMap { Self.findall(regex, in: $0) }
      case .sub:
        let regex = pythonRegexes[index]!
        let replacement = replacements[index]!
        candidates = candidates.map { regex.substitute($0, with: replacement) }
      case .numbers:
        candidates = candidates.flatMap { NumberCanonicalizer.numbers(in: $0) }
      case .takeFirst:
        candidates = candidates.first.map { [$0] } ?? []
      case .takeLast:
        candidates = candidates.last.map { [$0] } ?? []
      }
      if candidates.isEmpty { return nil }
    }
    return candidates.first
  }

  /// Python's `text.split(marker)[-1]` when `marker` occurs (code points compared exactly, occurrences found left
  /// to right without overlapping), else nil.
  static func splitLast(_ text: String, marker: String) -> String? {
    let needle = Array(marker.unicodeScalars)
    guard !needle.isEmpty else { return nil }
    let scalars = Array(text.unicodeScalars)
    var end: Int?
    var index = 0
    while index + needle.count <= scalars.count {
      if scalars[index] == needle[0] && scalars[index..<(index + needle.count)].elementsEqual(needle) {
        index += needle.count
        end = index
      } else {
        index += 1
      }
    }
    guard let end else { return nil }
    return String(String.UnicodeScalarView(scalars[end...]))
  }

  /// `re.findall` read as lm-eval's regex filter reads each match: the group of a one-group pattern, the first
  /// non-empty group of several ("" when none), the whole match without groups.
  static func findall(_ regex: PythonRegex, in text: String) -> [String] {
    regex.findAll(text).map { groups in
      switch groups.count {
      case 1: return groups[0] ?? ""
      case 2: return groups[1] ?? ""
      default: return groups.dropFirst().first { ($0 ?? "").isEmpty == false }.flatMap { $0 } ?? ""
      }
    }
  }
}

/// A compiled regular expression whose matches yield the first participating capture group, or the whole match.
struct CompiledRegex: @unchecked Sendable {
  // NSRegularExpression is immutable and documented thread-safe.
  private let regex: NSRegularExpression

  init(_ pattern: String) throws(AssayError) {
    do {
      regex = try NSRegularExpression(pattern: pattern, options: [])
    } catch {
      throw AssayError(.invalidSuite, "invalid regular expression '\(pattern)': \(error.localizedDescription)")
    }
  }

  func matches(in text: String) -> [String] {
    let ns = text as NSString
    return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { match in
      if match.numberOfRanges > 1 {
        for group in 1..<match.numberOfRanges {
          let range = match.range(at: group)
          if range.location != NSNotFound { return ns.substring(with: range) }
        }
        return nil
      }
      return ns.substring(with: match.range)
    }
  }
}
