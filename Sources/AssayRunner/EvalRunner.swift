import AssayCore
import Logging

/// Runs tasks against a runtime: skips samples already scored in this run, answers what it can from the response
/// cache, and keeps exactly `concurrency` requests in flight until the work is done.
public struct EvalRunner: Sendable {
  private let runtime: any ModelRuntime
  private let store: any ResultStore
  private let concurrency: Int
  private let logger: Logger

  /// A runner over a runtime and a store.
  public init(runtime: any ModelRuntime, store: any ResultStore, concurrency: Int, logger: Logger) {
    self.runtime = runtime
    self.store = store
    self.concurrency = max(1, concurrency)
    self.logger = logger
  }

  /// One sample's planned work; the request body and its cache key are computed once here.
  struct WorkItem: Sendable {
    let task: EvalTask
    let sample: Sample
    let request: ModelRequest
    let key: SampleKey
    let body: String
    let cacheKey: String

    init(task: EvalTask, sample: Sample, request: ModelRequest) {
      self.task = task
      self.sample = sample
      self.request = request
      key = SampleKey(taskID: task.id, index: sample.index)
      let bytes = request.jsonBody()
      body = String(decoding: bytes, as: UTF8.self)
      cacheKey = ModelRequest.cacheKey(endpoint: request.endpoint, body: bytes)
    }
  }

  /// Runs every task's first `limit` samples (all when nil) and returns what happened.
  public func run(
    runID: String, tasks: [EvalTask], options: GenerationOptions, limit: Int?,
    progress: any ProgressReporter = SilentProgress()
  ) async throws -> RunTally {
    // Render every request before the first one is sent, so a template error stops the run cleanly.
    var items: [WorkItem] = []
    for task in tasks {
      let samples = limit.map { Array(task.samples.prefix($0)) } ?? task.samples
      for sample in samples {
        let request: ModelRequest
        do {
          request = try task.request(for: sample, options: options)
        } catch {
          throw AssayError(error.code, "\(error.message) - while rendering sample \(sample.index) of \(task.id)",
            fix: error.fix)
        }
        items.append(WorkItem(task: task, sample: sample, request: request))
      }
    }
    let done = try await store.scoredSampleKeys(runID: runID)
    let pending = items.filter { !done.contains($0.key) }
    let cached = try await store.cachedResponses(forKeys: pending.map(\.cacheKey))
    var tally = RunTally(total: items.count, alreadyScored: items.count - pending.count)
    progress.start(total: items.count, alreadyDone: tally.alreadyScored)
    logger.info(
      "plan", metadata: ["samples": "\(items.count)", "already_scored": "\(tally.alreadyScored)", "cached": "\(cached.count)"])

    var toSend: [WorkItem] = []
    for item in pending {
      try Task.checkCancellation()
      if let response = cached[item.cacheKey] {
        let record = makeRecord(item, outcome: .scored(response, score(item, response), fromCache: true))
        try await store.record(record, runID: runID)
        tally.fromCache += 1
        progress.advance(failed: false, cached: true)
      } else {
        toSend.append(item)
      }
    }

    try await withThrowingTaskGroup(of: SampleOutcome.self) { group in
      var next = toSend.makeIterator()
      func startNext() -> Bool {
        guard !Task.isCancelled, let item = next.next() else { return false }
        group.addTask { try await self.process(item, runID: runID) }
        return true
      }
      for _ in 0..<concurrency where !startNext() { break }
      while let outcome = try await group.next() {
        switch outcome {
        case .scored: tally.sent += 1
        case .failed: tally.failed += 1
        }
        progress.advance(failed: { if case .failed = outcome { return true } else { return false } }(), cached: false)
        _ = startNext()
      }
    }
    try Task.checkCancellation()
    progress.finish()
    return tally
  }

  private func process(_ item: WorkItem, runID: String) async throws -> SampleOutcome {
    let outcome: SampleOutcome
    switch await runtime.generate(item.request) {
    case .success(let response):
      outcome = .scored(response, score(item, response), fromCache: false)
    case .failure(let failure):
      if Task.isCancelled { throw CancellationError() }
      logger.warning(
        "request failed after retries",
        metadata: ["task": "\(item.task.id)", "sample": "\(item.sample.index)", "error": "\(failure.message)"])
      outcome = .failed(failure)
    }
    try await store.record(makeRecord(item, outcome: outcome), runID: runID)
    return outcome
  }

  private func score(_ item: WorkItem, _ response: ModelResponse) -> SampleScore {
    item.task.scorer.score(response: response.text, target: item.sample.target)
  }

  private func makeRecord(_ item: WorkItem, outcome: SampleOutcome) -> SampleRecord {
    SampleRecord(
      key: item.key, requestKey: item.cacheKey, endpoint: item.request.endpoint, requestBody: item.body,
      prompt: item.request.promptText,
      target: item.sample.target, outcome: outcome)
  }
}

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

  /// A tally for a plan.
  public init(total: Int, alreadyScored: Int) {
    self.total = total
    self.alreadyScored = alreadyScored
  }
}
