import Foundation

/// Multiple choice by log-likelihood: the log-probability of each choice's continuation after its context, and
/// the verdicts lm-eval reports (`acc`, byte-length-normalized `acc_norm`, and `mc2`'s probability mass).
public enum ChoiceRanking {
  /// The metrics a `rank_choices` scorer may report.
  public static let metrics = ["acc", "acc_norm", "mc2"]

  /// One choice's measured continuation.
  public struct ChoiceLikelihood: Codable, Sendable, Equatable {
    /// Sum of the continuation tokens' log-probabilities.
    public var logprob: Double
    /// The `acc_norm` denominator: UTF-8 bytes of the continuation, or its characters (`scorer.acc_norm`).
    public var bytes: Int
    /// Tokens counted.
    public var tokens: Int

    /// A measured continuation.
    public init(logprob: Double, bytes: Int, tokens: Int) {
      self.logprob = logprob
      self.bytes = bytes
      self.tokens = tokens
    }
  }

  /// Sums the log-probabilities of the tokens that end after the context (`contextLength` Unicode scalars) and
  /// start before the end of the prompt (`promptLength`); the generated token after the echo is left out.
  /// Nil when the server returned no usable log-probabilities for the continuation.
  public static func continuationLogprob(
    _ logprobs: TokenLogprobs, contextLength: Int, promptLength: Int
  ) -> (logprob: Double, tokens: Int)? {
    var total = 0.0
    var counted = 0
    let count = logprobs.tokens.count
    for index in 0..<count {
      let start = logprobs.offsets[index]
      guard start < promptLength else { break }
      let end = index + 1 < count ? logprobs.offsets[index + 1] : promptLength
      guard end > contextLength || start >= contextLength else { continue }
      guard let value = logprobs.logprobs[index] else { return nil }
      total += value
      counted += 1
    }
    return counted == 0 ? nil : (total, counted)
  }

  /// Verdicts for one item given each choice's likelihood and the correct indices.
  public static func score(
    _ choices: [ChoiceLikelihood], correct: [Int], metrics: [String], primary: String
  ) -> SampleScore {
    var answers: [String: String] = [:]
    var verdicts: [String: Bool] = [:]
    var notes: [String] = []
    var values: [String: Double] = [:]
    func argmax(_ values: [Double]) -> Int {
      var best = 0
      for index in values.indices where values[index] > values[best] { best = index }
      return best
    }
    for metric in metrics {
      switch metric {
      case "acc", "acc_norm":
        let values = metric == "acc" ? choices.map(\.logprob) : choices.map { $0.logprob / Double(max(1, $0.bytes)) }
        let pick = argmax(values)
        answers[metric] = Sample.letter(pick)
        verdicts[metric] = correct.contains(pick)
        notes.append("\(metric): \(Sample.letter(pick)) \(correct.contains(pick) ? "=" : "≠") \(correct.map(Sample.letter).joined(separator: "/"))")
      case "mc2":
        // Probability mass on the true answers; counted correct when it is above one half.
        let peak = choices.map(\.logprob).max() ?? 0
        let weights = choices.map { exp($0.logprob - peak) }
        let mass = correct.map { weights[$0] }.reduce(0, +) / max(weights.reduce(0, +), .leastNormalMagnitude)
        answers[metric] = String(format: "%.6f", mass)
        verdicts[metric] = mass > 0.5
        values[metric] = mass
        notes.append("mc2: true mass \(String(format: "%.4f", mass))")
      default:
        continue
      }
    }
    return SampleScore(answers: answers, correct: verdicts, primary: primary, explanation: notes.joined(separator: "; "), values: values)
  }
}
