import AssayCore
import AssayRunner
import AssayTesting
import Logging
import Testing

@Suite struct EvalRunnerTests {
  let logger = Logger(label: "test")
  let options = GenerationOptions(model: "m")

  func answer(_ request: ModelRequest) -> String {
    // Echo the number in the question, so every sample is answered correctly.
    guard case .chat(let messages) = request.prompt, let text = messages.last?.content else { return "" }
    return "The answer is \(text.filter(\.isNumber))."
  }

  @Test func keepsExactlyTheConcurrencyInFlight() async throws {
    let task = try SuiteFixtures.mathTask(count: 40)
    let runtime = ScriptedRuntime { request, _ in
      try? await Task.sleep(for: .milliseconds(10))
      return .success(ModelResponse(text: "x", finishReason: "stop"))
    }
    let store = InMemoryStore()
    let tally = try await EvalRunner(runtime: runtime, store: store, concurrency: 8, logger: logger)
      .run(runID: "r", tasks: [task], options: options, limit: nil)
    #expect(runtime.calls == 40)
    #expect(runtime.peakInFlight == 8)
    #expect(tally.sent == 40)
    #expect(store.records(runID: "r").count == 40)
  }

  @Test func oneSlowRequestDoesNotHoldBackTheOthers() async throws {
    // Request 1 waits until all 39 others are done: a runner that waited batch by batch would never get there.
    let task = try SuiteFixtures.mathTask(count: 40)
    let runtime = ScriptedRuntime { _, _ in .success(ModelResponse(text: "x", finishReason: "stop")) }
    let gate = ScriptedRuntime { request, number in
      if number == 1 {
        for _ in 0..<500 where runtime.calls < 39 { try? await Task.sleep(for: .milliseconds(10)) }
        return .success(ModelResponse(text: "released after \(runtime.calls) others", finishReason: "stop"))
      }
      return await runtime.generate(request)
    }
    let store = InMemoryStore()
    _ = try await EvalRunner(runtime: gate, store: store, concurrency: 4, logger: logger)
      .run(runID: "r", tasks: [task], options: options, limit: nil)
    let slow = store.records(runID: "r").values.compactMap { record -> String? in
      if case .scored(let response, _, _) = record.outcome, response.text.hasPrefix("released") { return response.text }
      return nil
    }
    #expect(slow == ["released after 39 others"])
  }

  @Test func failedRequestsAreStoredWithTheirLastError() async throws {
    let task = try SuiteFixtures.mathTask(count: 10)
    let runtime = ScriptedRuntime { request, _ in
      if case .chat(let messages) = request.prompt, let text = messages.last?.content,
        let n = Int(text.filter(\.isNumber)), n % 2 == 0
      {
        return .failure(RequestFailure(message: "HTTP 500 from fake", attempts: 6, retryable: true))
      }
      return .success(ModelResponse(text: self.answer(request), finishReason: "stop"))
    }
    let store = InMemoryStore()
    let tally = try await EvalRunner(runtime: runtime, store: store, concurrency: 3, logger: logger)
      .run(runID: "r", tasks: [task], options: options, limit: nil)
    #expect(tally.failed == 5)
    #expect(tally.sent == 5)
    let records = store.records(runID: "r")
    #expect(records.count == 10)
    for (key, record) in records {
      if key.index % 2 == 0 {
        #expect(record.outcome == .failed(RequestFailure(message: "HTTP 500 from fake", attempts: 6, retryable: true)))
      } else if case .scored(_, let score, _) = record.outcome {
        #expect(score.value == 1)
      } else {
        Issue.record("sample \(key.index) should be scored")
      }
    }
  }

  @Test func resumeSendsOnlyWhatIsNotScored() async throws {
    let task = try SuiteFixtures.mathTask(count: 12)
    let store = InMemoryStore()
    let flaky = ScriptedRuntime { request, number in
      number <= 4 ? .failure(RequestFailure(message: "reset", attempts: 1, retryable: true))
        : .success(ModelResponse(text: self.answer(request), finishReason: "stop"))
    }
    _ = try await EvalRunner(runtime: flaky, store: store, concurrency: 1, logger: logger)
      .run(runID: "r", tasks: [task], options: options, limit: nil)
    let healthy = ScriptedRuntime { request, _ in .success(ModelResponse(text: self.answer(request), finishReason: "stop")) }
    let tally = try await EvalRunner(runtime: healthy, store: store, concurrency: 4, logger: logger)
      .run(runID: "r", tasks: [task], options: options, limit: nil)
    #expect(healthy.calls == 4)
    #expect(tally.alreadyScored == 8)
    #expect(store.records(runID: "r").values.allSatisfy { if case .scored = $0.outcome { true } else { false } })
  }

  @Test func cachedResponsesAreNeverSentAgain() async throws {
    let task = try SuiteFixtures.mathTask(count: 6)
    let store = InMemoryStore()
    let first = ScriptedRuntime { request, _ in .success(ModelResponse(text: self.answer(request), finishReason: "stop")) }
    _ = try await EvalRunner(runtime: first, store: store, concurrency: 2, logger: logger)
      .run(runID: "a", tasks: [task], options: options, limit: nil)
    let second = ScriptedRuntime(text: "never used")
    let tally = try await EvalRunner(runtime: second, store: store, concurrency: 2, logger: logger)
      .run(runID: "b", tasks: [task], options: options, limit: nil)
    #expect(second.calls == 0)
    #expect(tally.fromCache == 6)
    for (key, record) in store.records(runID: "b") {
      guard case .scored(_, let score, true) = record.outcome else {
        Issue.record("sample \(key.index) should come from the cache")
        continue
      }
      #expect(score.value == 1)
    }
  }

  @Test func limitTakesTheFirstSamples() async throws {
    let task = try SuiteFixtures.mathTask(count: 30)
    let store = InMemoryStore()
    let runtime = ScriptedRuntime(text: "The answer is 1")
    _ = try await EvalRunner(runtime: runtime, store: store, concurrency: 4, logger: logger)
      .run(runID: "r", tasks: [task], options: options, limit: 5)
    #expect(Set(store.records(runID: "r").keys.map(\.index)) == Set(0..<5))
  }
}
