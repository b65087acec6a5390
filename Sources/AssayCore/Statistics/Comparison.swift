/// What pairs two runs' items: the suite and the sample id in its string form (a dataset row `12`, or a user's own
/// id such as `sample_12` or `HumanEval/3`), so an integer 12 and a string "12" name the same item.
public struct PairKey: Hashable, Sendable, Comparable {
  /// Suite (task) id.
  public var suite: String
  /// The sample id as text.
  public var sample: String

  /// A key from a suite and a sample id in text.
  public init(suite: String, sample: String) {
    self.suite = suite
    self.sample = sample
  }

  /// The key of a stored sample (its row index).
  public init(_ key: SampleKey) {
    self.init(suite: key.taskID, sample: String(key.index))
  }

  /// The sample id as a row index, when it is one written canonically (`12`, not `012` or `sample_12`).
  public var index: Int? {
    guard let value = Int(sample), value >= 0, String(value) == sample else { return nil }
    return value
  }

  /// By suite, then row indices in numeric order before other ids in string order.
  public static func < (a: PairKey, b: PairKey) -> Bool {
    if a.suite != b.suite { return a.suite < b.suite }
    switch (a.index, b.index) {
    case (let x?, let y?): return x < y
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): return a.sample < b.sample
    }
  }
}

/// One item scored for both models.
public struct PairedItem: Sendable, Equatable {
  /// Suite (task) id.
  public var suite: String
  /// The sample id as text (a row index, or the id a per-item file gave).
  public var sample: String
  /// Baseline score (0/1 or graded).
  public var baseline: Double
  /// Candidate score.
  public var candidate: Double
  /// Whether a lower score is better (a violation or false-refusal rate): a rise is then the regression.
  public var lowerIsBetter: Bool

  /// A paired item.
  public init(suite: String, sample: String, baseline: Double, candidate: Double, lowerIsBetter: Bool = false) {
    self.lowerIsBetter = lowerIsBetter
    self.suite = suite
    self.sample = sample
    self.baseline = baseline
    self.candidate = candidate
  }

  /// A paired item of a stored sample (its row index).
  public init(suite: String, sample: Int, baseline: Double, candidate: Double) {
    self.init(suite: suite, sample: String(sample), baseline: baseline, candidate: candidate)
  }

  /// Its pairing key.
  public var key: PairKey { PairKey(suite: suite, sample: sample) }
}

/// The comparison of one suite (or of everything): scores in percent.
public struct ComparisonRow: Codable, Sendable, Equatable {
  /// Suite id, or `overall`.
  public var suite: String
  /// Paired items.
  public var n: Int
  /// Baseline mean, percent.
  public var baseline: Double
  /// Candidate mean, percent.
  public var candidate: Double
  /// Candidate minus baseline, percentage points.
  public var delta: Double
  /// Paired bootstrap 95% interval of the delta.
  public var ciLow: Double
  /// Upper end.
  public var ciHigh: Double
  /// The test's p-value (Holm-adjusted across suites for suite rows).
  public var pValue: Double
  /// The unadjusted p-value.
  public var pRaw: Double
  /// `mcnemar_exact` for binary scores, `paired_permutation` for graded ones.
  public var test: String
  /// p < alpha.
  public var significant: Bool
  /// Minimum detectable difference (alpha, 80% power), percentage points.
  public var mde: Double
  /// Items right before and wrong now (binary only).
  public var regressed: Int
  /// Items wrong before and right now (binary only).
  public var improved: Int
  /// Whether lower is better in this row (safety rates): a significant rise is its regression.
  public var lowerIsBetter: Bool

  enum CodingKeys: String, CodingKey {
    case suite, n, baseline, candidate, delta, ciLow = "ci_low", ciHigh = "ci_high", pValue = "p_value"
    case pRaw = "p_raw", test, significant, mde, regressed, improved, lowerIsBetter = "lower_is_better"
  }

  /// Whether the row is a significant change for the worse beyond `threshold` points: a drop, or a rise where
  /// lower is better.
  public func isRegression(beyond threshold: Double) -> Bool {
    significant && (lowerIsBetter ? delta > threshold : delta < -threshold)
  }
}

/// Paired comparison of two runs, per suite and overall, with Holm correction across suites.
public struct Comparison: Codable, Sendable, Equatable {
  /// Per-suite rows (Holm-adjusted), then `overall` (all items pooled, unadjusted) last.
  public var suites: [ComparisonRow]
  /// A significant regression larger than the threshold was found.
  public var regression: Bool

  /// Settings of the statistics.
  public struct Settings: Sendable {
    /// Significance level.
    public var alpha: Double
    /// Bootstrap and permutation iterations.
    public var iterations: Int
    /// Seed of all resampling.
    public var seed: UInt64
    /// Regression threshold in percentage points (nil: never a regression).
    public var regressionThreshold: Double?

    /// Settings.
    public init(alpha: Double = 0.05, iterations: Int = 10_000, seed: UInt64 = 0, regressionThreshold: Double? = nil) {
      self.alpha = alpha
      self.iterations = iterations
      self.seed = seed
      self.regressionThreshold = regressionThreshold
    }
  }

  /// Compares paired items. Items where lower is better (safety rates) are pooled apart from the others:
  /// `overall` pools the higher-is-better items, `overall (lower is better)` the rest.
  public init(items: [PairedItem], settings: Settings) {
    let suiteIDs = Array(Set(items.map(\.suite))).sorted()
    var rows = suiteIDs.map { id in Self.row(id, items.filter { $0.suite == id }, settings) }
    let adjusted = PairedTests.holm(rows.map(\.pRaw))
    for index in rows.indices {
      rows[index].pValue = adjusted[index]
      rows[index].significant = adjusted[index] < settings.alpha
    }
    let higher = items.filter { !$0.lowerIsBetter }
    let lower = items.filter(\.lowerIsBetter)
    if !higher.isEmpty || lower.isEmpty { rows.append(Self.row("overall", higher, settings)) }
    if !lower.isEmpty { rows.append(Self.row(Self.overallLower, lower, settings)) }
    suites = rows
    regression = settings.regressionThreshold.map { threshold in
      rows.contains { $0.isRegression(beyond: threshold) }
    } ?? false
  }

  /// The label of the pooled row of lower-is-better items.
  public static let overallLower = "overall (lower is better)"

  static func row(_ suite: String, _ items: [PairedItem], _ settings: Settings) -> ComparisonRow {
    let n = items.count
    let differences = items.map { $0.candidate - $0.baseline }
    let binary = items.allSatisfy { [0, 1].contains($0.baseline) && [0, 1].contains($0.candidate) }
    // Where lower is better, an item going from 0 to 1 (safe to unsafe) is the regression.
    let lowerIsBetter = !items.isEmpty && items.allSatisfy(\.lowerIsBetter)
    let worse = items.filter { lowerIsBetter ? ($0.baseline == 0 && $0.candidate == 1) : ($0.baseline == 1 && $0.candidate == 0) }.count
    let better = items.filter { lowerIsBetter ? ($0.baseline == 1 && $0.candidate == 0) : ($0.baseline == 0 && $0.candidate == 1) }.count
    let (regressed, improved) = (worse, better)
    let p =
      binary
      ? PairedTests.mcnemarExact(b: regressed, c: improved)
      : PairedTests.permutation(differences: differences, iterations: settings.iterations, seed: settings.seed)
    let interval = PairedTests.bootstrapInterval(differences: differences, iterations: settings.iterations, seed: settings.seed)
    let mean = { (values: [Double]) in values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
    return ComparisonRow(
      suite: suite, n: n, baseline: 100 * mean(items.map(\.baseline)), candidate: 100 * mean(items.map(\.candidate)),
      delta: 100 * mean(differences), ciLow: 100 * interval.low, ciHigh: 100 * interval.high, pValue: p, pRaw: p,
      test: binary ? "mcnemar_exact" : "paired_permutation", significant: p < settings.alpha,
      mde: 100 * PairedTests.minimumDetectableDifference(differences: differences, alpha: settings.alpha),
      regressed: binary ? regressed : 0, improved: binary ? improved : 0, lowerIsBetter: lowerIsBetter)
  }
}
