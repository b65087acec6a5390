/// Inter-rater agreement on categorical verdicts: Cohen's kappa per rater pair, Fleiss' kappa, and Krippendorff's
/// alpha (nominal). A rating is (item, rater, category).
public enum Agreement {
  /// One rater's verdict on one item.
  public struct Rating: Sendable, Equatable {
    /// The item.
    public var item: String
    /// The rater.
    public var rater: String
    /// The verdict.
    public var category: String

    /// A rating.
    public init(item: String, rater: String, category: String) {
      self.item = item
      self.rater = rater
      self.category = category
    }
  }

  /// Cohen's kappa for two raters over the items both rated (nil when they share fewer than 2 items or chance
  /// agreement is total).
  public static func cohenKappa(_ first: [String: String], _ second: [String: String]) -> Double? {
    let items = Set(first.keys).intersection(second.keys)
    guard items.count >= 2 else { return nil }
    let n = Double(items.count)
    var agree = 0.0
    var marginalA: [String: Double] = [:]
    var marginalB: [String: Double] = [:]
    for item in items {
      let a = first[item]!, b = second[item]!
      if a == b { agree += 1 }
      marginalA[a, default: 0] += 1
      marginalB[b, default: 0] += 1
    }
    let observed = agree / n
    let expected = marginalA.reduce(0) { $0 + ($1.value / n) * ((marginalB[$1.key] ?? 0) / n) }
    guard expected < 1 else { return nil }
    return (observed - expected) / (1 - expected)
  }

  /// Cohen's kappa for every pair of raters ("a|b", names sorted), using each rater's first verdict per item.
  public static func pairwiseCohen(_ ratings: [Rating]) -> [String: Double] {
    var byRater: [String: [String: String]] = [:]
    for rating in ratings where byRater[rating.rater]?[rating.item] == nil {
      byRater[rating.rater, default: [:]][rating.item] = rating.category
    }
    let raters = byRater.keys.sorted()
    var result: [String: Double] = [:]
    for (i, a) in raters.enumerated() {
      for b in raters[(i + 1)...] {
        if let kappa = cohenKappa(byRater[a]!, byRater[b]!) { result["\(a)|\(b)"] = kappa }
      }
    }
    return result
  }

  /// Groups first verdicts per (item, rater) into per-item category lists, keeping items with at least 2 ratings.
  static func units(_ ratings: [Rating]) -> [[String]] {
    var seen: Set<String> = []
    var byItem: [String: [String]] = [:]
    for rating in ratings where seen.insert("\(rating.item)\u{0}\(rating.rater)").inserted {
      byItem[rating.item, default: []].append(rating.category)
    }
    return byItem.keys.sorted().compactMap { byItem[$0]!.count >= 2 ? byItem[$0]! : nil }
  }

  /// Fleiss' kappa over items with at least 2 ratings (the standard formula, generalized to varying raters per
  /// item: each item's agreement is averaged over its own rater pairs).
  public static func fleissKappa(_ ratings: [Rating]) -> Double? {
    let units = units(ratings)
    guard !units.isEmpty else { return nil }
    var agreement = 0.0
    var totals: [String: Double] = [:]
    var all = 0.0
    for unit in units {
      let m = Double(unit.count)
      var counts: [String: Double] = [:]
      for category in unit { counts[category, default: 0] += 1 }
      agreement += counts.values.reduce(0) { $0 + $1 * ($1 - 1) } / (m * (m - 1))
      for (category, count) in counts { totals[category, default: 0] += count }
      all += m
    }
    let observed = agreement / Double(units.count)
    let expected = totals.values.reduce(0) { $0 + ($1 / all) * ($1 / all) }
    guard expected < 1 else { return nil }
    return (observed - expected) / (1 - expected)
  }

  /// Krippendorff's alpha for nominal data, from the coincidence matrix.
  public static func krippendorffAlpha(_ ratings: [Rating]) -> Double? {
    let units = units(ratings)
    guard !units.isEmpty else { return nil }
    var coincidence: [String: [String: Double]] = [:]
    for unit in units {
      let m = Double(unit.count)
      for (i, c) in unit.enumerated() {
        for (j, k) in unit.enumerated() where i != j { coincidence[c, default: [:]][k, default: 0] += 1 / (m - 1) }
      }
    }
    var marginals: [String: Double] = [:]
    for (c, row) in coincidence { marginals[c] = row.values.reduce(0, +) }
    let n = marginals.values.reduce(0, +)
    var disagreementObserved = 0.0
    for (c, row) in coincidence { for (k, value) in row where k != c { disagreementObserved += value } }
    var disagreementExpected = 0.0
    for (c, nc) in marginals { for (k, nk) in marginals where k != c { disagreementExpected += nc * nk } }
    guard disagreementExpected > 0 else { return nil }
    return 1 - (n - 1) * disagreementObserved / disagreementExpected
  }
}
