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
  ///
  /// ```swift
  /// let logger = Logger(label: "example")
  /// let suite = try SuiteFile.load(path: "benchmarks/mgsm/mgsm.yaml")
  /// let task = try TaskLoader(dataRoot: DataRoot(path: "../shared/datasets", origin: "example"))
  ///   .load(suite: suite, variant: suite.variants[0])
  /// let store = try SQLiteStore(path: "results/example.sqlite")
  /// let tally = try await OpenAIClient.withClient(
  ///   baseURL: "http://127.0.0.1:8000/v1", apiKey: nil, timeout: 300, retry: RetryPolicy(), maxConnections: 8,
  ///   logger: logger
  /// ) { client in
  ///   try await EvalRunner(runtime: client, store: store, concurrency: 8, logger: logger)
  ///     .run(runID: "example", tasks: [task], options: GenerationOptions(model: "served-name"), limit: 10)
  /// }
  /// print(tally.sent, tally.fromCache)
  /// ```
  /// The run must exist in the store first (`createRun`), as `assay run` does; scores land in `store`.
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
          expectedTokens: item.expectedTokens, ranked: item.isRanked))
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
          let answer = Answer(cached: response, kind: item.payloadKind)
          let outcome = self.outcome(item, answer.response, await self.grade(item, answer), fromCache: true)
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
            return .answered(item, await self.generate(item), calls: item.calls(promptsPerRequest: self.scheduling.promptsPerRequest))
          }
        }
      }
      topUp()
      while let step = try await group.next() {
        switch step {
        case .answered(let item, let result, let calls):
          note(-1)
          tally.calls += calls
          if case .success(let answer) = result {
            scheduling.adaptive?.completed(latencyMs: answer.response.latencyMs / Double(calls))
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
  private func generate(_ item: WorkItem) async -> Result<Answer, RequestFailure> {
    switch item.kind {
    case .single(let request):
      switch await runtime.generate(request, encodedBody: Array(item.body.utf8)) {
      case .success(let response):
        let payload: ResponsePayload =
          request.tools == nil
          ? .text(response.text) : .toolCalls(ToolCallReply(content: response.text, toolCalls: response.toolCalls ?? []))
        return .success(Answer(payload, response: response))
      case .failure(let failure): return .failure(failure)
      }
    case .sampled(let requests): return await sampleAll(requests)
    case .ranked(let choices): return await rank(choices)
    case .conversation(let first, let turns, let options): return await converse(item, first: first, turns: turns, options: options)
    }
  }

  /// Grades an item's answer and stores the sample (a failure is stored as such, to be retried by a rerun).
  private func finish(_ item: WorkItem, _ result: Result<Answer, RequestFailure>, runID: String) async throws -> SampleOutcome {
    let outcome: SampleOutcome
    switch result {
    case .success(let answer):
      let grade = await grade(item, answer)
      if case .unscored = grade {
        // The answer is kept in the cache, so the rerun that grades it again does not ask the model again.
        try await store.cache(answer.response, key: item.cacheKey, endpoint: item.endpoint, request: item.body)
      }
      outcome = self.outcome(item, answer.response, grade, fromCache: false)
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
    case answered(WorkItem, Result<Answer, RequestFailure>, calls: Int)
    case stored(SampleOutcome)
  }

  /// Sends one request per choice (sequentially: the item holds one concurrency slot) and answers with the
  /// continuation likelihoods.
  private func rank(_ choices: [EvalTask.ChoiceRequest]) async -> Result<Answer, RequestFailure> {
    var likelihoods: [ChoiceRanking.ChoiceLikelihood] = []
    var latency = 0.0
    var attempts = 1
    var promptTokens = 0
    var responses: [ModelResponse] = []
    let perCall = max(1, scheduling.promptsPerRequest)
    for start in stride(from: 0, to: choices.count, by: perCall) {
      let chunk = choices[start..<min(start + perCall, choices.count)].map(\.request)
      let outcome = chunk.count == 1 ? await runtime.generate(chunk[0]).batch : await runtime.generate(batch: chunk)
      switch outcome {
      case .failure(let failure): return .failure(failure)
      case .success(let answered):
        // A list call's latency is the call's, counted once.
        latency += answered.first?.latencyMs ?? 0
        responses += answered
      }
    }
    for (position, (choice, response)) in zip(choices, responses).enumerated() {
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
    return .success(Answer(
      .ranked(RankedChoices(choices: likelihoods)),
      response: ModelResponse(
        text: "", finishReason: "stop", promptTokens: promptTokens, completionTokens: 0, latencyMs: latency,
        attempts: attempts)))
  }

  /// Sends a multi-turn item's turns in order (each after the model's answers to the earlier ones; the item holds
  /// one concurrency slot) and answers with every turn's answer.
  private func converse(
    _ item: WorkItem, first: ModelRequest, turns: Int, options: GenerationOptions
  ) async -> Result<Answer, RequestFailure> {
    var answers: [String] = []
    var totals = ResponseTotals()
    for turn in 0..<turns {
      let request: ModelRequest
      do {
        request = turn == 0 ? first : try item.task.turnRequest(for: item.sample, answers: answers, options: options)
      } catch {
        return .failure(RequestFailure(message: "rendering turn \(turn + 1): \(error.message)", attempts: 1, retryable: false))
      }
      switch await runtime.generate(request) {
      case .failure(let failure):
        return .failure(RequestFailure(
          message: "turn \(turn + 1) of \(turns): \(failure.message)", attempts: failure.attempts, retryable: failure.retryable))
      case .success(let response):
        answers.append(response.text)
        totals.add(response)
      }
    }
    return .success(Answer(.conversation(ConversationAnswers(turns: answers)), response: totals.response))
  }

  /// Sends an item's n sampled requests (sequentially: the item holds one concurrency slot) and answers with every
  /// completion, in order.
  private func sampleAll(_ requests: [ModelRequest]) async -> Result<Answer, RequestFailure> {
    var texts: [String] = []
    var totals = ResponseTotals()
    for request in requests {
      switch await runtime.generate(request) {
      case .failure(let failure):
        return .failure(failure)
      case .success(let response):
        texts.append(response.text)
        totals.add(response)
      }
    }
    return .success(Answer(.completions(CodeCompletions(completions: texts)), response: totals.response))
  }

  /// Grades an answer: with the run's grader for the task types that need one, else with the task's scorer.
  private func grade(_ item: WorkItem, _ answer: Answer) async -> Grade {
    if item.task.suite.taskType.needsGrader, let grader {
      return await grader.grade(task: item.task, sample: item.sample, response: answer.payload)
    }
    return .scored(item.task.scorer.score(answer.payload, sample: item.sample))
  }

  /// A scored outcome, or a failed one when the answer could not be graded (a judge that could not be reached), so
  /// the same command grades it again.
  private func outcome(_ item: WorkItem, _ response: ModelResponse, _ grade: Grade, fromCache: Bool) -> SampleOutcome {
    switch grade {
    case .scored(let score):
      return .scored(response, score, fromCache: fromCache)
    case .unscored(let reason, let retryable):
      logger.warning("not graded", metadata: ["task": "\(item.task.id)", "sample": "\(item.sample.index)"])
      return .failed(RequestFailure(message: reason, attempts: response.attempts, retryable: retryable))
    }
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

  /// The item's one response (its text is the answer's, set by `Answer`).
  var response: ModelResponse {
    ModelResponse(
      text: "", finishReason: finishReason, promptTokens: promptTokens, completionTokens: completionTokens,
      latencyMs: latency, attempts: attempts)
  }
}
