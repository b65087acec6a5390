/// Everything `assay ratings` reports for a set of battles.
public struct RatingsSummary: Sendable {
  /// Bradley-Terry ratings.
  public var bradleyTerry: [String: Double]
  /// Bootstrap 95% intervals of the ratings.
  public var intervals: [String: (low: Double, high: Double)]
  /// Models that never lost to anyone outside their group (plain MLE +infinity; rated with a weak prior).
  public var undefeated: [String]
  /// Models that never beat or tied anyone outside their group (plain MLE -infinity).
  public var winless: [String]
  /// Online Elo, for contrast.
  public var onlineElo: [String: Double]
  /// Win, tie and loss shares per model, with a bootstrap interval of the win share.
  public var winRates: [String: WinRate]
  /// Share of decisive judgments that picked the left response, when sides are known.
  public var positionBias: PositionBias?
  /// Cohen's kappa per rater pair (`a|b`).
  public var cohenKappa: [String: Double]
  /// Fleiss' kappa across raters.
  public var fleissKappa: Double?
  /// Krippendorff's alpha (nominal).
  public var krippendorffAlpha: Double?
  /// Per rater, the share of repeated items judged the same way both times.
  public var selfConsistency: [String: Double]
  /// Cohen's kappa between each LLM judge and the humans' majority verdict.
  public var judgeHumanKappa: [String: Double]
  /// Each LLM judge against the humans' majority verdict, on the items both judged.
  public var judgeAgreement: [String: JudgeAgreement]
  /// Battles counted (skips excluded); with LLM judges and human raters both, the humans' only.
  public var battles: Int
  /// The LLM judges' battles, left out of the ratings when people rated too.
  public var judgeBattles: Int

  /// How an LLM judge's verdicts compare with the human majority. Ties and "both bad" count as one verdict here,
  /// since a pairwise judge prompt has no "both bad".
  public struct JudgeAgreement: Sendable, Equatable {
    /// Items the judge and at least one human both gave a verdict on.
    public var items: Int
    /// Share of those where the judge's verdict is the human majority's.
    public var agreement: Double
    /// Share where the human majority picked a winner and the judge picked the other model.
    public var opposite: Double

    /// A judge's record.
    public init(items: Int, agreement: Double, opposite: Double) {
      self.items = items
      self.agreement = agreement
      self.opposite = opposite
    }
  }

  /// A model's record.
  public struct WinRate: Sendable, Equatable {
    /// Battles with the model.
    public var n: Int
    /// Share won.
    public var win: Double
    /// Share tied (both good or both bad).
    public var tie: Double
    /// Share lost.
    public var loss: Double
    /// Bootstrap 95% interval of the win share.
    public var winLow: Double
    /// Upper end.
    public var winHigh: Double
  }

  /// The share of left picks among decisive judgments, with its exact binomial p-value against 1/2.
  public struct PositionBias: Sendable, Equatable {
    /// Decisive judgments with a known side.
    public var decisive: Int
    /// Share that picked the left response.
    public var leftShare: Double
    /// Two-sided exact binomial p-value against no bias.
    public var pValue: Double
  }

  /// Computes the summary. `repeats` holds (rater, item, first verdict, second verdict) for self-consistency;
  /// `llmJudges` names the judges that are models, not people.
  public init(
    battles all: [Battle], rounds: Int, seed: UInt64, llmJudges: Set<String> = [],
    repeats: [(rater: String, item: String, first: String, second: String)] = []
  ) {
    // With people and LLM judges both in the set, the ratings are the people's; the judges are compared with them.
    let human = all.filter { !llmJudges.contains($0.judge) }
    let battles = human.isEmpty ? all : human
    judgeBattles = all.count - human.count
    let model = BradleyTerry()
    let fit = model.fit(battles)
    bradleyTerry = fit.ratings
    undefeated = fit.undefeated
    winless = fit.winless
    intervals = rounds > 0 ? model.bootstrap(battles, rounds: rounds, seed: seed) : [:]
    onlineElo = model.onlineElo(battles)
    self.battles = battles.count

    var rates: [String: WinRate] = [:]
    let models = Set(battles.flatMap { [$0.modelA, $0.modelB] })
    for name in models.sorted() {
      let outcomes: [Double] = battles.compactMap { battle in
        guard battle.modelA == name || battle.modelB == name else { return nil }
        switch battle.winner {
        case .modelA: return battle.modelA == name ? 1 : 0
        case .modelB: return battle.modelB == name ? 1 : 0
        case .tie, .bothBad: return 0.5
        }
      }
      let n = Double(outcomes.count)
      let wins = outcomes.filter { $0 == 1 }.count
      let ties = outcomes.filter { $0 == 0.5 }.count
      let interval = Bootstrap.percentileInterval(
        values: outcomes.map { $0 == 1 ? 1 : 0 }, iterations: max(rounds, 200), seed: seed
      ) { sample in sample.reduce(0, +) / Double(sample.count) }
      rates[name] = WinRate(
        n: outcomes.count, win: Double(wins) / n, tie: Double(ties) / n, loss: Double(outcomes.count - wins - ties) / n,
        winLow: interval.low, winHigh: interval.high)
    }
    winRates = rates

    let sided = battles.filter { $0.aOnLeft != nil && ($0.winner == .modelA || $0.winner == .modelB) }
    if sided.isEmpty {
      positionBias = nil
    } else {
      let left = sided.filter { ($0.winner == .modelA) == $0.aOnLeft! }.count
      positionBias = PositionBias(
        decisive: sided.count, leftShare: Double(left) / Double(sided.count),
        pValue: PairedTests.mcnemarExact(b: left, c: sided.count - left))
    }

    let humans = battles.filter { !llmJudges.contains($0.judge) }
    let ratings = humans.map { Agreement.Rating(item: $0.itemKey, rater: $0.judge, category: $0.category) }
    cohenKappa = Agreement.pairwiseCohen(ratings)
    fleissKappa = Agreement.fleissKappa(ratings)
    krippendorffAlpha = Agreement.krippendorffAlpha(ratings)

    var consistency: [String: (same: Int, total: Int)] = [:]
    for repeat_ in repeats {
      consistency[repeat_.rater, default: (0, 0)].total += 1
      if repeat_.first == repeat_.second { consistency[repeat_.rater, default: (0, 0)].same += 1 }
    }
    selfConsistency = consistency.mapValues { Double($0.same) / Double($0.total) }

    // The humans' majority verdict per item (ties between verdicts broken by name, deterministically).
    var votes: [String: [String: Int]] = [:]
    for rating in ratings { votes[rating.item, default: [:]][rating.category, default: 0] += 1 }
    let majority = votes.mapValues { counts in
      counts.max { $0.value == $1.value ? $0.key > $1.key : $0.value < $1.value }!.key
    }
    var judgeKappa: [String: Double] = [:]
    var agreements: [String: JudgeAgreement] = [:]
    let merged = majority.mapValues { $0 == "bothbad" ? "tie" : $0 }
    for judge in llmJudges.sorted() {
      var verdicts: [String: String] = [:]
      for battle in all where battle.judge == judge && verdicts[battle.itemKey] == nil {
        verdicts[battle.itemKey] = battle.category == "bothbad" ? "tie" : battle.category
      }
      if let kappa = Agreement.cohenKappa(verdicts, merged) { judgeKappa[judge] = kappa }
      let shared = Set(verdicts.keys).intersection(merged.keys)
      guard !shared.isEmpty else { continue }
      let same = shared.filter { verdicts[$0] == merged[$0] }.count
      let opposite = shared.filter { merged[$0] != "tie" && verdicts[$0] != "tie" && verdicts[$0] != merged[$0] }.count
      agreements[judge] = JudgeAgreement(
        items: shared.count, agreement: Double(same) / Double(shared.count), opposite: Double(opposite) / Double(shared.count))
    }
    judgeHumanKappa = judgeKappa
    judgeAgreement = agreements
  }
}
