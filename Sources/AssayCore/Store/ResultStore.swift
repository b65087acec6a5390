/// Identifies one sample of one task within a run.
public struct SampleKey: Hashable, Sendable, Codable {
  /// `suite/variant`.
  public var taskID: String
  /// 0-based row in the dataset file.
  public var index: Int

  /// A key for a task's sample.
  public init(taskID: String, index: Int) {
    self.taskID = taskID
    self.index = index
  }
}

/// What happened to one sample: scored (from the model or the cache) or a request that failed after retries.
public enum SampleOutcome: Sendable, Equatable {
  case scored(ModelResponse, SampleScore, fromCache: Bool)
  case failed(RequestFailure)
}

/// Everything stored for one sample.
public struct SampleRecord: Sendable, Equatable {
  /// Which sample.
  public var key: SampleKey
  /// The response-cache key of its request.
  public var requestKey: String
  /// The endpoint path (`chat/completions`).
  public var endpoint: String
  /// The request body exactly as sent.
  public var requestBody: String
  /// The prompt exactly as sent (messages JSON or raw text).
  public var prompt: String
  /// The normalized target.
  public var target: String
  /// The outcome.
  public var outcome: SampleOutcome

  /// A record of one sample.
  public init(
    key: SampleKey, requestKey: String, endpoint: String, requestBody: String, prompt: String, target: String,
    outcome: SampleOutcome
  ) {
    self.key = key
    self.requestKey = requestKey
    self.endpoint = endpoint
    self.requestBody = requestBody
    self.prompt = prompt
    self.target = target
    self.outcome = outcome
  }
}

/// Where a run's samples and the response cache live (SQLite in `AssayStore`, memory in `AssayTesting`).
public protocol ResultStore: Sendable {
  /// The samples of a run that already have a score (failed requests are not included, so they are retried).
  func scoredSampleKeys(runID: String) async throws -> Set<SampleKey>
  /// Cached responses for the given request keys.
  func cachedResponses(forKeys keys: [String]) async throws -> [String: ModelResponse]
  /// Stores one sample, and its response in the cache when it came from the model, in one transaction.
  func record(_ record: SampleRecord, runID: String) async throws
  /// Caches a response that belongs to no sample of its own (a judge's reply to a grading request).
  func cache(_ response: ModelResponse, key: String, endpoint: String, request: String) async throws
}
