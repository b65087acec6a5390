/// A compiled scorer: preprocess, extract with each named pipeline, normalize, match.
public struct Scorer: Sendable {
  /// Pipeline names in report order.
  public let pipelineNames: [String]
  /// The headline pipeline.
  public let primary: String
  private let preprocess: [String]
  private let extractors: [AnswerExtractor]
  private let normalize: [String]
  private let match: MatchKind

  /// How a normalized answer is compared with the normalized target.
  public enum MatchKind: String, Sendable, CaseIterable {
    /// String equality.
    case exact
    /// Numeric equality of canonical numbers (`18.0` = `18`, `1.000` = `1000`).
    case number
  }

  /// Compiles `spec`, substituting the variant's `${param}` values into its steps.
  public init(spec: ScorerSpec, params: [String: String]) throws(AssayError) {
    var names: [String] = []
    var extractors: [AnswerExtractor] = []
    for pipeline in spec.extract {
      var steps: [ExtractStep] = []
      for step in pipeline.steps {
        switch step {
        case .afterLast(let marker): steps.append(.afterLast(try Template.renderParams(marker, params: params)))
        case .regex(let pattern): steps.append(.regex(try Template.renderParams(pattern, params: params)))
        default: steps.append(step)
        }
      }
      names.append(pipeline.name)
      extractors.append(try AnswerExtractor(steps: steps))
    }
    for name in (spec.preprocess ?? []) + spec.normalize where TextNormalizer(rawValue: name) == nil {
      throw AssayError(
        .invalidSuite, "unknown normalizer '\(name)'",
        fix: "use one of: \(TextNormalizer.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    guard let match = MatchKind(rawValue: spec.match) else {
      throw AssayError(
        .invalidSuite, "unknown match '\(spec.match)'",
        fix: "use one of: \(MatchKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    guard names.contains(spec.primary) else {
      throw AssayError(
        .invalidSuite, "scorer.primary is '\(spec.primary)' but the pipelines are: \(names.joined(separator: ", "))",
        fix: "name one of the extract pipelines as primary")
    }
    self.pipelineNames = names
    self.primary = spec.primary
    self.preprocess = spec.preprocess ?? []
    self.extractors = extractors
    self.normalize = spec.normalize
    self.match = match
  }

  /// Scores one response against a target; never throws: a failed extraction is a wrong answer with a reason.
  public func score(response: String, target: String) -> SampleScore {
    let text = TextNormalizer.apply(preprocess, to: response)
    let expected = canonical(target)
    var answers: [String: String] = [:]
    var correct: [String: Bool] = [:]
    var notes: [String] = []
    for (name, extractor) in zip(pipelineNames, extractors) {
      if let raw = extractor.extract(from: text) {
        let answer = canonical(raw)
        answers[name] = answer
        correct[name] = answer == expected
        notes.append("\(name): '\(answer)' \(answer == expected ? "=" : "≠") '\(expected)'")
      } else {
        correct[name] = false
        notes.append("\(name): no answer extracted")
      }
    }
    return SampleScore(answers: answers, correct: correct, primary: primary, explanation: notes.joined(separator: "; "))
  }

  private func canonical(_ text: String) -> String {
    let normalized = TextNormalizer.apply(normalize, to: text)
    switch match {
    case .exact: return normalized
    case .number: return NumberCanonicalizer.canonical(TextNormalizer.nativeDigits.apply(normalized)) ?? normalized
    }
  }
}

/// The scores of one sample: an answer and a verdict per pipeline.
public struct SampleScore: Codable, Sendable, Equatable {
  /// Extracted, normalized answers by pipeline; absent when extraction failed.
  public var answers: [String: String]
  /// Verdicts by pipeline.
  public var correct: [String: Bool]
  /// The headline pipeline.
  public var primary: String
  /// A short human-readable account of the verdicts.
  public var explanation: String

  /// The headline score, 0 or 1.
  public var value: Double { correct[primary] == true ? 1 : 0 }
}
