import Synchronization

/// Something a runtime tells when the server pushes back (HTTP 429), so the harness sends less.
public protocol RateLimitObserver: Sendable {
  /// The server answered 429 Too Many Requests (the request is retried by the runtime).
  func rateLimited()
}

/// The number of requests to keep in flight, adapted to the server (`--adaptive-concurrency`): it starts at the
/// given limit, grows while latency holds, and halves when the server answers 429.
///
/// Additive increase, multiplicative decrease, judged once per window of completions (as many as the limit):
/// a window whose median latency stays within `tolerance` of the best window seen so far grows the limit by
/// an eighth (at least 1); a window with a 429 halves it (once per window, however many 429s arrive together);
/// a window whose latency rose past the tolerance takes a tenth off, since more requests only queue. After a
/// decrease, 429s are not counted until as many requests as the old limit have completed (they answer requests sent
/// under the old limit).
public final class AdaptiveConcurrency: RateLimitObserver {
  /// The lowest and highest limits.
  public let minimum: Int, maximum: Int
  /// Median latency may rise by this factor over the best window before growth stops.
  public let tolerance: Double
  private let state: Mutex<State>

  struct State {
    var limit: Int
    var window: [Double] = []
    var baseline: Double?
    var rateLimited = false
    /// Completions left after a decrease during which 429s are not counted: they answer requests sent under the
    /// old limit (as many as the old limit are still in flight when it drops), so one burst halves the limit once.
    var coolingDown = 0
    var history: [Int] = []
  }

  /// A controller starting at `initial` requests in flight.
  public init(initial: Int, minimum: Int = 1, maximum: Int, tolerance: Double = 1.5) {
    self.minimum = max(1, minimum)
    self.maximum = max(self.minimum, maximum)
    self.tolerance = tolerance
    state = Mutex(State(limit: min(max(initial, self.minimum), self.maximum)))
  }

  /// The current number of requests to keep in flight.
  public var limit: Int { state.withLock { $0.limit } }

  /// Every limit the controller moved to, in order (for the run's summary and tests).
  public var history: [Int] { state.withLock { $0.history } }

  public func rateLimited() {
    state.withLock { if $0.coolingDown == 0 { $0.rateLimited = true } }
  }

  /// Records one completed request's latency (of its successful attempt) and adapts at the end of a window.
  public func completed(latencyMs: Double) {
    state.withLock { s in
      s.window.append(latencyMs)
      if s.coolingDown > 0 { s.coolingDown -= 1 }
      guard s.window.count >= max(s.limit, 8) else { return }
      let sorted = s.window.sorted()
      let median = sorted[sorted.count / 2]
      s.window.removeAll(keepingCapacity: true)
      let previous = s.limit
      if s.coolingDown > 0 {
        // Requests sent under the old limit are still finishing: nothing to judge the new one by yet.
        return
      }
      if s.rateLimited {
        s.limit = max(minimum, s.limit / 2)
        s.rateLimited = false
      } else if let baseline = s.baseline, median > baseline * tolerance {
        s.limit = max(minimum, s.limit - max(1, s.limit / 10))
      } else {
        s.limit = min(maximum, s.limit + max(1, s.limit / 8))
      }
      s.baseline = min(s.baseline ?? median, median)
      if s.limit < previous { s.coolingDown = previous }
      if s.limit != previous { s.history.append(s.limit) }
    }
  }
}
