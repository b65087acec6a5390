/// What grading one item's answer gave: a score, or no score with the reason and whether asking again may give one
/// (a judge that could not be reached), as Inspect's `Score` keeps an unscored outcome apart from a zero. The runner
/// stores an unscored item as failed, with the reason as its error, so running the same command grades it again.
public enum Grade: Sendable, Equatable {
  /// The item's score.
  case scored(SampleScore)
  /// No score: why, and whether a later attempt may give one.
  case unscored(reason: String, retryable: Bool)
}
