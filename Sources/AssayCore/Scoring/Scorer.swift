import Foundation

/// A compiled scorer: preprocess, extract with each named pipeline, normalize, match (or, for `rank_choices`,
/// rank the stored choice likelihoods).
public struct Scorer: Sendable {
  /// Pipeline names in report order.
  public let pipelineNames: [String]
  /// The headline pipeline.
  public let primary: String
  private let preprocess: [String]
  private let extractors: [AnswerExtractor]
  private let normalize: [String]
  /// Each pipeline's preprocessing, normalization and match (the scorer's unless the pipeline gives its own).
  private let rules: [PipelineRules]

  /// How a normalized answer is compared with the normalized target.
  public enum MatchKind: String, Sendable, CaseIterable {
    /// String equality.
    case exact
    /// Numeric equality of canonical numbers (`18.0` = `18`, `1.000` = `1000`).
    case number
  }

  private let rankMetrics: [String]?
  /// `code` tasks: how replies are tested (nil otherwise).
  public let execution: CodeExecution?
  /// Graded text metrics of a `generate` task (`exact_match`, `f1`: SQuAD v1.1), computed on the first pipeline's
  /// answer; empty when the pipelines' verdicts are the scores.
  public let textMetrics: [String]

  /// The graded text metrics a generate suite may name in `scorer.metrics`: SQuAD v1.1's `exact_match` and `f1`
  /// (also spelled `squad_em` and `squad_f1`, as `assay metric` names them),
  /// MLQA's language-aware `exact_match_mlqa` and `f1_mlqa` (the variant's `language`), JGLUE's JSQuAD
  /// `exact_match_jsquad` and `char_f1_jsquad` (`JSQuADMetric`), AfroBench's corpus `span_f1`,
  /// sacrebleu's corpus `chrf` and `chrf++`, the character-level `char_f1` and `char_exact_match` (`CharacterF1`,
  /// on the answer and target both normalized by the suite's `normalize`), and the corpus label metrics `macro_f1`,
  /// `weighted_f1`, `mcc` and correlations `pearson`, `spearman` (`CorpusMetric`).
  public static let knownTextMetrics = [
    "exact_match", "f1", "squad_em", "squad_f1", "exact_match_mlqa", "f1_mlqa", "exact_match_jsquad", "char_f1_jsquad",
    "span_f1", "chrf", "chrf++", "char_f1", "char_exact_match",
    "macro_f1", "weighted_f1", "mcc", "pearson", "spearman",
  ]
  /// The variant's language (MLQA's normalization depends on it).
  private let language: String

  /// A judge suite's metrics: `rating` (the mean of every parsed judgment, 1-10) and, for multi-turn suites, each
  /// turn's rating.
  public static func judgeMetrics(turns: Bool) -> [String] { turns ? ["rating", "turn_1", "turn_2"] : ["rating"] }

  /// Metrics reported on their own scale (a judge's 1-10 rating), not as a percentage.
  public static let ratingMetrics: Set<String> = ["rating", "turn_1", "turn_2"]

  /// Metrics that are the mean of other metrics' totals (IFEval's `average` of its four accuracies), by name, for a
  /// task with these pipelines (the store keeps pipelines, not task types).
  public static func averages(pipelines: [String]) -> [String: [String]] {
    pipelines == instructionFollowingMetrics ? ["average": Array(instructionFollowingMetrics.prefix(4))] : [:]
  }

  /// IFEval's metrics: prompt-level and instruction-level accuracy, strict and loose, and their average (Meta's
  /// reported number).
  public static let instructionFollowingMetrics = ["prompt_strict", "inst_strict", "prompt_loose", "inst_loose", "average"]

  /// A scorer that only names its metrics: items are ranked (`rankMetrics`), run (`execution`) or graded outside it.
  private init(
    metrics: [String], primary: String, language: String,
    execution: CodeExecution? = nil, rankMetrics: [String]? = nil
  ) {
    pipelineNames = metrics
    self.primary = primary
    self.language = language
    self.execution = execution
    self.rankMetrics = rankMetrics
    textMetrics = []
    preprocess = []
    extractors = []
    normalize = []
    rules = []
  }

  /// Compiles `spec` for a task type, substituting the variant's `${param}` values into its steps; `samples` is
  /// the number of completions per item (`code` tasks report pass@k for every k up to it).
  public init(spec: ScorerSpec, params: [String: String], taskType: TaskType = .generate, samples: Int = 1, turns: Bool = false)
    throws(AssayError)
  {
    let variantLanguage = params["language"] ?? "en"
    if taskType == .judge, let judge = spec.judge {
      guard JudgeSpec.modes.contains(judge.mode) else {
        throw AssayError(.invalidSuite, "unknown scorer.judge.mode '\(judge.mode)'",
          fix: "use one of: \(JudgeSpec.modes.joined(separator: ", "))")
      }
      if judge.mode == "pairwise" {
        guard let kind = judge.verdicts, JudgeSpec.verdictKinds.contains(kind), judge.template != nil, judge.baseline != nil,
          judge.baselineKey != nil
        else {
          throw AssayError(.invalidSuite, "a pairwise scorer.judge needs template, verdicts (\(JudgeSpec.verdictKinds.joined(separator: " or "))), baseline and baseline_key",
            fix: "see benchmarks/arena-hard/arena-hard.yaml")
        }
      } else if judge.prompts == nil || judge.prompt == nil {
        throw AssayError(.invalidSuite, "a single-answer scorer.judge needs prompts (FastChat's judge_prompts.jsonl) and prompt",
          fix: "see benchmarks/mt-bench/mt-bench.yaml")
      }
      let names = judge.mode == "pairwise" ? ["win_rate"] : Self.judgeMetrics(turns: turns)
      guard names.contains(spec.primary) else {
        throw AssayError(.invalidSuite, "scorer.primary is '\(spec.primary)' but a judge suite reports \(names.joined(separator: ", "))",
          fix: "use primary: \(names[0])")
      }
      self = Scorer(metrics: names, primary: spec.primary, language: variantLanguage)
      return
    }
    if taskType == .functionCall {
      guard spec.primary == "accuracy" else {
        throw AssayError(.invalidSuite, "scorer.primary is '\(spec.primary)' but a function_call suite reports accuracy",
          fix: "use primary: accuracy")
      }
      self = Scorer(metrics: ["accuracy"], primary: "accuracy", language: variantLanguage)
      return
    }
    if taskType == .safety {
      guard let safety = spec.safety else {
        throw AssayError(.invalidSuite, "a safety suite needs scorer.safety (prompts: harmful or benign; hazard: a template)",
          fix: "add e.g. `safety: {prompts: harmful, hazard: \"{{category}}\"}`; see benchmarks/README.md")
      }
      let names = safety.prompts.metrics
      guard names.contains(spec.primary) else {
        throw AssayError(.invalidSuite, "scorer.primary is '\(spec.primary)' but a safety suite of \(safety.prompts.rawValue) prompts reports "
          + names.joined(separator: ", "), fix: "use primary: \(names[0])")
      }
      self = Scorer(metrics: names, primary: spec.primary, language: variantLanguage)
      return
    }
    if taskType == .needle {
      guard spec.primary == "recall" else {
        throw AssayError(.invalidSuite, "scorer.primary is '\(spec.primary)' but a needle suite reports recall",
          fix: "use primary: recall")
      }
      self = Scorer(metrics: ["recall"], primary: "recall", language: variantLanguage)
      return
    }
    if taskType == .instructionFollowing {
      let names = Self.instructionFollowingMetrics
      guard names.contains(spec.primary) else {
        throw AssayError(.invalidSuite, "scorer.primary is '\(spec.primary)' but an instruction_following suite reports "
          + names.joined(separator: ", "), fix: "use primary: average (Meta's reported IFEval number)")
      }
      self = Scorer(metrics: names, primary: spec.primary, language: variantLanguage)
      return
    }
    if taskType == .code {
      guard let execute = spec.execute else {
        throw AssayError(.invalidSuite, "a code suite needs scorer.execute (harness, language, extract)",
          fix: "add e.g. `execute: {harness: humaneval, extract: fenced_body}`; see benchmarks/README.md")
      }
      // Harness and extraction may come from the variant (`${harness}`), as CRUXEval's input and output do.
      let harness = try Template.renderParams(execute.harness, params: params)
      guard CodeExecution.harnesses.contains(harness) else {
        throw AssayError(.invalidSuite, "unknown scorer.execute.harness '\(harness)'",
          fix: "use one of: \(CodeExecution.harnesses.joined(separator: ", "))")
      }
      let extract = try Template.renderParams(execute.extract ?? "raw", params: params)
      guard let extraction = CodeExecution.Extraction(rawValue: extract) else {
        throw AssayError(.invalidSuite, "unknown scorer.execute.extract '\(extract)'",
          fix: "use one of: \(CodeExecution.Extraction.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      guard samples >= 1 else {
        throw AssayError(.invalidSuite, "solver.generate.samples is \(samples)", fix: "use 1 or more")
      }
      let language = try Template.renderParams(execute.language ?? "python", params: params)
      let names = (1...samples).map(PassAtK.name)
      guard names.contains(spec.primary) else {
        throw AssayError(.invalidSuite, "scorer.primary is '\(spec.primary)' but a code suite with \(samples) sample(s) "
          + "reports \(names.joined(separator: ", "))", fix: "use primary: pass@1")
      }
      self = Scorer(
        metrics: names, primary: spec.primary, language: variantLanguage,
        execution: CodeExecution(harness: harness, language: language, extraction: extraction, samples: samples))
      return
    }
    if taskType == .rankChoices {
      let metrics = spec.metrics ?? ["acc", "acc_norm"]
      try Self.checkMetrics(metrics, known: ChoiceRanking.metrics, kind: "rank_choices", primary: spec.primary)
      if let norm = spec.accNorm, !["bytes", "characters"].contains(norm) {
        throw AssayError(.invalidSuite, "scorer.acc_norm is '\(norm)'; it must be bytes or characters",
          fix: "use acc_norm: characters to divide by the choice's characters as lm-eval does, or bytes (the default)")
      }
      self = Scorer(metrics: metrics, primary: spec.primary, language: variantLanguage, rankMetrics: metrics)
      return
    }
    execution = nil
    rankMetrics = nil
    language = variantLanguage
    guard let extract = spec.extract, !extract.isEmpty else {
      throw AssayError(.invalidSuite, "a generate suite needs scorer.extract (at least one named pipeline)",
        fix: "add e.g. `extract: [{name: strict, steps: [{take: last}]}]`; see benchmarks/README.md")
    }
    var names: [String] = []
    var extractors: [AnswerExtractor] = []
    var rules: [PipelineRules] = []
    let scorerRules = try PipelineRules(pipeline: nil, spec: spec, params: params)
    for pipeline in extract {
      guard !names.contains(pipeline.name) else {
        throw AssayError(.invalidSuite, "two extract pipelines are named '\(pipeline.name)'",
          fix: "give every pipeline its own name")
      }
      var steps: [ExtractStep] = []
      for step in pipeline.steps {
        switch step {
        case .afterLast(let marker): steps.append(.afterLast(try Template.renderParams(marker, params: params)))
        case .splitLast(let marker): steps.append(.splitLast(try Template.renderParams(marker, params: params)))
        case .regex(let pattern): steps.append(.regex(try Template.renderParams(pattern, params: params)))
        case .findall(let pattern): steps.append(.findall(try Template.renderParams(pattern, params: params)))
        case .sub(let pattern, let replacement):
          steps.append(.sub(pattern: try Template.renderParams(pattern, params: params), replacement: replacement))
        default: steps.append(step)
        }
      }
      names.append(pipeline.name)
      extractors.append(try AnswerExtractor(steps: steps))
      let ownRules = pipeline.preprocess != nil || pipeline.normalize != nil || pipeline.match != nil
      rules.append(ownRules ? try PipelineRules(pipeline: pipeline, spec: spec, params: params) : scorerRules)
    }
    let normalize = spec.normalize ?? []
    if taskType == .generate, let metrics = spec.metrics {
      try Self.checkMetrics(metrics, known: Self.knownTextMetrics, kind: "generate", primary: spec.primary)
      textMetrics = metrics
      names = metrics
      extractors = [extractors[0]]
      rules = [scorerRules]
    } else {
      guard names.contains(spec.primary) else {
        throw AssayError(
          .invalidSuite, "scorer.primary is '\(spec.primary)' but the pipelines are: \(names.joined(separator: ", "))",
          fix: "name one of the extract pipelines as primary")
      }
      textMetrics = []
    }
    self.pipelineNames = names
    self.primary = spec.primary
    self.preprocess = spec.preprocess ?? []
    self.extractors = extractors
    self.normalize = normalize
    self.rules = rules
  }

  /// Every metric is known and the primary is one of them, else an error naming the metric and the fix.
  private static func checkMetrics(_ metrics: [String], known: [String], kind: String, primary: String)
    throws(AssayError)
  {
    for metric in metrics where !known.contains(metric) {
      // A name written with dashes or capitals (`macro-F1`) is the commonest slip: name the metric it means.
      let spelled = metric.lowercased().replacingOccurrences(of: "-", with: "_")
      let guess = known.contains(spelled) && spelled != metric ? "did you mean '\(spelled)'? " : ""
      throw AssayError(
        .invalidSuite, "unknown \(kind) metric '\(metric)' in scorer.metrics",
        fix: "\(guess)use some of: \(known.joined(separator: ", ")) (benchmarks/README.md describes each)")
    }
    guard metrics.contains(primary) else {
      throw AssayError(.invalidSuite, "scorer.primary is '\(primary)' but the metrics are: \(metrics.joined(separator: ", "))",
        fix: "name one of scorer.metrics as primary")
    }
  }

  /// Scores a sample's stored response text (as `assay score` reads them): a `rank_choices` task's text is read as
  /// its likelihoods (`{"choices": [{logprob, bytes, tokens}]}`), any other as the reply.
  public func score(response: String, sample: Sample) -> SampleScore {
    score(ResponsePayload(stored: response, kind: rankMetrics == nil ? .text : .ranked), sample: sample)
  }

  /// Scores a sample's answer: extraction and matching for generated answers, or the likelihood ranking of a
  /// `rank_choices` item's choices.
  public func score(_ response: ResponsePayload, sample: Sample) -> SampleScore {
    guard let rankMetrics else {
      return score(response: response.storedText, target: sample.target, golds: sample.golds)
    }
    guard case .ranked(let ranked) = response, ranked.choices.count == sample.choices.count else {
      return SampleScore(
        answers: [:], correct: Dictionary(uniqueKeysWithValues: rankMetrics.map { ($0, false) }), primary: primary,
        explanation: "the stored likelihoods do not cover the item's \(sample.choices.count) choices")
    }
    return ChoiceRanking.score(ranked.choices, correct: sample.correct, metrics: rankMetrics, primary: primary)
  }

  /// Scores one response against a target; never throws: a failed extraction is a wrong answer with a reason.
  /// With several correct answers (`golds`), the answer is compared with each and the best counts: a verdict is
  /// right when any gold matches, and SQuAD, MLQA, JSQuAD and character F1 take their maximum over the golds (the label,
  /// correlation, span and chrF metrics read `target` alone).
  ///
  ///     let verdict = scorer.score(response: "Tokyo Tower", target: "東京タワー", golds: ["東京タワー", "Tokyo Tower"])
  public func score(response: String, target: String, golds: [String]? = nil) -> SampleScore {
    let golds = golds.flatMap { $0.isEmpty ? nil : $0 } ?? [target]
    let text = TextNormalizer.apply(preprocess, to: response)
    if !textMetrics.isEmpty {
      // SQuAD metrics normalize by their own rules; the suite's normalizers only shape the extracted answer.
      let raw = extractors[0].extract(from: text)
      let answer = raw.map { TextNormalizer.apply(normalize, to: $0) } ?? ""
      var values: [String: Double] = [:]
      var weights: [String: Double] = [:]
      lazy var normalizedGolds = golds.map { TextNormalizer.apply(normalize, to: $0) }  // the character metrics' golds
      for metric in textMetrics {
        switch metric {
        case "f1", "squad_f1": values[metric] = SQuADMetric.f1(answer, golds: golds)
        case "exact_match_mlqa": values[metric] = MLQAMetric.exactMatch(answer, golds: golds, language: language)
        case "f1_mlqa": values[metric] = MLQAMetric.f1(answer, golds: golds, language: language)
        case "exact_match_jsquad": values[metric] = JSQuADMetric.exactMatch(answer, golds: golds)
        case "char_f1_jsquad": values[metric] = JSQuADMetric.f1(answer, golds: golds)
        case "chrf", "chrf++":
          values.merge(CorpusMetric.itemValues(metric, hypothesis: answer, reference: target)) { $1 }
        case "char_f1": values[metric] = CharacterF1.f1(answer, golds: normalizedGolds)
        case "char_exact_match": values[metric] = CharacterF1.exactMatch(answer, golds: normalizedGolds)
        case _ where CorpusMetric.labelNames.contains(metric):
          let gold = TextNormalizer.apply(normalize, to: target)
          values.merge(CorpusMetric.labelValues(metric, predicted: raw == nil ? "" : answer, gold: gold)) { $1 }
        case _ where CorpusMetric.correlationNames.contains(metric):
          values.merge(CorpusMetric.correlationValues(metric, predicted: raw == nil ? "" : answer, gold: target)) { $1 }
        case "span_f1":
          // Corpus F1: the item's 2·TP over 2·TP + FP + FN, weighted by that denominator.
          let counts = SpanF1.counts(prediction: answer, gold: target)
          values[metric] = counts.f1
          weights[metric] = Double(counts.weight)
        default: values[metric] = SQuADMetric.exactMatch(answer, golds: golds)  // exact_match, squad_em
        }
      }
      guard raw != nil else {
        return SampleScore(
          answers: [:], correct: Dictionary(uniqueKeysWithValues: textMetrics.map { ($0, false) }), primary: primary,
          explanation: "no answer extracted", values: values, weights: weights)
      }
      return SampleScore(
        answers: Dictionary(uniqueKeysWithValues: textMetrics.map { ($0, answer) }),
        correct: Dictionary(uniqueKeysWithValues: textMetrics.map { ($0, values[$0] == 1) }), primary: primary,
        explanation: textMetrics.map { "\($0) \(String(format: "%.3f", values[$0]!))" }.joined(separator: ", ")
          + " for '\(answer)' vs " + (golds.count == 1 ? "'\(golds[0])'" : "\(golds.count) answers ('\(golds[0])', ...)"),
        values: values, weights: weights)
    }
    var answers: [String: String] = [:]
    var correct: [String: Bool] = [:]
    var notes: [String] = []
    // Pipelines with the scorer's rules share one preprocessed text and one reading of the golds.
    var texts: [[String]: String] = [preprocess: text]
    for (index, (name, extractor)) in zip(pipelineNames, extractors).enumerated() {
      let pipelineRules = rules[index]
      let expected = golds.map(pipelineRules.canonical)
      let shown = expected.count == 1 ? "'\(expected[0])'" : "any of " + expected.map { "'\($0)'" }.joined(separator: ", ")
      let prepared = texts[pipelineRules.preprocess] ?? pipelineRules.prepare(response)
      texts[pipelineRules.preprocess] = prepared
      if let raw = extractor.extract(from: prepared) {
        let answer = pipelineRules.canonical(raw)
        let right = expected.contains(answer)
        answers[name] = answer
        correct[name] = right
        notes.append("\(name): '\(answer)' \(right ? "=" : "≠") \(shown)")
      } else {
        correct[name] = false
        notes.append("\(name): no answer extracted")
      }
    }
    return SampleScore(answers: answers, correct: correct, primary: primary, explanation: notes.joined(separator: "; "))
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
  /// Graded values by metric, where a verdict is not just right or wrong (TruthfulQA's `mc2` mass).
  public var values: [String: Double]
  /// Judgments behind a value, by metric, where an item holds several (an IFEval prompt's instructions): reports
  /// then take the ratio of sums and cluster the standard error by item.
  public var weights: [String: Double]

  /// Scores with verdicts and, optionally, graded values and their weights.
  public init(
    answers: [String: String], correct: [String: Bool], primary: String, explanation: String,
    values: [String: Double] = [:], weights: [String: Double] = [:]
  ) {
    self.answers = answers
    self.correct = correct
    self.primary = primary
    self.explanation = explanation
    self.values = values
    self.weights = weights
  }

  enum CodingKeys: String, CodingKey { case answers, correct, primary, explanation, values, weights }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    answers = try container.decode([String: String].self, forKey: .answers)
    correct = try container.decode([String: Bool].self, forKey: .correct)
    primary = try container.decode(String.self, forKey: .primary)
    explanation = try container.decode(String.self, forKey: .explanation)
    values = try container.decodeIfPresent([String: Double].self, forKey: .values) ?? [:]
    weights = try container.decodeIfPresent([String: Double].self, forKey: .weights) ?? [:]
  }

  /// The headline score: the graded value when there is one, else 1 for right and 0 for wrong.
  public var value: Double { values[primary] ?? (correct[primary] == true ? 1 : 0) }
}

/// The answer of a `rank_choices` item: one likelihood per choice, in order (stored as `ResponsePayload`).
public struct RankedChoices: Codable, Sendable, Equatable {
  /// Each choice's continuation likelihood.
  public var choices: [ChoiceRanking.ChoiceLikelihood]

  /// Likelihoods in choice order.
  public init(choices: [ChoiceRanking.ChoiceLikelihood]) {
    self.choices = choices
  }
}
