import Foundation

/// How a `code` task's replies are tested: the compiled `scorer.execute` of its suite.
public struct CodeExecution: Sendable, Equatable {
  /// The program harness (`humaneval`, `humaneval-x`, `cruxeval-output`).
  public var harness: String
  /// The programming language (`python`, `cpp`, ...).
  public var language: String
  /// How code is taken out of a reply.
  public var extraction: Extraction
  /// Completions per item.
  public var samples: Int

  /// How code is taken out of a reply.
  public enum Extraction: String, Sendable, CaseIterable {
    /// The reply as is: a completion that continues the prompt.
    case raw
    /// simple-evals' `find_code`: the first ```python block (else the whole reply), from just after the first
    /// ":\n    " on (the signature line dropped, the body kept), to be appended to the prompt.
    case fencedBody = "fenced_body"
    /// CRUXEval's output prediction: the text before `[/ANSWER]`, and of it what follows `==` when present.
    case cruxeval
  }

  /// A compiled execute spec.
  public init(harness: String, language: String, extraction: Extraction, samples: Int) {
    self.harness = harness
    self.language = language
    self.extraction = extraction
    self.samples = samples
  }

  /// The known harnesses.
  public static let harnesses = ["humaneval", "humaneval-x", "cruxeval-output"]

  /// The code (or literal) in a reply.
  public func code(from reply: String) -> String {
    switch extraction {
    case .raw:
      return reply
    case .fencedBody:
      var text = reply
      if let regex = try? NSRegularExpression(pattern: "```python\\n(.*?)```", options: [.dotMatchesLineSeparators]),
        let match = regex.firstMatch(in: reply, range: NSRange(reply.startIndex..., in: reply)),
        let range = Range(match.range(at: 1), in: reply)
      {
        text = String(reply[range])
      }
      // simple-evals slices from find(":\n    ") + 2; when absent find() is -1, so it keeps text from index 1.
      if let colon = text.range(of: ":\n    ") {
        return String(text[text.index(colon.lowerBound, offsetBy: 2)...])
      }
      return String(text.dropFirst())
    case .cruxeval:
      var text = reply
      if let end = text.range(of: "[/ANSWER]") { text = String(text[..<end.lowerBound]) }
      text = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if let equals = text.range(of: "==") { text = String(text[equals.upperBound...]) }
      return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }
}

/// The answer of a `code` item sampled more than once: every completion, in order (stored as `ResponsePayload`).
public struct CodeCompletions: Codable, Sendable, Equatable {
  /// The replies.
  public var completions: [String]

  /// Completions in order.
  public init(completions: [String]) { self.completions = completions }
}
