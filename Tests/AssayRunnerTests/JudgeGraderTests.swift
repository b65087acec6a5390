import AssayCore
import AssayReport
import AssayRunner
import AssaySuites
import AssayTesting
import Foundation
import Logging
import Synchronization
import Testing

/// MT-Bench end to end with a scripted model and a scripted judge: two turns (the second after the first's answer),
/// FastChat's judge prompts with reference answers where they belong, ratings read as FastChat reads them,
/// unparseable replies asked again once and then left out (never a 0), judge replies cached, a judge that cannot
/// be reached leaving the item to be retried.
@Suite struct JudgeGraderTests {
  static let datasets = ProcessInfo.processInfo.environment["ASSAY_DATA"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../../shared/datasets"
  static let suites = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../benchmarks"

  static func mtBench() throws -> EvalTask {
    let suite = try SuiteFile.load(path: suites + "/mt-bench/mt-bench.yaml")
    return try TaskLoader(dataRoot: DataRoot(path: datasets, origin: "test")).load(suite: suite, variant: suite.variants[0])
  }

  /// The user message of a chat request.
  static func lastUser(_ request: ModelRequest) -> String {
    guard case .chat(let messages) = request.prompt else { return "" }
    return messages.last { $0.role == "user" }?.content ?? ""
  }

  static func system(_ request: ModelRequest) -> String {
    guard case .chat(let messages) = request.prompt else { return "" }
    return messages.first { $0.role == "system" }?.content ?? ""
  }

  @Test func twoTurnsJudgedWithReferencesAndUnparseableRepliesLeftOut() async throws {
    let task = try Self.mtBench()
    // Items 0 (writing, question 81), 20 (reasoning, 101) and 40 (coding, 121); reasoning and coding are judged
    // against GPT-4's reference answers.
    let picked = [0, 20, 40].map { task.samples[$0] }
    #expect(picked.map { $0.fields["question_id"] } == ["81", "101", "121"])
    let model = ScriptedRuntime { request, _ in
      guard case .chat(let messages) = request.prompt else { return .failure(RequestFailure(message: "no chat", attempts: 1, retryable: false)) }
      let turn = messages.filter { $0.role == "user" }.count
      return .success(ModelResponse(text: "answer to turn \(turn)", finishReason: "stop"))
    }
    let judgeRequests = Mutex<[ModelRequest]>([])
    let judge = ScriptedRuntime { request, _ in
      judgeRequests.withLock { $0.append(request) }
      let user = Self.lastUser(request)
      let secondTurn = user.contains("answer to turn 2")
      let reply: String
      if user.contains("Hawaii") {
        reply = "Fine work. Rating: [[8]]"
      } else if user.contains("overtaken") {
        // Reasoning: turn 1 has no rating when first asked, "[7]" when asked again; turn 2 never has one.
        reply = secondTurn ? "no verdict" : (request.seed == nil ? "I cannot decide." : "Rating: [7]")
      } else {
        reply = "[[9.5]]"
      }
      return .success(ModelResponse(text: reply, finishReason: "stop"))
    }
    let store = InMemoryStore()
    let grader = JudgeGrader(judge: judge, model: "judge", store: store, logger: Logger(label: "test"))
    let subset = try EvalTask(
      suite: task.suite, variant: task.variant, samples: picked, datasetSHA256: task.datasetSHA256, judge: task.judge)
    let runner = EvalRunner(runtime: model, store: store, concurrency: 2, logger: Logger(label: "test"), grader: TaskGraders([.judge: grader]))
    let tally = try await runner.run(runID: "r", tasks: [subset], options: GenerationOptions(model: "m"), limit: nil)
    #expect(tally.sent == 3 && tally.failed == 0)
    #expect(model.calls == 6, "two turns per item")

    let records = store.records(runID: "r")
    func score(_ index: Int) throws -> SampleScore {
      guard case .scored(let response, let score, _) = try #require(records[SampleKey(taskID: subset.id, index: index)]).outcome else {
        throw CancellationError()
      }
      #expect(ConversationAnswers.answers(in: response.text) == ["answer to turn 1", "answer to turn 2"])
      return score
    }
    let writing = try score(picked[0].index)
    #expect(writing.values["rating"] == 8 && writing.weights["rating"] == 2 && writing.values["unparseable"] == 0)
    let reasoning = try score(picked[1].index)
    // Turn 1: "I cannot decide." then "[7]" (asked twice); turn 2: "no verdict" twice, unparseable.
    #expect(reasoning.values["turn_1"] == 7 && reasoning.weights["turn_2"] == 0 && reasoning.values["unparseable"] == 1)
    #expect(reasoning.values["rating"] == 7 && reasoning.weights["rating"] == 1, "the unparseable turn is left out, not a 0")
    let coding = try score(picked[2].index)
    #expect(coding.values["rating"] == 9.5 && coding.weights["rating"] == 2)

    let requests = judgeRequests.withLock { $0 }
    // Turn 2 of every item was judged with the whole conversation, turn 1's answer included.
    let multiTurn = requests.filter { Self.lastUser($0).contains("answer to turn 2") }
    #expect(multiTurn.allSatisfy { Self.lastUser($0).contains("answer to turn 1") })
    // Reasoning and coding were judged against GPT-4's reference answer; writing was not.
    let reference = task.judge!.references[picked[2].fields["question_id"]!]!
    #expect(requests.contains { Self.lastUser($0).contains(reference[0]) })
    #expect(!requests.filter { Self.lastUser($0).contains("Hawaii") }.contains { Self.lastUser($0).contains("Reference Answer") })
    let judgeCalls = judge.calls

    // Rescoring from the cache asks the judge nothing new.
    let again = EvalRunner(runtime: model, store: store, concurrency: 2, logger: Logger(label: "test"), grader: TaskGraders([.judge: grader]))
    _ = try await again.run(runID: "r2", tasks: [subset], options: GenerationOptions(model: "m"), limit: nil)
    #expect(judge.calls == judgeCalls && model.calls == 6)
  }

  @Test func aJudgeThatCannotBeReachedLeavesTheItemToRetry() async throws {
    let task = try Self.mtBench()
    let subset = try EvalTask(
      suite: task.suite, variant: task.variant, samples: [task.samples[0]], datasetSHA256: task.datasetSHA256, judge: task.judge)
    let model = ScriptedRuntime(text: "an answer")
    let down = ScriptedRuntime { _, _ in .failure(RequestFailure(message: "HTTP 503", attempts: 6, retryable: true)) }
    let store = InMemoryStore()
    let first = EvalRunner(
      runtime: model, store: store, concurrency: 1, logger: Logger(label: "test"),
      grader: TaskGraders([.judge: JudgeGrader(judge: down, model: "judge", store: store, logger: Logger(label: "test"))]))
    let tally = try await first.run(runID: "r", tasks: [subset], options: GenerationOptions(model: "m"), limit: nil)
    #expect(tally.failed == 1)
    guard case .failed(let failure) = store.records(runID: "r").values.first?.outcome else {
      Issue.record("the item is recorded as failed")
      return
    }
    #expect(failure.message.contains("HTTP 503"))
    // The rerun takes the model's answers from the cache and only asks the judge.
    let up = ScriptedRuntime(text: "[[6]]")
    let second = EvalRunner(
      runtime: model, store: store, concurrency: 1, logger: Logger(label: "test"),
      grader: TaskGraders([.judge: JudgeGrader(judge: up, model: "judge", store: store, logger: Logger(label: "test"))]))
    let retried = try await second.run(runID: "r", tasks: [subset], options: GenerationOptions(model: "m"), limit: nil)
    #expect(retried.fromCache == 1 && model.calls == 2 && up.calls == 2)
    guard case .scored(_, let score, _) = store.records(runID: "r").values.first?.outcome else {
      Issue.record("the retried item is scored")
      return
    }
    #expect(score.values["rating"] == 6)
  }

  static func arenaHard() throws -> EvalTask {
    let suite = try SuiteFile.load(path: suites + "/arena-hard/arena-hard.yaml")
    return try TaskLoader(dataRoot: DataRoot(path: datasets, origin: "test")).load(suite: suite, variant: suite.variants[0])
  }

  @Test func arenaHardJudgesBothOrdersWeighsStrongVerdictsAndContinuesWithoutOne() async throws {
    let task = try Self.arenaHard()
    let subset = try EvalTask(
      suite: task.suite, variant: task.variant, samples: Array(task.samples.prefix(2)), datasetSHA256: task.datasetSHA256,
      judge: task.judge)
    let first = task.samples[0].fields["uid"]!
    let model = ScriptedRuntime(text: "the model's answer")
    let judgeRequests = Mutex<[ModelRequest]>([])
    let judge = ScriptedRuntime { request, _ in
      judgeRequests.withLock { $0.append(request) }
      guard case .chat(let messages) = request.prompt else { return .success(ModelResponse(text: "", finishReason: "stop")) }
      let user = messages[1].content
      let modelFirst = user.contains("<|The Start of Assistant A's Answer|>\nthe model's answer")
      let continued = messages.count > 2
      let reply: String
      if user.contains(task.samples[0].fields["prompt"]!) {
        // Question 1: the baseline much better in game 1, the model slightly better in game 2.
        reply = modelFirst ? "My final verdict: [[A>B]]" : "My final verdict: [[A>>B]]"
      } else if !modelFirst {
        // Question 2, game 1: no label at first; the continuation gives one.
        reply = continued ? "Final verdict: [[B>A]]" : "Let me think about this."
      } else {
        // Question 2, game 2: two different labels, even after continuing.
        reply = "[[A=B]] or maybe [[B>A]]"
      }
      return .success(ModelResponse(text: reply, finishReason: "stop"))
    }
    let store = InMemoryStore()
    let grader = JudgeGrader(judge: judge, model: "judge", store: store, logger: Logger(label: "test"))
    let runner = EvalRunner(runtime: model, store: store, concurrency: 1, logger: Logger(label: "test"), grader: TaskGraders([.judge: grader]))
    _ = try await runner.run(runID: "r", tasks: [subset], options: GenerationOptions(model: "m"), limit: nil)

    let records = store.records(runID: "r")
    var scores: [Int: SampleScore] = [:]
    for (key, record) in records { if case .scored(_, let score, _) = record.outcome { scores[key.index] = score } }
    let one = try #require(scores[task.samples[0].index])
    // Game 1 (baseline shown first): A>>B is a loss weighing 3; game 2 (model first): A>B is a win weighing 1.
    #expect(one.values["win_rate"] == 0.25 && one.weights["win_rate"] == 4 && one.values["unparseable"] == 0)
    let two = try #require(scores[task.samples[1].index])
    #expect(two.values["win_rate"] == 1 && two.weights["win_rate"] == 1 && two.values["unparseable"] == 1)

    let requests = judgeRequests.withLock { $0 }
    // Game 1 shows the baseline's answer first, as Arena-Hard does; the baseline is gpt-4-0314's answer to the uid.
    let baseline = try #require(task.judge?.baselines[first])
    #expect(requests.contains { request in
      guard case .chat(let messages) = request.prompt else { return false }
      return messages[1].content.contains("<|The Start of Assistant A's Answer|>\n" + baseline)
    })
    // The continuation carries the first reply and Arena-Hard's follow-up message.
    #expect(requests.contains { request in
      guard case .chat(let messages) = request.prompt, messages.count == 4 else { return false }
      return messages[2].content == "Let me think about this." && messages[3].content.hasPrefix("continue your judgment")
    })

    // The report takes the ratio of sums over all games: (0·3 + 1·1 + 1·1) / (4 + 1).
    let samples = scores.values.map {
      ReportSample(taskID: subset.id, scored: true, correct: $0.correct, extracted: Set($0.answers.keys), truncated: false,
        values: $0.values, weights: $0.weights)
    }
    let report = RunReport(
      runID: "r", model: "m", status: "finished",
      tasks: [ReportTask(taskID: subset.id, suiteID: "arena-hard", variantID: "v0.1", language: "en", primary: "win_rate",
        pipelines: ["win_rate"], planned: 2)],
      samples: samples)
    let row = report.suites[0].total
    #expect(abs((row.metrics["win_rate"]?.mean ?? 0) - 0.4) < 1e-12)
    #expect(row.judgments == 4 && row.unparseable == 1)
  }

  @Test(arguments: [
    ("[[A>>B]]", false, PairwiseVerdict.verdict(score: 0, weight: 3, label: "A>>B")),
    ("[[A>>B]]", true, .verdict(score: 1, weight: 3, label: "A>>B")),
    ("verdict [[A=B]] and again [[A=B]]", false, .verdict(score: 0.5, weight: 1, label: "A=B")),
    ("[[B>A]]", false, .verdict(score: 1, weight: 1, label: "B>A")),
    ("[[A>B]] [[B>A]]", false, .unparseable), ("[[C]]", false, .missing), ("[[AB]]", false, .unparseable), ("none", false, .missing),
  ])
  func arenaHardVerdicts(reply: String, modelFirst: Bool, expected: PairwiseVerdict) {
    #expect(PairwiseVerdict.parse(reply, kind: "arena-hard", modelFirst: modelFirst) == expected)
  }

  @Test func alpacaEvalVerdicts() {
    #expect(PairwiseVerdict.parse("m", kind: "alpaca-eval", modelFirst: true) == .verdict(score: 1, weight: 1, label: "m"))
    #expect(PairwiseVerdict.parse(" M\n", kind: "alpaca-eval", modelFirst: true) == .verdict(score: 0, weight: 1, label: "M"))
    #expect(PairwiseVerdict.parse("M", kind: "alpaca-eval", modelFirst: false) == .verdict(score: 1, weight: 1, label: "M"))
    #expect(PairwiseVerdict.parse("Model M", kind: "alpaca-eval", modelFirst: false) == .unparseable)
  }

  @Test(arguments: [
    ("Rating: [[8]]", JudgeRating.rating(8)), ("[[8.5]] and later [[2]]", .rating(8.5)), ("first [3] then [[9]]", .rating(9)),
    ("only [4]", .rating(4)), ("[[10.]]", .rating(10)), ("[[ 8 ]]", .unparseable), ("[[A]]", .unparseable), ("", .unparseable),
    ("score 7/10", .unparseable), ("[[-1]]", .unparseable),
  ])
  func ratingsAreReadAsFastChatReadsThem(reply: String, expected: JudgeRating) {
    #expect(JudgeRating.parse(reply) == expected)
  }

  @Test func judgePromptsFillLikePythonFormat() throws {
    let prompt = JudgePrompt(name: "p", systemPrompt: "", promptTemplate: "Q: {question} {{literal}} A: {answer}")
    #expect(try prompt.render(["question": "why {x}?", "answer": "because"]) == "Q: why {x}? {literal} A: because")
    #expect(throws: AssayError.self) { try prompt.render(["question": "q"]) }
  }
}
