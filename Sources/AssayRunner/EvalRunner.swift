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
  private let scheduling: RunScheduling

  /// A runner over a runtime and a store; `grader` scores the task types the pure scorer cannot (`code`,
  /// `instruction_following`); `scheduling` adapts the concurrency, batches prompts and picks a shard.
  public init(
    runtime: any ModelRuntime, store: any ResultStore, concurrency: Int, logger: Logger,
    grader: (any ResponseGrader)? = nil, scheduling: RunScheduling = RunScheduling()
  ) {
    self.runtime = runtime
    self.store = store
    self.concurrency = max(1, concurrency)
    self.logger = logger
    self.grader = grader
    self.scheduling = scheduling
  }

  /// Runs every task's first `limit` samples (all when nil; this shard's share of them with a shard) and returns
  /// what happened.
  public func run(
    runID: String, tasks: [EvalTask], options: GenerationOptions, limit: Int?,
    progress: any ProgressReporter = SilentProgress()
  ) async throws -> RunTally {
    if grader == nil, let task = tasks.first(where: { $0.suite.taskType.needsGrader }) {
      throw AssayError(.invalidArgument, "\(task.id) is a \(task.suite.taskType.rawValue) task and this runner has no grader for it",
        fix: "run it with `assay run`, which starts the sandbox for code suites and loads IFEval's checkers")
    }
    // Render every request before the first one is sent, so a template error stops the run cleanly. Only what
    // planning needs is kept (keys, expected tokens); requests are rendered again when they are sent, so a run's
    // memory does not grow with its prompts (14,000 MMLU items with four 5-shot prompts each are ~170 MB of text).
    var items: [PlannedItem] = []
    let table = TaskTable(tasks)
    for (taskIndex, task) in tasks.enumerated() {
      for (position, sample) in task.samples.prefix(limit ?? Int.max).enumerated() {
        let item = try Self.workItem(task: task, sample: sample, options: options)
        items.append(PlannedItem(
          table: table, taskIndex: taskIndex, position: position, cacheKey: item.cacheKey,
          expectedTokens: item.expectedTokens, ranked: !item.choices.isEmpty))
      }
    }
    if let shard = scheduling.shard {
      let takes = shard.takes(costs: items.map(\.expectedTokens))
      items = items.indices.filter { takes[$0] }.map { items[$0] }
      logger.info("shard", metadata: ["shard": "\(shard)", "samples": "\(items.count)"])
    }
    let done = try await store.scoredSampleKeys(runID: runID)
    let pending = items.filter { !done.contains($0.key) }
    let cached = try await store.cachedResponses(forKeys: pending.map(\.cacheKey))
    var tally = RunTally(total: items.count, alreadyScored: items.count - pending.count)
    progress.start(total: items.count, alreadyDone: tally.alreadyScored)
    logger.info(
      "plan", metadata: ["samples": "\(items.count)", "already_scored": "\(tally.alreadyScored)", "cached": "\(cached.count)"])

    var toSend: [PlannedItem] = []
    var answered: [(item: PlannedItem, response: ModelResponse)] = []
    for item in pending {
      if let response = cached[item.cacheKey] { answered.append((item, response)) } else { toSend.append(item) }
    }
    // Cached answers are scored `concurrency` at a time too: scoring a code item runs its programs.
    try await withThrowingTaskGroup(of: Void.self) { group in
      var next = answered.makeIterator()
      func startNext() -> Bool {
        guard !Task.isCancelled, let (planned, response) = next.next() else { return false }
        group.addTask {
          let item = try Self.workItem(task: planned.task, sample: planned.sample, options: options, cacheKey: planned.cacheKey)
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

    let started = ContinuousClock.now
    var inFlight = 0
    var inFlightIntegral = 0.0
    var lastChange = started
    func note(_ delta: Int) {
      let now = ContinuousClock.now
      inFlightIntegral += Double(inFlight) * (now - lastChange).seconds
      lastChange = now
      inFlight += delta
    }
    try await withThrowingTaskGroup(of: Step.self) { group in
      var next = Self.sendingOrder(toSend).makeIterator()
      var exhausted = false
      var storing = 0
      // Tops the group up to the limit (fixed, or the adaptive controller's current one) as answers arrive, so the
      // server always has exactly that many requests to work on: a slot is free again as soon as its answer is in,
      // while scoring and storing go on beside (no more of them pending than the limit, so a slow judge or disk
      // holds the sending back instead of piling up).
      func topUp() {
        let limit = scheduling.adaptive?.limit ?? concurrency
        while !exhausted, inFlight < limit, storing <= limit {
          guard !Task.isCancelled, let planned = next.next() else {
            exhausted = true
            return
          }
          note(1)
          group.addTask {
            let item = try Self.workItem(task: planned.task, sample: planned.sample, options: options, cacheKey: planned.cacheKey)
            return .answered(item, await self.generate(item), calls: self.calls(item))
          }
        }
      }
      topUp()
      while let step = try await group.next() {
        switch step {
        case .answered(let item, let result, let calls):
          note(-1)
          tally.calls += calls
          if case .success(let response) = result {
            scheduling.adaptive?.completed(latencyMs: response.latencyMs / Double(calls))
          }
          storing += 1
          group.addTask { .stored(try await self.finish(item, result, runID: runID)) }
        case .stored(let outcome):
          storing -= 1
          switch outcome {
          case .scored: tally.sent += 1
          case .failed: tally.failed += 1
          }
          progress.advance(failed: { if case .failed = outcome { return true } else { return false } }(), cached: false)
        }
        topUp()
      }
    }
    note(0)
    tally.sendSeconds = (ContinuousClock.now - started).seconds
    tally.meanInFlight = tally.sendSeconds > 0 ? inFlightIntegral / tally.sendSeconds : 0
    try Task.checkCancellation()
    progress.finish()
    return tally
  }

  /// Asks the model for an item's answer (all its requests).
  private func generate(_ item: WorkItem) async -> GenerationOutcome {
    if !item.choices.isEmpty { return await rank(item) }
    if item.turns > 1 { return await converse(item) }
    if item.requests.count > 1 { return await sampleAll(item) }
    return await runtime.generate(item.requests[0], encodedBody: Array(item.body.utf8))
  }

  /// Scores an item's answer and stores the sample (a failure is stored as such, to be retried by a rerun).
  private func finish(_ item: WorkItem, _ result: GenerationOutcome, runID: String) async throws -> SampleOutcome {
    let outcome: SampleOutcome
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

  /// What a child task of the send loop hands back: an answer to score and store, or a stored sample.
  enum Step: Sendable {
    case answered(WorkItem, GenerationOutcome, calls: Int)
    case stored(SampleOutcome)
  }

  /// Sends one request per choice (sequentially: the item holds one concurrency slot) and stores the
  /// continuation likelihoods as the item's response.
  private func rank(_ item: WorkItem) async -> GenerationOutcome {
    var likelihoods: [ChoiceRanking.ChoiceLikelihood] = []
    var latency = 0.0
    var attempts = 1
    var promptTokens = 0
    var responses: [ModelResponse] = []
    let perCall = max(1, scheduling.promptsPerRequest)
    for start in stride(from: 0, to: item.choices.count, by: perCall) {
      let chunk = item.choices[start..<min(start + perCall, item.choices.count)].map(\.request)
      let outcome = chunk.count == 1 ? await runtime.generate(chunk[0]).batch : await runtime.generate(batch: chunk)
      switch outcome {
      case .failure(let failure): return .failure(failure)
      case .success(let answered):
        // A list call's latency is the call's, counted once.
        latency += answered.first?.latencyMs ?? 0
        responses += answered
      }
    }
    for (position, (choice, response)) in zip(item.choices, responses).enumerated() {
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
    let text = CanonicalJSON.string(RankedChoices(choices: likelihoods))
    return .success(ModelResponse(
      text: text, finishReason: "stop", promptTokens: promptTokens, completionTokens: 0, latencyMs: latency,
      attempts: attempts))
  }

  /// HTTP calls an item makes: its choices (in lists of `promptsPerRequest`), turns or samples.
  private func calls(_ item: WorkItem) -> Int {
    if !item.choices.isEmpty {
      let perCall = max(1, scheduling.promptsPerRequest)
      return (item.choices.count + perCall - 1) / perCall
    }
    return max(item.turns, item.requests.count, 1)
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
