import AssayCore
import Foundation

/// `assay score`'s output for responses scored without a model: one JSON object per item, and the totals (per
/// pipeline the mean, its standard error and the share of answers nothing could be extracted from; for IFEval the
/// four accuracies and their average).
public enum ScoreTotals {
  /// One item's line: graded metrics (`{"sample", "exact_match", "f1"}`, 0 to 1) when the scorer has text metrics,
  /// else each pipeline's answer (null when none was extracted) and verdict.
  public static func item(sample: Int, score: SampleScore, scorer: Scorer) -> [String: Any] {
    var object: [String: Any] = ["sample": sample]
    if !scorer.textMetrics.isEmpty {
      for name in scorer.textMetrics { object[name] = score.values[name] ?? 0 }
    } else {
      for name in scorer.pipelineNames {
        object["answer_\(name)"] = score.answers[name] ?? NSNull()
        object["correct_\(name)"] = score.correct[name] ?? false
      }
    }
    return object
  }

  /// The totals of `scores` (one per response, in input order) for a suite variant.
  public static func totals(suite: String, variant: String, scorer: Scorer, scores: [SampleScore]) -> [String: Any] {
    var verdicts: [String: [Double]] = [:]
    // Corpus metrics (span F1) weigh each item by its share of the corpus counts.
    var weights: [String: [Double]] = [:]
    var extracted: [String: Int] = [:]
    for score in scores {
      for name in scorer.pipelineNames {
        verdicts[name, default: []].append(score.values[name] ?? (score.correct[name] == true ? 1 : 0))
        if let weight = score.weights[name] { weights[name, default: []].append(weight) }
        if score.answers[name] != nil { extracted[name, default: 0] += 1 }
      }
    }
    // Corpus chrF sums every item's statistics.
    let itemValues = scores.map(\.values)
    var totals: [String: Any] = ["suite": suite, "variant": variant, "n": scores.count, "primary": scorer.primary]
    for name in scorer.pipelineNames {
      let values = verdicts[name] ?? []
      let summary = CorpusMetric.names.contains(name)
        ? CorpusMetric.summary(name, items: itemValues)
        : ScoreSummary(scores: values, weights: weights[name].flatMap { $0.count == values.count ? $0 : nil })
      totals["accuracy_\(name)"] = summary.mean
      totals["stderr_\(name)"] = summary.stderr
      totals["extraction_failed_\(name)"] = scores.isEmpty ? 0 : 1 - Double(extracted[name] ?? 0) / Double(scores.count)
    }
    return totals
  }

  /// IFEval's totals: the four accuracies under lm-eval's names, their average (Meta's number), and clustered
  /// standard errors (instruction-level accuracies are ratios of sums, weighted by each prompt's instructions).
  public static func instructionFollowing(suite: String, variant: String, primary: String, scores: [SampleScore]) -> [String: Any] {
    var totals: [String: Any] = ["suite": suite, "variant": variant, "n": scores.count, "primary": primary]
    var parts: [ScoreSummary.Part] = []
    for (metric, name) in [("prompt_strict", "prompt_level_strict_acc"), ("inst_strict", "inst_level_strict_acc"),
      ("prompt_loose", "prompt_level_loose_acc"), ("inst_loose", "inst_level_loose_acc")]
    {
      // Instruction-level metrics carry their instruction counts as weights (a ratio of sums, as in reports).
      let weights = scores.compactMap { $0.weights[metric] }
      let part = ScoreSummary.Part(
        scores: scores.map { $0.values[metric] ?? 0 }, weights: weights.count == scores.count ? weights : nil)
      let summary = ScoreSummary(averaging: [part])
      totals[name] = summary.mean
      totals["stderr_\(name)"] = summary.stderr
      parts.append(part)
    }
    let average = ScoreSummary(averaging: parts)
    totals["average"] = average.mean
    totals["stderr_average"] = average.stderr
    return totals
  }

  /// A JSON object as one line with sorted keys and unescaped slashes.
  public static func json(_ object: [String: Any]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }
}
