import AssayCore

extension SQLiteStore {
  /// The first-pass judgments of a set as battles (FastChat's shape), in the order they were made; skips are left
  /// out.
  public func battles(set: String) throws(AssayError) -> [Battle] {
    let items = Dictionary(try pairItems(set: set).map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
    return try judgments(set: set).compactMap { judgment in
      guard judgment.pass == 0, let item = items[judgment.item], let winner = judgment.verdict.winner(aOnLeft: judgment.aOnLeft)
      else { return nil }
      return Battle(
        modelA: item.modelA, modelB: item.modelB, winner: winner, judge: judgment.rater, questionID: item.key,
        aOnLeft: judgment.aOnLeft)
    }
  }

  /// Each rater's two verdicts on items shown twice (self-consistency), in model terms (`model_a`, `tie`, ...);
  /// skipped judgments are left out.
  public func repeats(set: String) throws(AssayError) -> [(rater: String, item: String, first: String, second: String)] {
    let judgments = try self.judgments(set: set).filter { $0.verdict != .skip }
    var first: [String: String] = [:]
    var pairs: [(rater: String, item: String, first: String, second: String)] = []
    let category = { (j: StoredJudgment) in j.verdict.winner(aOnLeft: j.aOnLeft)?.rawValue ?? "skip" }
    for judgment in judgments where judgment.pass == 0 { first["\(judgment.rater)#\(judgment.item)"] = category(judgment) }
    for judgment in judgments where judgment.pass == 1 {
      if let earlier = first["\(judgment.rater)#\(judgment.item)"] {
        pairs.append((judgment.rater, "\(judgment.item)", earlier, category(judgment)))
      }
    }
    return pairs
  }
}
