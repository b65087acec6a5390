/// Seeded percentile bootstrap for any statistic of a list of values.
public enum Bootstrap {
  /// The `level` percentile interval of `statistic` over `iterations` resamples with replacement.
  public static func percentileInterval(
    values: [Double], iterations: Int, seed: UInt64, level: Double = 0.95, statistic: ([Double]) -> Double
  ) -> (low: Double, high: Double) {
    guard !values.isEmpty, iterations > 0 else { return (0, 0) }
    var generator = SeededGenerator(seed: seed)
    var estimates: [Double] = []
    estimates.reserveCapacity(iterations)
    var sample = [Double](repeating: 0, count: values.count)
    for _ in 0..<iterations {
      for i in 0..<values.count { sample[i] = values[generator.index(below: values.count)] }
      estimates.append(statistic(sample))
    }
    estimates.sort()
    let tail = (1 - level) / 2
    return (quantile(estimates, tail), quantile(estimates, 1 - tail))
  }

  /// Linear-interpolation quantile of sorted values (numpy's default).
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let weight = position - Double(lower)
    return sorted[lower] * (1 - weight) + sorted[upper] * weight
  }
}

/// Standard error of a mean when items come in clusters (several turns or judgments per question): the
/// cluster-robust (sandwich) estimator with the small-sample factor G / (G - 1).
public enum ClusteredStandardError {
  /// The clustered standard error of the mean of `values`, grouped by `clusters` (same length).
  public static func of(values: [Double], clusters: [String]) -> Double {
    precondition(values.count == clusters.count, "one cluster id per value")
    let n = Double(values.count)
    guard n > 1 else { return 0 }
    let mean = values.reduce(0, +) / n
    var sums: [String: Double] = [:]
    for (value, cluster) in zip(values, clusters) { sums[cluster, default: 0] += value - mean }
    let g = Double(sums.count)
    guard g > 1 else { return 0 }
    let total = sums.values.reduce(0) { $0 + $1 * $1 }
    return (g / (g - 1) * total).squareRoot() / n
  }
}
