import Foundation

/// Runs an extraction pipeline over a response and yields one answer, or nil when extraction fails.
public struct AnswerExtractor: Sendable {
  /// The pipeline's steps with `${param}` already substituted.
  public let steps: [ExtractStep]
  private let regexes: [Int: CompiledRegex]

  /// Compiles the pipeline; throws when a regular expression is invalid.
  public init(steps: [ExtractStep]) throws(AssayError) {
    self.steps = steps
    var regexes: [Int: CompiledRegex] = [:]
    for (index, step) in steps.enumerated() {
      if case .regex(let pattern) = step {
        regexes[index] = try CompiledRegex(pattern)
      }
    }
    self.regexes = regexes
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
      case .regex:
        let regex = regexes[index]!
        candidates = candidates.flatMap { regex.matches(in: $0) }
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
