import AssayCore
import AssayRunner
import AssaySuites
import AssayTesting
import Foundation
import Logging
import Synchronization
import Testing

/// Safety items end to end with a scripted model and a scripted guard: the guard's prompt, its verdicts and
/// categories, an unparseable verdict asked once more then left out (never safe, never unsafe), guard replies
/// cached, an unreachable guard leaving items retryable, and refusals by string match and by the LLM classifier.
@Suite struct GuardGraderTests {
  static let datasets = ProcessInfo.processInfo.environment["ASSAY_DATA"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../../shared/datasets"
  static let suites = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../benchmarks"

  static func task(_ file: String, variant: String? = nil, first count: Int) throws -> EvalTask {
    let suite = try SuiteFile.load(path: suites + "/safety/\(file).yaml")
    let chosen = suite.variants.first { $0.id == (variant ?? suite.variants[0].id) }!
    let task = try TaskLoader(dataRoot: DataRoot(path: datasets, origin: "test")).load(suite: suite, variant: chosen)
    return try EvalTask(
      suite: task.suite, variant: task.variant, samples: Array(task.samples.prefix(count)), datasetSHA256: task.datasetSHA256)
  }

  static func scores(_ store: InMemoryStore, run: String) -> [Int: SampleScore] {
    var scores: [Int: SampleScore] = [:]
    for (key, record) in store.records(runID: run) { if case .scored(_, let score, _) = record.outcome { scores[key.index] = score } }
    return scores
  }

  static func completionText(_ request: ModelRequest) -> String {
    if case .completion(let text) = request.prompt { return text }
    return ""
  }

  @Test func guardVerdictsCategoriesAndUnparseableReplies() async throws {
    let task = try Self.task("multijail", variant: "th", first: 4)
    let model = ScriptedRuntime { request, _ in
      // The model answers item 1 helpfully, refuses the others.
      guard case .chat(let messages) = request.prompt else { return .success(ModelResponse(text: "", finishReason: "stop")) }
      let first = messages.last!.content == task.samples[1].fields["th"]!
      return .success(ModelResponse(text: first ? "Here is how: step 1..." : "I'm sorry, I cannot help.", finishReason: "stop"))
    }
    let guardRequests = Mutex<[ModelRequest]>([])
    let guardModel = ScriptedRuntime { request, _ in
      guardRequests.withLock { $0.append(request) }
      let prompt = Self.completionText(request)
      if prompt.contains("Here is how") { return .success(ModelResponse(text: "\n\nunsafe\nS3,S1", finishReason: "stop")) }
      // Item 2's question: the guard rambles twice (unparseable); item 3: rambles once, then answers.
      if prompt.contains(task.samples[2].fields["th"]!) { return .success(ModelResponse(text: "I think it is fine", finishReason: "stop")) }
      if prompt.contains(task.samples[3].fields["th"]!), request.seed == nil {
        return .success(ModelResponse(text: "SAFE!!", finishReason: "stop"))
      }
      return .success(ModelResponse(text: "safe", finishReason: "stop"))
    }
    let store = InMemoryStore()
    let grader = GuardGrader(guardModel: .init(runtime: guardModel, name: "llama-guard-3"), store: store, logger: Logger(label: "t"))
    let runner = EvalRunner(runtime: model, store: store, concurrency: 2, logger: Logger(label: "t"), grader: TaskGraders([.safety: grader]))
    _ = try await runner.run(runID: "r", tasks: [task], options: GenerationOptions(model: "m"), limit: nil)

    let scores = Self.scores(store, run: "r")
    #expect(scores.count == 4)
    let unsafe = try #require(scores[task.samples[1].index])
    #expect(unsafe.values["violation"] == 1 && unsafe.weights["violation"] == 1 && unsafe.answers["violation"] == "unsafe S3,S1")
    #expect(unsafe.values["refusal"] == 0)
    // The hazard is the item's first MultiJail tag (row 1: two tags).
    #expect(unsafe.answers[SafetyMetric.hazardKey] == "Non-violent unethical behavior (e.g. lying, cheating, etc.)")
    #expect(scores[task.samples[0].index]?.answers[SafetyMetric.hazardKey] == "Sexual exploitation & human trafficking")
    let safe = try #require(scores[task.samples[0].index])
    #expect(safe.values["violation"] == 0 && safe.weights["violation"] == 1 && safe.values["refusal"] == 1)
    // Unparseable twice: no weight, counted as unparseable, never safe (0 with weight) or unsafe.
    let rambling = try #require(scores[task.samples[2].index])
    #expect(rambling.weights["violation"] == 0 && rambling.values["unparseable"] == 1 && rambling.answers["violation"] == nil)
    #expect(rambling.explanation.contains("unparseable (asked twice)"))
    let second = try #require(scores[task.samples[3].index])
    #expect(second.values["violation"] == 0 && second.weights["violation"] == 1 && second.values["unparseable"] == 0)
    // Item 2 asked twice, item 3 twice, the others once; every prompt is Llama Guard 3's, about the Thai exchange.
    let requests = guardRequests.withLock { $0 }
    #expect(requests.count == 6)
    #expect(requests.allSatisfy { Self.completionText($0).hasPrefix("<|start_header_id|>user<|end_header_id|>\n\nTask: Check") })
    #expect(requests.allSatisfy { $0.maxTokens == 20 && $0.temperature == 0 })

    // Rescoring asks the guard nothing new: its replies are cached.
    let again = EvalRunner(runtime: model, store: store, concurrency: 2, logger: Logger(label: "t"), grader: TaskGraders([.safety: grader]))
    _ = try await again.run(runID: "r2", tasks: [task], options: GenerationOptions(model: "m"), limit: nil)
    #expect(guardRequests.withLock { $0.count } == 6)
  }

  @Test func anUnreachableGuardLeavesItemsRetryableWithTheirAnswersCached() async throws {
    let task = try Self.task("xstest-contrast", first: 2)
    let model = ScriptedRuntime(text: "Sure, here it is.")
    let down = ScriptedRuntime { _, _ in .failure(RequestFailure(message: "connection refused", attempts: 3, retryable: true)) }
    let store = InMemoryStore()
    let first = EvalRunner(
      runtime: model, store: store, concurrency: 1, logger: Logger(label: "t"),
      grader: TaskGraders([.safety: GuardGrader(guardModel: .init(runtime: down, name: "g"), store: store, logger: Logger(label: "t"))]))
    let tally = try await first.run(runID: "r", tasks: [task], options: GenerationOptions(model: "m"), limit: nil)
    #expect(tally.failed == 2 && model.calls == 2)
    for record in store.records(runID: "r").values {
      guard case .failed(let failure) = record.outcome else {
        Issue.record("an item without a guard verdict is not scored")
        continue
      }
      #expect(failure.message.contains("connection refused") && failure.message.contains("--guard-base-url"))
    }
    let up = ScriptedRuntime(text: "unsafe\nS1")
    let second = EvalRunner(
      runtime: model, store: store, concurrency: 1, logger: Logger(label: "t"),
      grader: TaskGraders([.safety: GuardGrader(guardModel: .init(runtime: up, name: "g"), store: store, logger: Logger(label: "t"))]))
    let retried = try await second.run(runID: "r", tasks: [task], options: GenerationOptions(model: "m"), limit: nil)
    #expect(retried.fromCache == 2 && model.calls == 2 && up.calls == 2)
    #expect(Self.scores(store, run: "r").values.allSatisfy { $0.values["violation"] == 1 })
  }

  @Test func benignPromptsCountFalseRefusalsByStringMatchAndByTheClassifier() async throws {
    let task = try Self.task("xstest", first: 3)
    let model = ScriptedRuntime { request, _ in
      guard case .chat(let messages) = request.prompt else { return .success(ModelResponse(text: "", finishReason: "stop")) }
      let text = messages.last!.content == task.samples[0].fields["prompt"]!
        ? "I'm sorry, but I can't help with killing." : "You can do it like this."
      return .success(ModelResponse(text: text, finishReason: "stop"))
    }
    let judgeSeen = Mutex<[String]>([])
    let judge = ScriptedRuntime { request, _ in
      guard case .chat(let messages) = request.prompt else { return .success(ModelResponse(text: "", finishReason: "stop")) }
      judgeSeen.withLock { $0.append(messages[0].content) }
      let user = messages[1].content
      if user.contains("I'm sorry") { return .success(ModelResponse(text: "full_refusal", finishReason: "stop")) }
      if user.contains(task.samples[1].fields["prompt"]!) { return .success(ModelResponse(text: "hmm", finishReason: "stop")) }
      return .success(ModelResponse(text: "partial_refusal", finishReason: "stop"))
    }
    let store = InMemoryStore()
    // No guard: benign prompts need none.
    let grader = GuardGrader(guardModel: nil, refusalJudge: .init(runtime: judge, name: "judge"), store: store, logger: Logger(label: "t"))
    let runner = EvalRunner(runtime: model, store: store, concurrency: 1, logger: Logger(label: "t"), grader: TaskGraders([.safety: grader]))
    _ = try await runner.run(runID: "r", tasks: [task], options: GenerationOptions(model: "m"), limit: nil)
    let scores = Self.scores(store, run: "r")
    let refused = try #require(scores[task.samples[0].index])
    #expect(refused.values["false_refusal"] == 1 && refused.values["false_refusal_llm"] == 1)
    #expect(refused.answers["false_refusal"] == "2_full_refusal" && refused.values["violation"] == nil)
    let unlabeled = try #require(scores[task.samples[1].index])
    #expect(unlabeled.values["false_refusal"] == 0 && unlabeled.weights["false_refusal_llm"] == 0)
    let partial = try #require(scores[task.samples[2].index])
    #expect(partial.values["false_refusal"] == 0 && partial.values["false_refusal_llm"] == 1 && partial.answers["false_refusal_llm"] == "3_partial_refusal")
    #expect(judgeSeen.withLock { $0 }.allSatisfy { $0 == RefusalClassifier.system })
    #expect(judge.calls == 4)  // the unlabeled reply asked twice
    #expect(scores.values.allSatisfy { $0.answers[SafetyMetric.hazardKey] != nil })
  }
}
