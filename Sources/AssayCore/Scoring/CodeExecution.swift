import AssayText
import Foundation

/// How a `code` task's replies are tested: the compiled `scorer.execute` of its suite.
public struct CodeExecution: Sendable, Equatable {
  /// The program harness (`humaneval`, `humaneval-x`, `cruxeval-output`, `cruxeval-input`).
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
    /// CRUXEval's output prediction, as its `OutputPrediction.postprocess_generation`: the text before
    /// `[/ANSWER]` (the generation's stop), and when it holds `==` the part between the first `==` and the next.
    case cruxeval
    /// CRUXEval's input prediction, as its `InputPrediction.postprocess_generation`: the text before `[/ANSWER]`,
    /// of it the part before the first `==`, and of that when it holds `assert` the part between the first
    /// `assert` and the next (`assert f("ab") == 3` gives `f("ab")`).
    case cruxevalInput = "cruxeval_input"
  }

  /// A compiled execute spec.
  public init(harness: String, language: String, extraction: Extraction, samples: Int) {
    self.harness = harness
    self.language = language
    self.extraction = extraction
    self.samples = samples
  }

  /// The known harnesses.
  public static let harnesses = ["humaneval", "humaneval-x", "cruxeval-output", "cruxeval-input"]

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
      // Python's str.split and strip on code points, as the official post-processing calls them.
      var text = Self.beforeAnswerEnd(reply)
      if PythonText.contains(text, "==") { text = PythonText.strip(PythonText.split(text, separator: "==")[1]) }
      return PythonText.strip(text)
    case .cruxevalInput:
      var text = Self.beforeAnswerEnd(reply)
      if PythonText.contains(text, "==") { text = PythonText.strip(PythonText.split(text, separator: "==")[0]) }
      if PythonText.contains(text, "assert") { text = PythonText.strip(PythonText.split(text, separator: "assert")[1]) }
      return PythonText.strip(text)
    }
  }

  /// A reply up to its first `[/ANSWER]`, where CRUXEval's generation stops (vLLM's `stop`, the marker left out).
  static func beforeAnswerEnd(_ reply: String) -> String {
    PythonText.split(reply, separator: "[/ANSWER]")[0]
  }
}

/// The answer of a `code` item sampled more than once: every completion, in order (stored as `ResponsePayload`).
public struct CodeCompletions: Codable, Sendable, Equatable {
  /// The replies.
  public var completions: [String]

  /// Completions in order.
  public init(completions: [String]) { self.completions = completions }
}
