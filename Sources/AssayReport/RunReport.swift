import AssayCore
import AssayToolUse

/// The per-sample facts a report needs, independent of the store.
public struct ReportSample: Sendable, Equatable {
  /// `suite/variant`.
  public var taskID: String
  /// Scored, or a request that failed after retries.
  public var scored: Bool
  /// Verdicts by pipeline (scored samples).
  public var correct: [String: Bool]
  /// Pipelines that extracted an answer.
  public var extracted: Set<String>
  /// Generation stopped at `max_tokens`.
  public var truncated: Bool
  /// Graded values by metric where a metric is not right-or-wrong (used instead of the verdict).
  public var values: [String: Double]
  /// Judgments behind a value, by metric (IFEval's instructions per prompt): the row takes the ratio of sums.
  public var weights: [String: Double]
  /// A failed request's last error.
  public var failure: String?
  /// The item's position in its task (needle grids place items by it).
  public var index: Int?
  /// Labels reports group by, from the stored answers: a safety item's hazard (`SafetyMetric.hazardKey`) and its
  /// guard verdict (`violation`: `safe`, `unsafe S1,S10`).
  public var labels: [String: String]

  /// A sample's facts.
  public init(
    taskID: String, scored: Bool, correct: [String: Bool], extracted: Set<String>, truncated: Bool,
    values: [String: Double] = [:], weights: [String: Double] = [:], failure: String? = nil, index: Int? = nil,
    labels: [String: String] = [:]
  ) {
    self.labels = labels
    self.index = index
    self.failure = failure
    self.values = values
    self.weights = weights
    self.taskID = taskID
    self.scored = scored
    self.correct = correct
    self.extracted = extracted
    self.truncated = truncated
  }
}

/// The per-task facts a report needs.
public struct ReportTask: Sendable, Equatable {
  /// `suite/variant`.
  public var taskID: String
  /// Suite id.
  public var suiteID: String
  /// Variant id.
  public var variantID: String
  /// BCP-47 language.
  public var language: String
  /// Headline pipeline.
  public var primary: String
  /// Pipelines in order.
  public var pipelines: [String]
  /// Samples planned.
  public var planned: Int
  /// Metrics that are the mean of other metrics' totals (IFEval's `average`), by name.
  public var averages: [String: [String]]
  /// A needle task's grid (its items' cells), as the run recorded it.
  public var needle: NeedleSettings?

  /// A task's facts.
  public init(
    taskID: String, suiteID: String, variantID: String, language: String, primary: String, pipelines: [String],
    planned: Int, averages: [String: [String]] = [:], needle: NeedleSettings? = nil
  ) {
    self.needle = needle
    self.averages = averages
    self.taskID = taskID
    self.suiteID = suiteID
    self.variantID = variantID
    self.language = language
    self.primary = primary
    self.pipelines = pipelines
    self.planned = planned
  }
}

/// One row of a report: a group of samples (a variant, a whole suite, or a language) with its statistics.
public struct ReportRow: Codable, Sendable, Equatable {
  /// Row label (`mgsm/de`, `mgsm`, `de`).
  public var label: String
  /// Language, when the row has one.
  public var language: String?
  /// Samples planned.
  public var planned: Int
  /// Samples scored.
  public var n: Int
  /// Requests that failed after retries.
  public var failedRequests: Int
  /// Headline pipeline.
  public var primary: String
  /// Statistics per pipeline.
  public var metrics: [String: ScoreSummary]
  /// Share of scored samples whose generation hit `max_tokens`.
  public var truncatedShare: Double
  /// Share of scored samples where each pipeline extracted nothing.
  public var extractionFailedShare: [String: Double]
  /// Macro average of the primary metric over the row's variants (suite rows only).
  public var macroMean: Double?
  /// Judge rows: judgments made, and those whose reply had no rating even when asked twice (left out of means).
  public var judgments: Int?
  /// Judge replies without a rating.
  public var unparseable: Int?
  /// The first failed request's error, when any failed.
  public var firstFailure: String?
  /// Suite rows with several right-or-wrong pipelines: by pipeline, the scored samples whose verdict differs from
  /// the primary's (a normalized headline against a reference-compatible pipeline).
  public var verdictsDiffering: [String: Int]?

  enum CodingKeys: String, CodingKey {
    case label, language, planned, n, failedRequests = "failed_requests", primary, metrics
    case truncatedShare = "truncated_share", extractionFailedShare = "extraction_failed_share"
    case macroMean = "macro_mean", judgments, unparseable, firstFailure = "first_failure"
    case verdictsDiffering = "verdicts_differing"
  }
}

/// A run's report: per suite with its variants, and per language; plus guardrail warnings.
public struct RunReport: Codable, Sendable, Equatable {
  /// Run id.
  public var runID: String
  /// Model name.
  public var model: String
  /// Run status.
  public var status: String
  /// Suites, each followed by its variants.
  public var suites: [SuiteReport]
  /// Rows per language across suites.
  public var languages: [ReportRow]
  /// Guardrail warnings (truncation, extraction failures, failed requests above 5%).
  public var warnings: [String]
  /// The published model compared against, when asked for.
  public var referenceModel: String?
  /// Suites next to published numbers, when asked for.
  public var reference: [ReferenceComparisonRow]?
  /// The published rows of the run's preset that have no comparison, and why (a suite whose data was absent).
  public var referenceGaps: [ReferenceGap]?
  /// BFCL's summary figures (non-live, live, hallucination) by way of asking (`prompted`, `native`), when the run
  /// has BFCL categories.
  public var bfcl: [String: BFCLSummary]?
  /// Needle tasks' recall per length and depth.
  public var needle: [NeedleHeatmap]?
  /// Safety tasks' violation and refusal rates (per task, suite, language, hazard).
  public var safety: SafetyReport?

  enum CodingKeys: String, CodingKey {
    case runID = "run_id", model, status, suites, languages, warnings, referenceModel = "reference_model", reference
    case bfcl, referenceGaps = "reference_gaps", needle, safety
  }

  /// The suites whose variants are BFCL categories (`simple-python` is `simple_python`), and how each asks.
  public static let bfclSuites: [String: String] = [
    "bfcl": "prompted", "bfcl-relevance": "prompted", "bfcl-native": "native", "bfcl-native-relevance": "native",
  ]

  /// The share above which a guardrail warns.
  public static let warningThreshold = 0.05

  /// Builds the report from plain values.
  public init(runID: String, model: String, status: String, tasks: [ReportTask], samples: [ReportSample]) {
    self.runID = runID
    self.model = model
    self.status = status
    let byTask = Dictionary(grouping: samples, by: \.taskID)
    var suites: [SuiteReport] = []
    var warnings: [String] = []
    let suiteIDs = tasks.map(\.suiteID).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    for suiteID in suiteIDs {
      let suiteTasks = tasks.filter { $0.suiteID == suiteID }
      let variants = suiteTasks.map { task in
        Self.row(
          label: task.taskID, language: task.language, planned: task.planned, primary: task.primary,
          pipelines: task.pipelines, samples: byTask[task.taskID] ?? [], averages: task.averages)
      }
      let first = suiteTasks[0]
      var total = Self.row(
        label: suiteID, language: Set(suiteTasks.map(\.language)).count == 1 ? first.language : nil,
        planned: suiteTasks.map(\.planned).reduce(0, +), primary: first.primary, pipelines: first.pipelines,
        samples: suiteTasks.flatMap { byTask[$0.taskID] ?? [] }, averages: first.averages)
      if variants.count > 1 {
        let means = variants.filter { $0.n > 0 }.map { $0.metrics[first.primary]?.mean ?? 0 }
        total.macroMean = means.isEmpty ? nil : means.reduce(0, +) / Double(means.count)
      }
      total.verdictsDiffering = Self.verdictsDiffering(
        samples: suiteTasks.flatMap { byTask[$0.taskID] ?? [] }, primary: first.primary, pipelines: first.pipelines)
      suites.append(SuiteReport(total: total, variants: variants))
      for row in variants { warnings += Self.guardrails(row) }
    }
    self.suites = suites
    bfcl = Self.bfclSummary(tasks: tasks, suites: suites)
    let heatmaps = tasks.compactMap { task -> NeedleHeatmap? in
      guard let grid = task.needle else { return nil }
      let items = (byTask[task.taskID] ?? []).filter(\.scored).compactMap { sample -> (index: Int, recall: Double)? in
        guard let index = sample.index else { return nil }
        return (index, sample.values[task.primary] ?? (sample.correct[task.primary] == true ? 1 : 0))
      }
      return NeedleHeatmap(taskID: task.taskID, language: task.language, settings: grid, items: items)
    }
    needle = heatmaps.isEmpty ? nil : heatmaps
    safety = SafetyReport(tasks: tasks, samples: samples)
    // Across suites the pipelines differ, so a language row reports each task's primary verdict as `score`; a
    // judge's 1-10 rating is on another scale and stays out of them, and so do safety rates (lower is better;
    // the safety section has their language rows).
    let percentTasks = tasks.filter { !Scorer.ratingMetrics.contains($0.primary) && !SafetyReport.isSafety($0) }
    let languageIDs = percentTasks.map(\.language).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
    languages = languageIDs.map { language in
      let languageTasks = percentTasks.filter { $0.language == language }
      let samples = languageTasks.flatMap { task in
        (byTask[task.taskID] ?? []).map { sample in
          ReportSample(
            taskID: sample.taskID, scored: sample.scored, correct: ["score": sample.correct[task.primary] ?? false],
            extracted: sample.extracted.contains(task.primary) ? ["score"] : [], truncated: sample.truncated,
            values: sample.values[task.primary].map { ["score": $0] } ?? [:],
            weights: sample.weights[task.primary].map { ["score": $0] } ?? [:], failure: sample.failure)
        }
      }
      return Self.row(
        label: language, language: language, planned: languageTasks.map(\.planned).reduce(0, +), primary: "score",
        pipelines: ["score"], samples: samples)
    }
    self.warnings = warnings
  }

  static func row(
    label: String, language: String?, planned: Int, primary: String, pipelines: [String], samples: [ReportSample],
    averages: [String: [String]] = [:]
  ) -> ReportRow {
    let scored = samples.filter(\.scored)
    var metrics: [String: ScoreSummary] = [:]
    var extractionFailed: [String: Double] = [:]
    // A metric's per-item values; weighted (a ratio of sums, clustered by item) when items carry weights (an item
    // without one weighs nothing: a turn it does not have, a judgment that could not be parsed).
    func part(_ pipeline: String) -> ScoreSummary.Part {
      let weighted = scored.contains { $0.weights[pipeline] != nil }
      return ScoreSummary.Part(
        scores: scored.map { $0.values[pipeline] ?? ($0.correct[pipeline] == true ? 1 : 0) },
        weights: weighted ? scored.map { $0.weights[pipeline] ?? 0 } : nil)
    }
    for pipeline in pipelines {
      let range: ClosedRange<Double> = Scorer.ratingMetrics.contains(pipeline) ? 0...10 : 0...1
      if let components = averages[pipeline] {
        metrics[pipeline] = ScoreSummary(averaging: components.map(part), range: range)
      } else if CorpusMetric.names.contains(pipeline) {
        metrics[pipeline] = CorpusMetric.summary(pipeline, items: scored.map(\.values))
      } else {
        let values = part(pipeline)
        metrics[pipeline] = ScoreSummary(scores: values.scores, weights: values.weights, range: range)
      }
      extractionFailed[pipeline] =
        scored.isEmpty ? 0 : Double(scored.filter { !$0.extracted.contains(pipeline) }.count) / Double(scored.count)
    }
    let judged = scored.filter { $0.values["unparseable"] != nil }
    let unparseable = judged.isEmpty ? nil : Int(judged.reduce(0) { $0 + ($1.values["unparseable"] ?? 0) })
    let judgments = judged.isEmpty ? nil : Int(judged.reduce(0) { $0 + ($1.weights["judgments"] ?? 0) })
    return ReportRow(
      label: label, language: language, planned: planned, n: scored.count,
      failedRequests: samples.count - scored.count, primary: primary, metrics: metrics,
      truncatedShare: scored.isEmpty ? 0 : Double(scored.filter(\.truncated).count) / Double(scored.count),
      extractionFailedShare: extractionFailed, macroMean: nil, judgments: judgments, unparseable: unparseable,
      firstFailure: samples.first { !$0.scored }?.failure)
  }

  /// By pipeline other than the primary, the scored samples whose verdict differs from the primary's; nil unless the
  /// primary and at least one other pipeline are plain verdicts (no graded values).
  static func verdictsDiffering(samples: [ReportSample], primary: String, pipelines: [String]) -> [String: Int]? {
    let scored = samples.filter(\.scored)
    let verdicts = pipelines.filter { pipeline in !scored.contains { $0.values[pipeline] != nil } }
    guard verdicts.contains(primary), verdicts.count > 1 else { return nil }
    var counts: [String: Int] = [:]
    for pipeline in verdicts where pipeline != primary {
      counts[pipeline] = scored.filter { ($0.correct[pipeline] == true) != ($0.correct[primary] == true) }.count
    }
    return counts
  }

  /// BFCL's figures from the variant rows of the BFCL suites, per way of asking; a category with no scored item
  /// counts as not run.
  static func bfclSummary(tasks: [ReportTask], suites: [SuiteReport]) -> [String: BFCLSummary]? {
    var categories: [String: [String: BFCLSummary.Category]] = [:]
    let rows = Dictionary(suites.flatMap(\.variants).map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
    for task in tasks {
      guard let mode = bfclSuites[task.suiteID], let row = rows[task.taskID], row.n > 0,
        let mean = row.metrics[task.primary]?.mean
      else { continue }
      categories[mode, default: [:]][task.variantID.replacingOccurrences(of: "-", with: "_")] =
        .init(accuracy: mean, count: row.n)
    }
    return categories.isEmpty ? nil : categories.mapValues(BFCLSummary.init)
  }

  static func guardrails(_ row: ReportRow) -> [String] {
    var warnings: [String] = []
    let percent = { (share: Double) in String(format: "%.1f%%", share * 100) }
    if row.truncatedShare > warningThreshold {
      warnings.append(
        "\(row.label): \(percent(row.truncatedShare)) of generations hit max_tokens (finish_reason = length); scores may be understated - raise --max-tokens")
    }
    if let unparseable = row.unparseable, unparseable > 0 {
      warnings.append(
        "\(row.label): \(unparseable) of \(row.judgments ?? unparseable) judge or guard replies had no verdict even when asked twice; they are left out of the means (not counted as 0, safe or a loss) - check the judge or guard model (assay report --samples shows the replies)")
    } else if let failed = row.extractionFailedShare[row.primary], failed > warningThreshold {
      warnings.append(
        "\(row.label): no answer could be extracted (\(row.primary)) from \(percent(failed)) of responses - check the prompt format and the responses (assay report --samples)")
    }
    let attempted = row.n + row.failedRequests
    if row.failedRequests > 0, let failure = row.firstFailure, failure.contains("context_length_exceeded")
      || failure.contains("maximum context length")
    {
      warnings.append(
        "\(row.label): \(row.failedRequests) of \(attempted) prompts do not fit the model's context window and are not scored (\(failure.prefix(300))) - raise --ctx-size (with --runtime llama.cpp, up to the model's own window: --ctx-size 0), lower --max-tokens or --num-fewshot, or use a model with a longer window; rerunning as is will not help")
    } else if row.failedRequests > 0 {
      warnings.append(
        "\(row.label): \(row.failedRequests) of \(attempted) requests failed after retries and are not scored - rerun the same command to retry them")
    }
    if row.n + row.failedRequests < row.planned {
      warnings.append("\(row.label): only \(row.n + row.failedRequests) of \(row.planned) planned samples were run (interrupted?) - rerun the same command to continue")
    }
    return warnings
  }
}

/// A suite's total row and its variant rows.
public struct SuiteReport: Codable, Sendable, Equatable {
  /// All samples of the suite (micro average), with the macro average over variants.
  public var total: ReportRow
  /// One row per variant.
  public var variants: [ReportRow]
}
