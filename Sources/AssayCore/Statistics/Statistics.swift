/// Summary statistics of per-sample scores.
public struct ScoreSummary: Codable, Sendable, Equatable {
  /// Number of scores.
  public var n: Int
  /// Mean score.
  public var mean: Double
  /// Standard error of the mean: sample standard deviation (n - 1) over sqrt(n), as lm-eval reports it.
  public var stderr: Double
  /// Lower end of the 95% confidence interval (normal approximation), clamped to the score range.
  public var ciLow: Double
  /// Upper end of the 95% confidence interval.
  public var ciHigh: Double

  /// Summarizes scores; an empty list gives n = 0 and NaN-free zeros.
  public init(scores: [Double], range: ClosedRange<Double> = 0...1) {
    n = scores.count
    guard n > 0 else {
      mean = 0
      stderr = 0
      ciLow = 0
      ciHigh = 0
      return
    }
    let mean = scores.reduce(0, +) / Double(n)
    self.mean = mean
    if n > 1 {
      let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
      stderr = variance.squareRoot() / Double(n).squareRoot()
    } else {
      stderr = 0
    }
    ciLow = max(range.lowerBound, mean - 1.959963984540054 * stderr)
    ciHigh = min(range.upperBound, mean + 1.959963984540054 * stderr)
  }

  /// A summary from its parts: the 95% interval is the normal one around the mean, clamped to the range.
  init(n: Int, mean: Double, stderr: Double, range: ClosedRange<Double>) {
    self.n = n
    self.mean = mean
    self.stderr = stderr
    ciLow = max(range.lowerBound, mean - 1.959963984540054 * stderr)
    ciHigh = min(range.upperBound, mean + 1.959963984540054 * stderr)
  }

  /// Half the width of the 95% interval before clamping.
  public var ciHalfWidth: Double { 1.959963984540054 * stderr }
}

extension ScoreSummary {
  /// One metric's per-item scores, each with the number of judgments behind it (nil: one each).
  public struct Part: Sendable {
    /// Per-item scores: the share of the item's judgments that passed (or the item's value).
    public var scores: [Double]
    /// Judgments per item (an IFEval prompt's instruction count); nil weighs every item once.
    public var weights: [Double]?

    /// A metric's scores and weights, item by item.
    public init(scores: [Double], weights: [Double]? = nil) {
      self.scores = scores
      self.weights = weights
    }
  }

  /// The mean of several metrics over the same items (IFEval's average of prompt- and instruction-level
  /// accuracy), each a ratio of sums (judgments passed over judgments made) when weighted. The standard error is
  /// clustered by item: judgments of one item are not independent, so each item's linearized contribution to the
  /// average is one observation (variance n / (n - 1) times the sum of squares, which for one unweighted metric is
  /// exactly the usual standard error of the mean).
  public init(averaging parts: [Part], range: ClosedRange<Double> = 0...1) {
    let n = parts.first?.scores.count ?? 0
    guard n > 0, parts.allSatisfy({ $0.scores.count == n && ($0.weights?.count ?? n) == n }) else {
      self.init(scores: [], range: range)
      return
    }
    var mean = 0.0
    var influence = [Double](repeating: 0, count: n)
    for part in parts {
      let weights = part.weights ?? [Double](repeating: 1, count: n)
      let total = weights.reduce(0, +)
      guard total > 0 else { continue }
      var passed = 0.0
      for item in 0..<n { passed += part.scores[item] * weights[item] }
      let ratio = passed / total
      mean += ratio / Double(parts.count)
      for item in 0..<n {
        influence[item] += (part.scores[item] * weights[item] - ratio * weights[item]) / total / Double(parts.count)
      }
    }
    let variance = Double(n) / Double(n - 1) * influence.reduce(0) { $0 + $1 * $1 }
    self.init(n: n, mean: mean, stderr: n > 1 ? variance.squareRoot() : 0, range: range)
  }

  /// One metric's mean with its clustered standard error: a ratio of sums when weighted (instruction-level
  /// accuracy over prompts), the plain mean otherwise.
  public init(scores: [Double], weights: [Double]?, range: ClosedRange<Double> = 0...1) {
    guard let weights else {
      self.init(scores: scores, range: range)
      return
    }
    // Nothing to weigh (every judgment unparseable, a turn no item has): no data, not a mean of 0.
    guard weights.contains(where: { $0 > 0 }) else {
      self.init(scores: [], range: range)
      return
    }
    self.init(averaging: [Part(scores: scores, weights: weights)], range: range)
  }
}
