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

  /// Half the width of the 95% interval before clamping.
  public var ciHalfWidth: Double { 1.959963984540054 * stderr }
}
