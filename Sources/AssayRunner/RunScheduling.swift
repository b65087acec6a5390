import AssayCore

/// How a run sends its work: the adaptive controller (nil: exactly `concurrency` in flight), prompts per
/// `/v1/completions` call for log-likelihood items, and the shard of the work this process takes.
public struct RunScheduling: Sendable {
  /// Adapts the number of requests in flight to the server; nil keeps it fixed.
  public var adaptive: AdaptiveConcurrency?
  /// Choices of a log-likelihood item sent in one call (`"prompt": [...]`); 1 sends one prompt per call.
  public var promptsPerRequest: Int
  /// This process's share of the run; nil runs it all.
  public var shard: ShardSpec?

  /// Scheduling options; the defaults send one prompt per call, at a fixed concurrency, unsharded.
  public init(adaptive: AdaptiveConcurrency? = nil, promptsPerRequest: Int = 1, shard: ShardSpec? = nil) {
    self.adaptive = adaptive
    self.promptsPerRequest = promptsPerRequest
    self.shard = shard
  }
}

extension GenerationOutcome {
  /// The outcome as a batch of one.
  var batch: BatchOutcome {
    switch self {
    case .success(let response): return .success([response])
    case .failure(let failure): return .failure(failure)
    }
  }
}
