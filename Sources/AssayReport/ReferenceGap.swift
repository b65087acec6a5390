/// A published row a preset names that the report has no comparison for, and why: its suite did not run (data
/// absent), or ran without a published configuration to compare it with.
public struct ReferenceGap: Codable, Sendable, Equatable {
  /// The published benchmark name (`GPQA (CoT)`).
  public var benchmark: String
  /// The preset entry's suite.
  public var suite: String
  /// The published score for the reference model, when there is one.
  public var published: Double?
  /// Where that score comes from.
  public var source: String?
  /// Why there is no comparison.
  public var reason: String
  /// How to get one, when known.
  public var fix: String?

  enum CodingKeys: String, CodingKey { case benchmark, suite, published, source, reason, fix }

  /// A gap.
  public init(benchmark: String, suite: String, published: Double?, source: String?, reason: String, fix: String?) {
    self.benchmark = benchmark
    self.suite = suite
    self.published = published
    self.source = source
    self.reason = reason
    self.fix = fix
  }

  /// The published rows of a preset's entries with no comparison row, in preset order: for each entry, each row it
  /// reproduces that has a published number for `model` and was not compared, because the entry's suite did not run
  /// (its variants' reasons), or ran and has no published configuration (`results/reference/meta_configs.json`).
  /// Rows of a suite that was compared under another name of the same configuration are not gaps. Variants of a run
  /// entry that were skipped are listed too, as the comparison then covers only part of the suite.
  public static func find(
    entries: [PresetEntryOutcome], compared: [ReferenceComparisonRow], model: String, rows: [ReferenceRow],
    configurations: [String: PublishedConfiguration]
  ) -> [ReferenceGap] {
    var gaps: [ReferenceGap] = []
    var named: Set<String> = []
    for entry in entries {
      for benchmark in entry.reproduces where !named.contains(benchmark) {
        named.insert(benchmark)
        let published = rows.filter { $0.model == model && $0.benchmark == benchmark && !$0.secondHand }
        guard !published.isEmpty else { continue }
        let row = published.first { $0.source.contains("MODEL_CARD") } ?? published[0]
        func gap(_ reason: String, _ fix: String?) -> ReferenceGap {
          ReferenceGap(benchmark: benchmark, suite: entry.suite, published: row.score, source: row.source, reason: reason, fix: fix)
        }
        let skipped = entry.skipped.map(\.variant).joined(separator: ", ")
        let why = entry.skipped.first
        if entry.variantsRun.isEmpty {
          gaps.append(gap("not run: \(why?.reason ?? "no variant of \(entry.suite) is in this run")", why?.fix))
        } else if compared.contains(where: { $0.benchmark == benchmark }) {
          if !entry.skipped.isEmpty {
            gaps.append(gap("compared on part of \(entry.suite) only: variant(s) \(skipped) not run: \(why?.reason ?? "")", why?.fix))
          }
        } else if configurations[benchmark]?.suite == entry.suite {
          // Compared under another name of the same configuration (the card's and the paper's name for one number).
          continue
        } else {
          gaps.append(gap(
            "ran as \(entry.suite), not compared: results/reference/meta_configs.json states no configuration for '\(benchmark)'",
            nil))
        }
      }
    }
    return gaps
  }
}

/// A preset entry as a run met it: the rows it reproduces, the variants that ran, and those skipped, with why.
public struct PresetEntryOutcome: Codable, Sendable, Equatable {
  /// One variant left out.
  public struct Skipped: Codable, Sendable, Equatable {
    /// The variant id.
    public var variant: String
    /// Why (the missing file, where it was looked for).
    public var reason: String
    /// How to get it.
    public var fix: String?

    /// A skipped variant.
    public init(variant: String, reason: String, fix: String?) {
      self.variant = variant
      self.reason = reason
      self.fix = fix
    }
  }

  /// The suite id.
  public var suite: String
  /// The published rows the entry reproduces.
  public var reproduces: [String]
  /// Variant ids that are in the run.
  public var variantsRun: [String]
  /// Variants that are not.
  public var skipped: [Skipped]

  enum CodingKeys: String, CodingKey { case suite, reproduces, variantsRun = "variants_run", skipped }

  /// An entry's outcome.
  public init(suite: String, reproduces: [String], variantsRun: [String], skipped: [Skipped]) {
    self.suite = suite
    self.reproduces = reproduces
    self.variantsRun = variantsRun
    self.skipped = skipped
  }
}
