/// The Wilson score interval of a binomial proportion: unlike the normal interval it stays inside [0, 1] and is
/// not empty at 0 or n successes, which matters for violation rates near 0.
public struct WilsonInterval: Codable, Sendable, Equatable {
  /// Lower bound, 0...1.
  public var low: Double
  /// Upper bound, 0...1.
  public var high: Double

  /// The interval of `successes` out of `n` at the normal quantile `z` (1.959964 for 95%); [0, 1] when n is 0.
  public init(successes: Int, n: Int, z: Double = 1.959963984540054) {
    guard n > 0 else {
      low = 0
      high = 1
      return
    }
    let count = Double(n)
    let p = Double(successes) / count
    let z2 = z * z
    let center = (p + z2 / (2 * count)) / (1 + z2 / count)
    let half = z / (1 + z2 / count) * (p * (1 - p) / count + z2 / (4 * count * count)).squareRoot()
    low = max(0, center - half)
    high = min(1, center + half)
  }
}
