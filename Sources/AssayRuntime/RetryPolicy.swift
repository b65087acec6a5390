/// When and how long to wait before retrying a request: full-jitter exponential backoff, honouring `Retry-After`.
public struct RetryPolicy: Sendable, Equatable {
  /// Retries after the first attempt.
  public var maxRetries: Int
  /// The first backoff ceiling, in seconds.
  public var baseDelay: Double
  /// The largest backoff, in seconds.
  public var maxDelay: Double

  /// A policy; defaults suit remote servers (5 retries, 1 s doubling to 60 s).
  public init(maxRetries: Int = 5, baseDelay: Double = 1, maxDelay: Double = 60) {
    self.maxRetries = maxRetries
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
  }

  /// The delay before retry number `retry` (1-based): uniform in [0, min(max, base * 2^(retry-1))], but never less
  /// than the server's `Retry-After` (capped at `maxDelay`).
  public func delay(beforeRetry retry: Int, retryAfter: Double?, random: Double = Double.random(in: 0...1)) -> Double {
    let ceiling = min(maxDelay, baseDelay * Double(1 << min(retry - 1, 30)))
    let jittered = ceiling * random
    guard let retryAfter else { return jittered }
    return max(jittered, min(retryAfter, maxDelay))
  }
}
