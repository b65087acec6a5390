import Foundation

/// Significance tests and intervals for paired per-item scores (the same items scored for two models).
public enum PairedTests {
  /// McNemar's exact test: two-sided binomial test (p = 1/2) on the discordant pairs, `b` items right only in the
  /// baseline and `c` right only in the candidate. Computed in log space, exact to double precision.
  public static func mcnemarExact(b: Int, c: Int) -> Double {
    let n = b + c
    guard n > 0 else { return 1 }
    let k = min(b, c)
    // 2 * P(X <= k), X ~ Binomial(n, 1/2), summed from the largest term down for accuracy.
    let logHalfN = Double(n) * log(0.5)
    var terms: [Double] = []
    for i in 0...k { terms.append(logChoose(n, i) + logHalfN) }
    let maxTerm = terms.max()!
    let tail = exp(maxTerm) * terms.reduce(0) { $0 + exp($1 - maxTerm) }
    return min(1, 2 * tail)
  }

  /// log C(n, k).
  static func logChoose(_ n: Int, _ k: Int) -> Double {
    lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
  }

  /// Paired permutation (sign-flip) test of mean difference zero, two-sided, `(hits + 1) / (iterations + 1)`.
  public static func permutation(differences: [Double], iterations: Int, seed: UInt64) -> Double {
    guard !differences.isEmpty else { return 1 }
    let observed = abs(differences.reduce(0, +))
    if observed == 0 { return 1 }
    var generator = SeededGenerator(seed: seed)
    var hits = 0
    for _ in 0..<iterations {
      var sum = 0.0
      var bits: UInt64 = 0
      for (index, d) in differences.enumerated() {
        if index % 64 == 0 { bits = generator.next() }
        sum += (bits & 1) == 1 ? d : -d
        bits >>= 1
      }
      if abs(sum) >= observed - 1e-12 { hits += 1 }
    }
    return Double(hits + 1) / Double(iterations + 1)
  }

  /// Percentile bootstrap interval of the mean difference, resampling items (pairs stay together).
  public static func bootstrapInterval(
    differences: [Double], iterations: Int, seed: UInt64, level: Double = 0.95
  ) -> (low: Double, high: Double) {
    Bootstrap.percentileInterval(values: differences, iterations: iterations, seed: seed, level: level) { sample in
      sample.reduce(0, +) / Double(sample.count)
    }
  }

  /// Holm's step-down adjustment of p-values (family-wise error), in the input order.
  public static func holm(_ pValues: [Double]) -> [Double] {
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var adjusted = [Double](repeating: 1, count: pValues.count)
    var running = 0.0
    for (rank, index) in order.enumerated() {
      running = max(running, min(1, Double(pValues.count - rank) * pValues[index]))
      adjusted[index] = running
    }
    return adjusted
  }

  /// The smallest true mean difference a paired two-sided test at `alpha` detects with `power`, given the
  /// observed spread of differences: (z(1 - alpha/2) + z(power)) * sd(d) / sqrt(n).
  public static func minimumDetectableDifference(differences: [Double], alpha: Double, power: Double = 0.8) -> Double {
    let n = Double(differences.count)
    guard n > 1 else { return .infinity }
    let mean = differences.reduce(0, +) / n
    let sd = (differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
    return (Normal.quantile(1 - alpha / 2) + Normal.quantile(power)) * sd / n.squareRoot()
  }
}

/// The standard normal distribution.
public enum Normal {
  /// The cumulative distribution function.
  public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

  /// The inverse CDF (Acklam's rational approximation refined by one Newton step; |error| < 1e-12).
  public static func quantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "quantile needs 0 < p < 1")
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
      -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
      -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
      4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
      let q = (-2 * log(p)).squareRoot()
      x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
      let q = p - 0.5
      let r = q * q
      x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
      let q = (-2 * log(1 - p)).squareRoot()
      x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let e = cdf(x) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    return x - u / (1 + x * u / 2)
  }
}
