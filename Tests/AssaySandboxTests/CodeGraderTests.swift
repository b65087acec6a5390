import AssayCore
import AssayRunner
import AssaySandbox
import AssaySuites
import AssayTesting
import Foundation
import Logging
import Testing

/// Code suites through the runner: the suite files of the library, a scripted model, the real sandbox.
@Suite(.tags(.slow)) struct CodeGraderTests {
  func task(_ suite: String, variant: String? = nil) throws -> EvalTask {
    let catalog = try SuiteCatalog.load(directories: [TestData.repository + "/benchmarks"])
    let definition = try catalog.suite(named: suite)
    let chosen = try catalog.variants(of: definition, selected: variant.map { [$0] })[0]
    return try TaskLoader(dataRoot: DataRoot(path: TestData.datasets, origin: "test")).load(suite: definition, variant: chosen)
  }

  func run(_ task: EvalTask, limit: Int, answer: @escaping @Sendable (ModelRequest, Sample?) -> String) async throws
    -> [SampleRecord]
  {
    let checker = try CodeChecker(workers: 2)
    defer { checker.shutdown() }
    let samples = task.samples
    let runtime = ScriptedRuntime { request, _ in
      // Find the item by its prompt, so the scripted model can answer each problem.
      let sample = samples.first { sample in
        guard let text = try? task.request(for: sample, options: GenerationOptions(model: "m")).promptText else { return false }
        return text == request.promptText
      }
      return .success(ModelResponse(text: answer(request, sample), finishReason: "stop"))
    }
    let store = InMemoryStore()
    _ = try await EvalRunner(
      runtime: runtime, store: store, concurrency: 4, logger: Logger(label: "test"), grader: CodeGrader(checker: checker)
    ).run(runID: "r", tasks: [task], options: GenerationOptions(model: "m"), limit: limit)
    return store.records(runID: "r").values.sorted { $0.key.index < $1.key.index }
  }

  /// A chat model's answer: the whole function (signature and body) in a fenced block.
  static func chatReply(_ sample: Sample, body: String) -> String {
    let signature = sample.fields["prompt"]!.split(separator: "\n").filter { $0.hasPrefix("def ") }.last!
    return "Sure:\n```python\n" + signature + "\n" + body + "```\n"
  }

  func scoreOf(_ record: SampleRecord) -> SampleScore? {
    if case .scored(_, let score, _) = record.outcome { return score }
    return nil
  }

  @Test func humanEvalRepliesInFencedBlocksAreRunAndScored() async throws {
    let task = try task("humaneval")
    // Even items: the reference solution as a chat model writes it (whole function in a fenced block); odd: wrong.
    let records = try await run(task, limit: 6) { _, sample in
      guard let sample else { return "" }
      return Self.chatReply(sample, body: sample.index % 2 == 0 ? sample.fields["canonical_solution"]! : "    return None\n")
    }
    #expect(records.count == 6)
    for record in records {
      let score = try #require(scoreOf(record))
      #expect(score.values["pass@1"] == (record.key.index % 2 == 0 ? 1 : 0), "\(record.key.index): \(score.explanation)")
    }
  }

  @Test func sampledItemsGetPassAtKFromTheEstimator() async throws {
    let task = try task("humaneval-sampled")
    #expect(task.scorer.pipelineNames == (1...10).map { "pass@\($0)" })
    // Problem i gets i + 1 correct completions of 10 (seed j < i + 1 answers with the reference).
    let records = try await run(task, limit: 3) { request, sample in
      guard let sample else { return "" }
      let seed = request.seed ?? 0
      return Self.chatReply(sample, body: seed <= sample.index ? sample.fields["canonical_solution"]! : "    return None\n")
    }
    #expect(records.count == 3)
    for record in records {
      let score = try #require(scoreOf(record))
      let c = record.key.index + 1
      for k in [1, 2, 5, 10] {
        #expect(score.values["pass@\(k)"] == PassAtK.estimate(n: 10, c: c, k: k), "item \(record.key.index) pass@\(k)")
      }
      #expect(score.explanation.hasPrefix("\(c) of 10 passed"))
    }
  }

  @Test func cruxevalPredictionsAreCheckedByExecution() async throws {
    let task = try task("cruxeval")
    let records = try await run(task, limit: 4) { _, sample in
      guard let sample else { return "" }
      // Right literal for even items (in the prompt's answer format), a wrong one for odd items.
      let literal = sample.index % 2 == 0 ? sample.fields["output"]! : "'certainly not'"
      return "assert f(\(sample.fields["input"]!)) == \(literal)\n[/ANSWER]"
    }
    for record in records {
      #expect(try #require(scoreOf(record)).values["pass@1"] == (record.key.index % 2 == 0 ? 1 : 0))
    }
  }

  /// CRUXEval-I through the runner: the official prompt (make_direct_input_prompt, from the reference fixture), and
  /// an answer with the right input passes while a wrong input or a bare literal (no call of f) fails.
  @Test func cruxevalInputPredictionsAreCheckedByExecution() async throws {
    let task = try task("cruxeval", variant: "input")
    let data = try #require(FileManager.default.contents(atPath: TestData.repository + "/Tests/Fixtures/cruxeval/reference.json"))
    let prompts = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["prompts"] as? [String: [String]])
    for mode in ["input", "output"] {
      let variantTask = try self.task("cruxeval", variant: mode)
      for (index, official) in try #require(prompts[mode]).enumerated() {
        let request = try variantTask.request(for: variantTask.samples[index], options: GenerationOptions(model: "m"))
        #expect(request.promptText == official, "\(mode) prompt of row \(index)")
      }
    }
    let records = try await run(task, limit: 6) { _, sample in
      guard let sample else { return "" }
      let input = sample.fields["input"]!
      switch sample.index % 3 {
      case 0: return "assert f(\(input)) == \(sample.fields["output"]!)\n[/ANSWER]"
      case 1: return "assert f('certainly not') == \(sample.fields["output"]!)\n[/ANSWER]"
      default: return "\(input)\n[/ANSWER]"
      }
    }
    #expect(records.count == 6)
    for record in records {
      let score = try #require(scoreOf(record))
      #expect(score.values["pass@1"] == (record.key.index % 3 == 0 ? 1 : 0), "\(record.key.index): \(score.explanation)")
    }
  }
}

/// The forged verdict of issue 15 through the runner: a wrong function followed by module-level code that writes
/// PASS to every descriptor and leaves with status 0 is scored 0, with bubblewrap and without it.
@Suite(.serialized) struct ForgedVerdictGradingTests {
  @Test(arguments: [true, false]) func forgedPassIsScoredZero(bubblewrap: Bool) async throws {
    let grading = CodeGraderTests()
    let task = try grading.task("humaneval")
    let checker = try CodeChecker(workers: 2, bubblewrap: bubblewrap)
    defer { checker.shutdown() }
    let samples = task.samples
    let runtime = ScriptedRuntime { request, _ in
      let sample = samples.first { sample in
        (try? task.request(for: sample, options: GenerationOptions(model: "m")).promptText) == request.promptText
      }
      let forged = "    return None\nimport os\nfor fd in range(3, 256):\n    try:\n        os.write(fd, b'PASS')\n"
        + "    except OSError:\n        pass\nos._exit(0)\n"
      return .success(ModelResponse(text: sample.map { CodeGraderTests.chatReply($0, body: forged) } ?? "", finishReason: "stop"))
    }
    let store = InMemoryStore()
    _ = try await EvalRunner(
      runtime: runtime, store: store, concurrency: 4, logger: Logger(label: "test"), grader: CodeGrader(checker: checker)
    ).run(runID: "r", tasks: [task], options: GenerationOptions(model: "m"), limit: 4)
    let records = store.records(runID: "r").values.sorted { $0.key.index < $1.key.index }
    #expect(records.count == 4)
    for record in records {
      let score = try #require(grading.scoreOf(record))
      #expect(score.values["pass@1"] == 0, "item \(record.key.index) (bubblewrap \(bubblewrap)): \(score.explanation)")
    }
  }
}
