import AssayCore

/// Counts of what a run did.
public struct RunTally: Sendable, Equatable {
  /// Samples in the plan.
  public var total: Int
  /// Samples scored by an earlier invocation of this run.
  public var alreadyScored: Int
  /// Samples answered from the response cache.
  public var fromCache = 0
  /// Requests that reached the model and were scored.
  public var sent = 0
  /// Requests that failed after retries.
  public var failed = 0
  /// HTTP calls made for the items sent (choices, turns and samples each count; a list of prompts counts once).
  public var calls = 0
  /// Seconds from the first request sent to the last answer.
  public var sendSeconds = 0.0
  /// Items in flight on average over `sendSeconds` (each holds one request at a time).
  public var meanInFlight = 0.0

  /// A tally for a plan.
  public init(total: Int, alreadyScored: Int) {
    self.total = total
    self.alreadyScored = alreadyScored
  }
}
