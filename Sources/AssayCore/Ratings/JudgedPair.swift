/// An LLM judge's verdict on one comparison item, from two games with the answers' order swapped (A shown first,
/// then B shown first), so a judge that always picks the same position yields a tie, not a win.
public struct JudgedPair: Sendable, Equatable {
  /// Each game's verdict from model A's side, in the order played (A first, then B first).
  public var games: [PairwiseVerdict]
  /// The judge's replies, in the order asked.
  public var replies: [String]

  /// A judged pair.
  public init(games: [PairwiseVerdict], replies: [String]) {
    self.games = games
    self.replies = replies
  }

  /// The verdict as stored with model A on the left: `left` when A wins on weighted average over the games that
  /// gave a verdict, `right` when B does, `tie` when even, `skip` when no game gave one (the judge's replies are
  /// then kept in the note).
  public var verdict: Verdict {
    var score = 0.0
    var weight = 0.0
    for case .verdict(let gameScore, let gameWeight, _) in games {
      score += gameScore * gameWeight
      weight += gameWeight
    }
    guard weight > 0 else { return .skip }
    let share = score / weight
    return share > 0.5 ? .left : share < 0.5 ? .right : .tie
  }

  /// What is stored as the judgment's note: each game's label, and the replies when no game gave a verdict.
  public var note: String {
    let labels = games.enumerated().map { index, game -> String in
      let order = index % 2 == 0 ? "A first" : "B first"
      switch game {
      case .verdict(_, _, let label): return "\(order): \(label)"
      case .unparseable, .missing: return "\(order): no verdict"
      }
    }
    let parsed = games.contains { if case .verdict = $0 { return true } else { return false } }
    return labels.joined(separator: "; ") + (parsed ? "" : "; replies: " + replies.map { String($0.prefix(200)) }.joined(separator: " | "))
  }
}
