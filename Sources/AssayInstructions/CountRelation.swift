/// A comparison of a count with a threshold, as the instruction checkers state it: IFEval's "less than" and
/// "at least", and M-IFEval Spanish's "como máximo" (at most). Each language parses its own words for them.
public enum CountRelation: Sendable, Equatable {
  /// count < threshold.
  case lessThan
  /// count >= threshold.
  case atLeast
  /// count <= threshold.
  case atMost

  /// Whether `count` stands in this relation to `threshold`.
  func holds(_ count: Int, _ threshold: Int) -> Bool {
    switch self {
    case .lessThan: return count < threshold
    case .atLeast: return count >= threshold
    case .atMost: return count <= threshold
    }
  }
}
