import AssayCore

/// A published score (a row of `results/reference/reference_scores.json`).
public struct ReferenceRow: Codable, Sendable, Equatable {
  /// Model name as published (`Llama 3.1 8B Instruct`).
  public var model: String
  /// `base` or `instruct`.
  public var variant: String
  /// Benchmark name as published.
  public var benchmark: String
  /// Shots, when stated (`8`, or a range such as `3-5`).
  public var nShot: String?
  /// Chain of thought, when stated.
  public var cot: Bool?
  /// Metric as published.
  public var metric: String
  /// The score, in percent.
  public var score: Double
  /// Where it was read.
  public var source: String
  /// Caveats.
  public var note: String
  /// Transcribed by a third party.
  public var secondHand: Bool

  enum CodingKeys: String, CodingKey {
    case model, variant, benchmark, nShot = "n_shot", cot, metric, score, source, note, secondHand = "second_hand"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decode(String.self, forKey: .model)
    variant = try c.decode(String.self, forKey: .variant)
    benchmark = try c.decode(String.self, forKey: .benchmark)
    if let shots = try? c.decodeIfPresent(Int.self, forKey: .nShot) {
      nShot = String(shots)
    } else {
      nShot = try c.decodeIfPresent(String.self, forKey: .nShot)
    }
    cot = try c.decodeIfPresent(Bool.self, forKey: .cot)
    metric = try c.decode(String.self, forKey: .metric)
    score = try c.decode(Double.self, forKey: .score)
    source = try c.decode(String.self, forKey: .source)
    note = try c.decode(String.self, forKey: .note)
    secondHand = try c.decode(Bool.self, forKey: .secondHand)
  }
}

/// The configuration behind a published benchmark number (`results/reference/meta_configs.json`).
public struct PublishedConfiguration: Codable, Sendable, Equatable {
  /// The Assay suite (family) that reproduces it.
  public var suite: String
  /// Generation limit.
  public var maxTokens: Int
  /// Items in the full evaluation.
  public var datasetSize: Int
  /// Languages averaged, for multilingual benchmarks.
  public var languages: Int?
  /// How the number is averaged.
  public var averaging: String
  /// The prompt used.
  public var prompt: String
  /// The decoding used.
  public var decoding: String
  /// `chat` or `completion`.
  public var promptMode: String
  /// Where the configuration is stated.
  public var source: String
  /// The suite's pipeline that scores as the publisher did (`simple-evals`); the headline when absent.
  public var pipeline: String?
  /// The publisher's scoring rule, in words.
  public var scoring: String?

  enum CodingKeys: String, CodingKey {
    case suite, maxTokens = "max_tokens", datasetSize = "dataset_size", languages, averaging, prompt, decoding
    case promptMode = "prompt_mode", source, pipeline, scoring
  }
}

/// Our suite result next to a published number, with every configuration difference in words.
public struct ReferenceComparisonRow: Codable, Sendable, Equatable {
  /// Suite id.
  public var suite: String
  /// Our score, percent.
  public var ours: Double
  /// Our 95% CI, percent.
  public var ciLow: Double
  /// Upper end.
  public var ciHigh: Double
  /// The published score, percent.
  public var published: Double
  /// Ours minus published, points.
  public var delta: Double
  /// The published number lies inside our CI.
  public var publishedInsideCI: Bool
  /// Published benchmark name and source.
  public var benchmark: String
  /// Where the published number comes from.
  public var source: String
  /// Each configuration difference, in words; empty when the configurations match.
  public var differences: [String]
  /// The pipeline `ours` is scored by: the one that scores as the publisher did, else the headline (absent in
  /// reports written before pipelines were recorded).
  public var pipeline: String?
  /// The suite's headline pipeline.
  public var headline: String?
  /// The headline pipeline's score (percent, averaged as `ours`), when it is not the compared pipeline.
  public var headlineScore: Double?
  /// Scored items whose verdicts differ between the headline and the compared pipeline (when they differ).
  public var verdictsDiffering: Int?
  /// Scored items.
  public var scored: Int?

  enum CodingKeys: String, CodingKey {
    case suite, ours, ciLow = "ci_low", ciHigh = "ci_high", published, delta
    case publishedInsideCI = "published_inside_ci", benchmark, source, differences, pipeline, headline
    case headlineScore = "headline_score", verdictsDiffering = "verdicts_differing", scored
  }
}

/// Compares a run's suites with a model's published numbers.
public enum ReferenceComparison {
  /// One row per suite of the report that has a published number for `model`.
  public static func compare(
    report: RunReport, settings: [String: [TaskSettings]], model: String, rows: [ReferenceRow],
    configurations: [String: PublishedConfiguration]
  ) -> [ReferenceComparisonRow] {
    var result: [ReferenceComparisonRow] = []
    for suite in report.suites {
      let suiteID = suite.total.label
      let taskSettings = settings[suiteID] ?? []
      guard let first = taskSettings.first else { continue }
      let family = first.family ?? suiteID
      // A published configuration names the suite that reproduces it; suites derived from it (same family, other
      // id) are compared with it too, with the differences spelled out.
      func matching(_ id: String) -> [ReferenceRow] {
        rows.filter { row in row.model == model && !row.secondHand && configurations[row.benchmark]?.suite == id }
      }
      let exact = matching(suiteID)
      let candidates = exact.isEmpty ? matching(family) : exact
      guard let row = candidates.first(where: { $0.source.contains("MODEL_CARD") }) ?? candidates.first,
        let configuration = configurations[row.benchmark]
      else { continue }
      // The publisher's scoring rule when the suite has it as a pipeline, else the headline (said in differences).
      let headline = suite.total.primary
      let wanted = configuration.pipeline
      let pipeline = wanted.flatMap { suite.total.metrics[$0] != nil ? $0 : nil } ?? headline
      let summary = suite.total.metrics[pipeline] ?? ScoreSummary(scores: [])
      let ours = 100 * score(suite, pipeline: pipeline)
      let low = 100 * summary.ciLow
      let high = 100 * summary.ciHigh
      var notes = differences(ours: taskSettings, variants: suite.variants.count, row: row, configuration: configuration)
      if let wanted, wanted != pipeline {
        notes.append(
          "scored by the headline pipeline '\(headline)'; the suite has no '\(wanted)' pipeline, which scores as the "
            + "publisher did (\(configuration.scoring ?? wanted))")
      }
      result.append(
        ReferenceComparisonRow(
          suite: suiteID, ours: ours, ciLow: low, ciHigh: high, published: row.score, delta: ours - row.score,
          publishedInsideCI: row.score >= low && row.score <= high, benchmark: row.benchmark, source: row.source,
          differences: notes, pipeline: pipeline, headline: headline,
          headlineScore: pipeline == headline ? nil : 100 * score(suite, pipeline: headline),
          verdictsDiffering: pipeline == headline ? nil : suite.total.verdictsDiffering?[pipeline],
          scored: suite.total.n))
    }
    return result
  }

  /// A pipeline's score for a suite: Meta averages multilingual suites over languages, so the macro average over
  /// variants when there are several, else the micro mean.
  static func score(_ suite: SuiteReport, pipeline: String) -> Double {
    let variants = suite.variants.filter { $0.n > 0 }
    guard suite.variants.count > 1, !variants.isEmpty else { return suite.total.metrics[pipeline]?.mean ?? 0 }
    return variants.map { $0.metrics[pipeline]?.mean ?? 0 }.reduce(0, +) / Double(variants.count)
  }

  /// Every way our run's configuration departs from the published one, in words.
  static func differences(
    ours: [TaskSettings], variants: Int, row: ReferenceRow, configuration: PublishedConfiguration
  ) -> [String] {
    let first = ours[0]
    var notes: [String] = []
    if let shots = row.nShot, String(first.shots) != shots {
      notes.append("\(first.shots)-shot prompts here; the published number is \(shots)-shot (\(configuration.prompt))")
    }
    if let cot = row.cot, let ourCoT = first.chainOfThought, cot != ourCoT {
      notes.append(ourCoT ? "chain of thought here; none in the published configuration" : "no chain of thought here; the published configuration uses it")
    }
    let samples = ours.map(\.samples).reduce(0, +)
    if let languages = configuration.languages, variants < languages {
      notes.append("\(variants) of \(languages) languages here; the published number averages all \(languages)")
    }
    if samples < configuration.datasetSize {
      notes.append("\(samples) of \(configuration.datasetSize) items here (--limit or fewer variants); the published number uses all \(configuration.datasetSize)")
    }
    if first.maxTokens != configuration.maxTokens {
      notes.append("at most \(first.maxTokens) generated tokens here; \(configuration.maxTokens) in the published configuration")
    }
    if first.temperature != 0 {
      notes.append("temperature \(first.temperature) here; the published decoding is \(configuration.decoding)")
    }
    if first.promptMode != configuration.promptMode {
      notes.append("\(first.promptMode) prompts here; the published number uses \(configuration.promptMode) prompts")
    }
    return notes
  }
}
