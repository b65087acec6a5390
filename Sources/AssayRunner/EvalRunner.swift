import AssayCore
import Logging

/// Runs tasks against a runtime: skips samples already scored in this run, answers what it can from the response
/// cache, and keeps exactly `concurrency` requests in flight until the work is done.
public struct EvalRunner: Sendable {
  private let runtime: any ModelRuntime
  private let store: any ResultStore
  private let concurrency: Int
  private let logger: Logger
  private let grader: (any ResponseGrader)?

  /// A runner over a runtime and a store; `grader` scores the task types the pure scorer cannot (`code`,
  /// `instruction_following`).
  public init(
    runtime: any ModelRuntime, store: any ResultStore, concurrency: Int, logger: Logger,
    grader: (any ResponseGrader)? = nil
  ) {
    self.runtime = runtime
    self.store = store
    self.concurrency = max(1, concurrency)
    self.logger = logger
    self.grader = grader
  }

  /// One sample's planned work; the request bodies and the cache key are computed once here.
  struct WorkItem: Sendable {
    let task: EvalTask
    let sample: Sample
    /// The one request of a generated answer, or one per choice for log-likelihood ranking.
    let requests: [ModelRequest]
    /// For ranking: each choice's context and prompt lengths and continuation bytes.
    let choices: [EvalTask.ChoiceRequest]
    let key: SampleKey
    let endpoint: String
    let body: String
    let prompt: String
    var cacheKey: String
    /// Multi-turn items: the number of user turns, and the options later turns are rendered with.
    var turns = 1
    var options: GenerationOptions?

    init(task: EvalTask, sample: Sample, request: ModelRequest) {
      self.task = task
      self.sample = sample
      requests = [request]
      choices = []
      key = SampleKey(taskID: task.id, index: sample.index)
      let bytes = request.jsonBody()
      endpoint = request.endpoint
      body = String(decoding: bytes, as: UTF8.self)
      prompt = request.promptText
      cacheKey = ModelRequest.cacheKey(endpoint: request.endpoint, body: bytes)
    }

    /// A sampled item: n requests that differ in their seed, stored as one `CodeCompletions` response.
    init(task: EvalTask, sample: Sample, samples: [ModelRequest]) {
      self.task = task
      self.sample = sample
      requests = samples
      choices = []
      key = SampleKey(taskID: task.id, index: sample.index)
      let bodies = samples.map { $0.jsonBody() }
      endpoint = samples[0].endpoint
      body = "[" + bodies.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",") + "]"
      prompt = samples[0].promptText
      cacheKey = ModelRequest.cacheKey(endpoint: endpoint + "#samples", body: Array(body.utf8))
    }

    /// A multi-turn item: the first turn's request; later turns follow the model's own answers. The whole
    /// conversation is one cache entry, keyed by the first request and the number of turns.
    init(task: EvalTask, sample: Sample, firstTurn: ModelRequest, turns: Int, options: GenerationOptions) {
      self.init(task: task, sample: sample, request: firstTurn)
      self.turns = turns
      self.options = options
      cacheKey = ModelRequest.cacheKey(endpoint: endpoint + "#turns\(turns)", body: Array(body.utf8))
    }

    init(task: EvalTask, sample: Sample, choices: [EvalTask.ChoiceRequest]) {
      self.task = task
      self.sample = sample
      self.choices = choices
      requests = choices.map(\.request)
      key = SampleKey(taskID: task.id, index: sample.index)
      let bodies = requests.map { $0.jsonBody() }
      endpoint = "completions"
      body = "[" + bodies.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",") + "]"
      prompt = requests.map(\.promptText).joined(separator: "\n\u{1E}\n")
      // A distinct endpoint label keeps ranked items apart from single completions with the same bytes.
      cacheKey = ModelRequest.cacheKey(endpoint: "completions#rank", body: Array(body.utf8))
    }
  }

  /// Runs every task's first `limit` samples (all when nil) and returns what happened.
  public func run(
    runID: String, tasks: [EvalTask], options: GenerationOptions, limit: Int?,
    progress: any ProgressReporter = SilentProgress()
  ) async throws -> RunTally {
    if grader == nil, let task = tasks.first(where: { $0.suite.taskType.needsGrader }) {
      throw AssayError(.invalidArgument, "\(task.id) is a \(task.suite.taskType.rawValue) task and this runner has no grader for it",
        fix: "run it with `assay run`, which starts the sandbox for code suites and loads IFEval's checkers")
    }
    // Render every request before the first one is sent, so a template error stops the run cleanly.
    var items: [WorkItem] = []
    for task in tasks {
      let samples = limit.map { Array(task.samples.prefix($0)) } ?? task.samples
      for sample in samples {
        do {
          if task.suite.taskType == .rankChoices {
            items.append(WorkItem(task: task, sample: sample, choices: try task.choiceRequests(for: sample, options: options)))
          } else if task.turnCount(for: sample) > 1 {
            items.append(WorkItem(
              task: task, sample: sample, firstTurn: try task.request(for: sample, options: options),
              turns: task.turnCount(for: sample), options: options))
          } else if task.suite.taskType == .code, (task.scorer.execution?.samples ?? 1) > 1 {
            items.append(WorkItem(task: task, sample: sample, samples: try task.requests(for: sample, options: options)))
          } else {
            items.append(WorkItem(task: task, sample: sample, request: try task.request(for: sample, options: options)))
          }
        } catch {
          throw AssayError(error.code, "\(error.message) - while rendering sample \(sample.index) of \(task.id)",
            fix: error.fix)
        }
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
    var answered: [(item: WorkItem, response: ModelResponse)] = []
    for item in pending {
      if let response = cached[item.cacheKey] { answered.append((item, response)) } else { toSend.append(item) }
    }
    // Cached answers are scored `concurrency` at a time too: scoring a code item runs its programs.
    try await withThrowingTaskGroup(of: Void.self) { group in
      var next = answered.makeIterator()
      func startNext() -> Bool {
        guard !Task.isCancelled, let (item, response) = next.next() else { return false }
        group.addTask {
          let outcome = self.graded(item, response, await self.score(item, response), fromCache: true)
          try await self.store.record(self.makeRecord(item, outcome: outcome), runID: runID)
        }
        return true
      }
      for _ in 0..<concurrency where !startNext() { break }
      while try await group.next() != nil {
        tally.fromCache += 1
        progress.advance(failed: false, cached: true)
        _ = startNext()
      }
    }
    try Task.checkCancellation()

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
    let result: GenerationOutcome
    if !item.choices.isEmpty {
      result = await rank(item)
    } else if item.turns > 1 {
      result = await converse(item)
    } else if item.requests.count > 1 {
      result = await sampleAll(item)
    } else {
      result = await runtime.generate(item.requests[0])
    }
    switch result {
    case .success(let response):
      let score = await score(item, response)
      if score.values[JudgeGrader.failedMarker] != nil {
        // The answer is kept in the cache, so the rerun that retries the judge does not ask the model again.
        try await store.cache(response, key: item.cacheKey, endpoint: item.endpoint, request: item.body)
      }
      outcome = graded(item, response, score, fromCache: false)
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

  /// Sends one request per choice (sequentially: the item holds one concurrency slot) and stores the
  /// continuation likelihoods as the item's response.
  private func rank(_ item: WorkItem) async -> GenerationOutcome {
    var likelihoods: [ChoiceRanking.ChoiceLikelihood] = []
    var latency = 0.0
    var attempts = 1
    var promptTokens = 0
    for (position, choice) in item.choices.enumerated() {
      switch await runtime.generate(choice.request) {
      case .failure(let failure):
        return .failure(failure)
      case .success(let response):
        latency += response.latencyMs
        attempts = max(attempts, response.attempts)
        promptTokens += response.promptTokens ?? 0
        guard let logprobs = response.logprobs,
          let measured = ChoiceRanking.continuationLogprob(
            logprobs, contextLength: choice.contextLength, promptLength: choice.promptLength)
        else {
          return .failure(RequestFailure(
            message: "the server returned no prompt log-probabilities for choice \(Sample.letter(position)) "
              + "(completions with echo and logprobs); rank_choices needs a llama.cpp or vLLM server",
            attempts: response.attempts, retryable: false))
        }
        likelihoods.append(.init(logprob: measured.logprob, bytes: choice.continuationBytes, tokens: measured.tokens))
      }
    }
    let text = CanonicalJSON.string(RankedChoices(choices: likelihoods))
    return .success(ModelResponse(
      text: text, finishReason: "stop", promptTokens: promptTokens, completionTokens: 0, latencyMs: latency,
      attempts: attempts))
  }

  /// Sends a multi-turn item's turns in order (each after the model's answers to the earlier ones; the item holds
  /// one concurrency slot) and stores the answers as one `ConversationAnswers` response.
  private func converse(_ item: WorkItem) async -> GenerationOutcome {
    var answers: [String] = []
    var totals = ResponseTotals()
    for turn in 0..<item.turns {
      let request: ModelRequest
      do {
        request = turn == 0 ? item.requests[0]
          : try item.task.turnRequest(for: item.sample, answers: answers, options: item.options ?? GenerationOptions(model: ""))
      } catch {
        return .failure(RequestFailure(message: "rendering turn \(turn + 1): \(error.message)", attempts: 1, retryable: false))
      }
      switch await runtime.generate(request) {
      case .failure(let failure):
        return .failure(RequestFailure(
          message: "turn \(turn + 1) of \(item.turns): \(failure.message)", attempts: failure.attempts, retryable: failure.retryable))
      case .success(let response):
        answers.append(response.text)
        totals.add(response)
      }
    }
    return .success(totals.response(text: CanonicalJSON.string(ConversationAnswers(turns: answers))))
  }

  /// Sends an item's n sampled requests (sequentially: the item holds one concurrency slot) and stores every
  /// completion, in order, as one response.
  private func sampleAll(_ item: WorkItem) async -> GenerationOutcome {
    var texts: [String] = []
    var totals = ResponseTotals()
    for request in item.requests {
      switch await runtime.generate(request) {
      case .failure(let failure):
        return .failure(failure)
      case .success(let response):
        texts.append(response.text)
        totals.add(response)
      }
    }
    return .success(totals.response(text: CanonicalJSON.string(CodeCompletions(completions: texts))))
  }

  private func score(_ item: WorkItem, _ response: ModelResponse) async -> SampleScore {
    if item.task.suite.taskType.needsGrader, let grader {
      return await grader.grade(task: item.task, sample: item.sample, response: response.text)
    }
    return item.task.scorer.score(response: response.text, sample: item.sample)
  }

  /// A scored outcome, or a failed one when the judge could not be reached (so the same command retries it).
  private func graded(_ item: WorkItem, _ response: ModelResponse, _ score: SampleScore, fromCache: Bool) -> SampleOutcome {
    guard score.values[JudgeGrader.failedMarker] != nil else { return .scored(response, score, fromCache: fromCache) }
    logger.warning("judge failed", metadata: ["task": "\(item.task.id)", "sample": "\(item.sample.index)"])
    return .failed(RequestFailure(message: score.explanation, attempts: response.attempts, retryable: true))
  }

  private func makeRecord(_ item: WorkItem, outcome: SampleOutcome) -> SampleRecord {
    SampleRecord(
      key: item.key, requestKey: item.cacheKey, endpoint: item.endpoint, requestBody: item.body,
      prompt: item.prompt,
      target: item.sample.target, outcome: outcome)
  }
}

/// Latency, attempts and tokens over the several requests of one item (multi-turn, sampled, ranked), stored as
/// its one response: latencies and tokens add up, attempts is the most any request needed, and the item was cut
/// short if any request was.
struct ResponseTotals {
  var latency = 0.0
  var attempts = 1
  var promptTokens = 0
  var completionTokens = 0
  var finishReason = "stop"

  mutating func add(_ response: ModelResponse) {
    latency += response.latencyMs
    attempts = max(attempts, response.attempts)
    promptTokens += response.promptTokens ?? 0
    completionTokens += response.completionTokens ?? 0
    if response.finishReason == "length" { finishReason = "length" }
  }

  func response(text: String) -> ModelResponse {
    ModelResponse(
      text: text, finishReason: finishReason, promptTokens: promptTokens, completionTokens: completionTokens,
      latencyMs: latency, attempts: attempts)
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
