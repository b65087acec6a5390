/// Receives progress of a run; the CLI draws a bar on a TTY or logs lines otherwise.
public protocol ProgressReporter: Sendable {
  /// The run starts with `total` samples, `alreadyDone` of them scored before.
  func start(total: Int, alreadyDone: Int)
  /// One more sample is done.
  func advance(failed: Bool, cached: Bool)
  /// The run is over.
  func finish()
}

/// A reporter that reports nothing.
public struct SilentProgress: ProgressReporter {
  /// A silent reporter.
  public init() {}
  public func start(total: Int, alreadyDone: Int) {}
  public func advance(failed: Bool, cached: Bool) {}
  public func finish() {}
}
