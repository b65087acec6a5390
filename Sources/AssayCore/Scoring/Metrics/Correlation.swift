/// Correlations of predicted and gold similarity scores, as scipy.stats computes them: `pearsonr` and `spearmanr`
/// (Pearson's r of the ranks, ties given their average rank as `rankdata(method="average")`).
public enum Correlation {
  /// Pearson's r; nil when either side is constant or there are fewer than 2 pairs (scipy returns NaN).
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    let n = min(x.count, y.count)
    guard n >= 2 else { return nil }
    let meanX = x.prefix(n).reduce(0, +) / Double(n)
    let meanY = y.prefix(n).reduce(0, +) / Double(n)
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for index in 0..<n {
      let dx = x[index] - meanX, dy = y[index] - meanY
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return nil }
    // scipy clips r to [-1, 1] against rounding.
    return max(-1, min(1, sxy / (sxx.squareRoot() * syy.squareRoot())))
  }

  /// Spearman's rho: Pearson's r of the average ranks; nil when either side is constant.
  public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
    let n = min(x.count, y.count)
    return pearson(averageRanks(Array(x.prefix(n))), averageRanks(Array(y.prefix(n))))
  }

  /// 1-based ranks, tied values sharing the mean of the ranks they span.
  public static func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
      let rank = Double(start + end + 2) / 2
      for position in start...end { ranks[order[position]] = rank }
      start = end + 1
    }
    return ranks
  }
}
