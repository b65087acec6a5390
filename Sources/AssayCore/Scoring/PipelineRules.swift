import AssayText

/// How one pipeline's response is prepared and its answer compared with the target: the response's preprocessing,
/// the normalize steps applied to answer and target alike, and the match. The scorer's own unless the pipeline
/// gives its own (a reference-compatible pipeline: simple-evals' or lm-eval's rules).
struct PipelineRules: Sendable {
  /// One normalize step, compiled.
  enum Step: Sendable {
    /// A named normalizer.
    case named(TextNormalizer)
    /// Python's `re.sub`.
    case sub(PythonRegex, PythonRegex.Replacement)
  }

  /// Normalizers applied to the whole response before extraction.
  let preprocess: [String]
  /// Steps applied to the answer and the target.
  let normalize: [Step]
  /// The comparison.
  let match: Scorer.MatchKind

  /// The rules of `pipeline` under `spec`, with the variant's `${param}` values substituted into patterns; throws
  /// when a name, pattern or match is unknown.
  init(pipeline: NamedPipeline?, spec: ScorerSpec, params: [String: String]) throws(AssayError) {
    let label = pipeline.map { "pipeline '\($0.name)'" } ?? "scorer"
    let preprocess = pipeline?.preprocess ?? spec.preprocess ?? []
    let normalize = pipeline?.normalize ?? (spec.normalize ?? []).map(NormalizeStep.named)
    for name in preprocess where TextNormalizer(rawValue: name) == nil {
      throw Self.unknownNormalizer(name, in: label)
    }
    var steps: [Step] = []
    for step in normalize {
      switch step {
      case .named(let name):
        guard let normalizer = TextNormalizer(rawValue: name) else { throw Self.unknownNormalizer(name, in: label) }
        steps.append(.named(normalizer))
      case .sub(let pattern, let replacement):
        let rendered = try Template.renderParams(pattern, params: params)
        let regex = try AnswerExtractor.python(rendered, step: "sub")
        steps.append(.sub(regex, try AnswerExtractor.replacement(replacement, for: regex, pattern: rendered)))
      }
    }
    let matchName = pipeline?.match ?? spec.match ?? "exact"
    guard let match = Scorer.MatchKind(rawValue: matchName) else {
      throw AssayError(
        .invalidSuite, "unknown match '\(matchName)' in the \(label)",
        fix: "use one of: \(Scorer.MatchKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    self.preprocess = preprocess
    self.normalize = steps
    self.match = match
  }

  private static func unknownNormalizer(_ name: String, in label: String) -> AssayError {
    AssayError(
      .invalidSuite, "unknown normalizer '\(name)' in the \(label)",
      fix: "use one of: \(TextNormalizer.allCases.map(\.rawValue).joined(separator: ", ")), or {sub: [pattern, replacement]} in a pipeline's normalize")
  }

  /// The response as this pipeline's steps read it.
  func prepare(_ response: String) -> String {
    TextNormalizer.apply(preprocess, to: response)
  }

  /// An answer or target after the normalize steps, in the form the match compares.
  func canonical(_ text: String) -> String {
    let normalized = normalize.reduce(text) { partial, step in
      switch step {
      case .named(let normalizer): return normalizer.apply(partial)
      case .sub(let regex, let replacement): return regex.substitute(partial, with: replacement)
      }
    }
    switch match {
    case .exact: return normalized
    case .number: return NumberCanonicalizer.canonical(TextNormalizer.nativeDigits.apply(normalized)) ?? normalized
    }
  }
}
