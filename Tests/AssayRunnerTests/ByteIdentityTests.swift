import AssayCore
import AssayRunner
import AssayStore
import AssaySuites
import AssayTesting
import Foundation
import GRDB
import Logging
import Testing

/// Pins the bytes a small fixed run writes: the cache keys of every kind of item (a single generation, a sampled
/// pass@k item, a ranked-choice item, a conversation, a single-turn judged item), the stored response of each kind,
/// and every column of every `sample` and `response_cache` row (timestamps aside), once from the model and once from
/// the cache. The expected values were captured from the code before the typed-outcomes refactor (issue 16): a
/// change here changes what existing databases hold or how their caches are found.
@Suite struct ByteIdentityTests {
  static let options = GenerationOptions(model: "m", seed: 7)

  static func suite(_ yaml: String) throws -> SuiteDefinition { try SuiteFile.parse(yaml, path: "pinned.yaml") }

  /// A generate item, answered in one request.
  static func mathTask() throws -> EvalTask { try SuiteFixtures.mathTask(count: 2) }

  /// A code item sampled three times (pass@1..3), stored as one `CodeCompletions` response.
  static func sampledTask() throws -> EvalTask {
    let suite = try suite("""
      format: 1
      id: pinned-code
      family: pinned
      description: pinned
      license: MIT
      citation: none
      task_type: code
      dataset: { path: code.jsonl, format: jsonl, target: "{{canonical_solution}}" }
      sha256: { code.jsonl: abc }
      variants: [ { id: main, language: en } ]
      solver:
        mode: chat
        prompt: { template: "Implement:\\n{{prompt}}" }
        generate: { max_tokens: 64, temperature: 0.8, top_p: 0.95, samples: 3 }
      scorer:
        execute: { harness: humaneval, language: python, extract: fenced_body }
        primary: pass@1
      """)
    let sample = Sample(
      index: 0, fields: ["prompt": "def f():\n", "canonical_solution": "    return 1\n", "task_id": "P/0"],
      target: "    return 1\n")
    return try EvalTask(suite: suite, variant: suite.variants[0], samples: [sample], datasetSHA256: ["code.jsonl": "abc"])
  }

  /// Log-likelihood items: one echoed completion per choice, stored as one `RankedChoices` response.
  static func rankedTask() throws -> EvalTask {
    let suite = try suite("""
      format: 1
      id: pinned-mc
      family: pinned
      description: pinned
      license: MIT
      citation: none
      task_type: rank_choices
      dataset:
        path: mc.jsonl
        format: jsonl
        choices: [ { json: "{{options}}" } ]
        answer: "{{label}}"
        answer_format: letter
      sha256: { mc.jsonl: abc }
      variants: [ { id: main, language: en } ]
      solver:
        prompt: { template: "{{question}}\\nAnswer:" }
        generate: { max_tokens: 1, temperature: 0 }
      scorer: { metrics: [acc, acc_norm], primary: acc }
      """)
    let samples = [
      Sample(index: 0, fields: ["question": "Sky?"], target: "B", choices: ["red", "blue", "green"], correct: [1]),
      Sample(index: 1, fields: ["question": "Grass?"], target: "A", choices: ["green", "grey"], correct: [0]),
    ]
    return try EvalTask(suite: suite, variant: suite.variants[0], samples: samples, datasetSHA256: ["mc.jsonl": "abc"])
  }

  /// Judged items: two conversations (the second with a judge that fails on its second turn) and one single turn
  /// whose first judge reply has no rating.
  static func judgedTask() throws -> EvalTask {
    let suite = try suite("""
      format: 1
      id: pinned-judge
      family: pinned
      description: pinned
      license: MIT
      citation: none
      task_type: judge
      dataset: { path: q.jsonl, format: jsonl, target: "{{category}}" }
      sha256: { q.jsonl: abc, judge.jsonl: abc }
      variants: [ { id: main, language: en } ]
      solver:
        mode: chat
        prompt: { template: "{{turns.0}}" }
        turns: turns
        generate: { max_tokens: 32, temperature: 0 }
      scorer:
        judge: { mode: single, prompts: judge.jsonl, prompt: single-v1, max_tokens: 16 }
        primary: rating
      """)
    func item(_ index: Int, _ turns: [String]) -> Sample {
      // As the dataset reader gives them: the list as JSON text, and each element as `turns.N`.
      var fields = ["turns": "[" + turns.map { "\"\($0)\"" }.joined(separator: ",") + "]", "question_id": "\(index + 1)", "category": "writing"]
      for (position, turn) in turns.enumerated() { fields["turns.\(position)"] = turn }
      return Sample(index: index, fields: fields, target: "writing")
    }
    let material = JudgeMaterial(
      prompts: [
        "single-v1": JudgePrompt(name: "single-v1", systemPrompt: "Judge.", promptTemplate: "[Q]{question}[A]{answer}"),
        "single-v1-multi-turn": JudgePrompt(
          name: "single-v1-multi-turn", systemPrompt: "Judge both.",
          promptTemplate: "[Q1]{question_1}[A1]{answer_1}[Q2]{question_2}[A2]{answer_2}"),
      ], references: [:])
    return try EvalTask(
      suite: suite, variant: suite.variants[0],
      samples: [item(0, ["Write a line.", "Shorter."]), item(1, ["Name a colour.", "Say FAIL."]), item(2, ["Only one."])],
      datasetSHA256: ["q.jsonl": "abc"], judge: material)
  }

  /// The model: chat answers that repeat the last user turn (and the seed), echoed completions with one log-probability
  /// per Unicode scalar.
  static let model = ScriptedRuntime { request, _ in
    switch request.prompt {
    case .chat(let messages):
      let last = messages.last { $0.role == "user" }?.content ?? ""
      return .success(ModelResponse(
        text: "answer to: \(last)" + (request.seed.map { " (seed \($0))" } ?? ""), finishReason: "stop", promptTokens: 5,
        completionTokens: 3, latencyMs: 2.5))
    case .completion(let text):
      let scalars = Array(text.unicodeScalars)
      var response = ModelResponse(text: "x", finishReason: "length", promptTokens: scalars.count, completionTokens: 1, latencyMs: 1.25)
      response.logprobs = TokenLogprobs(
        tokens: scalars.map { String($0) }, logprobs: [nil] + scalars.dropFirst().map { -Double($0.value % 7) / 4 },
        offsets: Array(scalars.indices))
      return .success(response)
    }
  }

  /// The judge: a rating for every turn, none at first for the single-turn item, an error for "FAIL".
  static let judge = ScriptedRuntime { request, _ in
    guard case .chat(let messages) = request.prompt, let user = messages.last?.content else {
      return .failure(RequestFailure(message: "not a chat", attempts: 1, retryable: false))
    }
    if user.contains("FAIL") { return .failure(RequestFailure(message: "HTTP 503 from judge", attempts: 6, retryable: true)) }
    if user.contains("Only one") { return .success(ModelResponse(text: request.seed == nil ? "no rating here" : "Rating: [[3]]", finishReason: "stop")) }
    return .success(ModelResponse(text: user.contains("[A2]") ? "Rating: [[8.5]]" : "Rating: [[7]]", finishReason: "stop"))
  }

  /// Every column of every row, in a fixed order, timestamps left out.
  static func dump(_ path: String) throws -> String {
    try DatabaseQueue(path: path).read { db in
      let samples = try Row.fetchAll(db, sql: "SELECT * FROM sample ORDER BY run_id, task_id, sample_index")
      let cache = try Row.fetchAll(db, sql: "SELECT key, endpoint, request, response, server FROM response_cache ORDER BY key")
      return (samples + cache).map { row in
        zip(row.columnNames, row.databaseValues).filter { $0.0 != "updated_at" }.map { name, stored -> String in
          let value: String
          switch stored.storage {
          case .null: value = "NULL"
          case .int64(let number): value = String(number)
          case .double(let number): value = String(number)
          case .string(let text): value = text
          case .blob(let data): value = "blob " + SHA256.hex(data)
          }
          return "\(name)=\(value)"
        }.joined(separator: "\u{1F}")
      }.joined(separator: "\n")
    }
  }

  /// One column of the sample rows of a run, by task and index.
  static func column(_ name: String, run: String, path: String) throws -> [String: String] {
    try DatabaseQueue(path: path).read { db in
      var found: [String: String] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT task_id, sample_index, \(name) FROM sample WHERE run_id = ?", arguments: [run]) {
        found["\(row[0] as String)#\(row[1] as Int)"] = (row[2] as String?) ?? "NULL"
      }
      return found
    }
  }

  @Test func aFixedRunWritesTodaysBytes() async throws {
    let path = NSTemporaryDirectory() + "assay-bytes-\(UUID().uuidString)/results.sqlite"
    let store = try SQLiteStore(path: path)
    let tasks = [try Self.mathTask(), try Self.sampledTask(), try Self.rankedTask(), try Self.judgedTask()]
    let logger = Logger(label: "test")
    let grader = TaskGraders([.judge: JudgeGrader(judge: Self.judge, model: "judge", store: store, logger: logger)])
    for run in ["r1", "r2"] {
      try store.createRun(
        RunRecord(id: run, model: "m", runtime: "openai-compatible", baseURL: "http://pinned/v1", harnessVersion: "0",
          config: "{}", configHash: run, startedAt: SQLiteStore.timestamp()),
        tasks: tasks.map { RunTaskRecord(task: $0, planned: $0.samples.count) })
      // r1 asks the model; r2 takes every answer from the cache (the failed judge item's answer too).
      _ = try await EvalRunner(runtime: Self.model, store: store, concurrency: 1, logger: logger, grader: grader)
        .run(runID: run, tasks: tasks, options: Self.options, limit: nil)
    }
    #expect(Self.model.calls == 2 + 3 + 5 + 5, "r2 sent nothing to the model")

    // Cache keys of each kind of item.
    let keys = try Self.column("request_key", run: "r1", path: path)
    #expect(keys == [
      "toy-math/main#0": "0a2fe58215b7ff95229085ebd78a40af5cbd603b25fd89e5742123a243790f35",
      "toy-math/main#1": "df9cc32701ce9c22a9ef1e9af25532f1604a77fe312020152286cad0a8bfb3e3",
      "pinned-code/main#0": "1edc756dc6b04ef825c39624f94efa4b392a5dd590a4c8412551050129680383",
      "pinned-mc/main#0": "0f52d615071df17ac10d66d2d540d49a734767eeb8f57fe2602a7dc7b10b1473",
      "pinned-mc/main#1": "fb0208a035b04f632d8762f0227c3469bf23407d0f19eb71d1d98413b7424f72",
      "pinned-judge/main#0": "09ca2724a59b2cfe59bfbd66a6af190e7b72bd1210139785831668921e81f1f2",
      "pinned-judge/main#1": "9e5918016e903c3d5c6bc0c6de4ffc61a7bab39b46790b4c56dffec4113ce047",
      "pinned-judge/main#2": "c26be738448d6853a4621768ef6dbfa0b50a6cb9a06cc2b729ca2b2a53118227",
    ])
    #expect(try Self.column("request_key", run: "r2", path: path) == keys)

    // The stored response of each kind.
    let responses = try Self.column("response", run: "r1", path: path)
    #expect(responses["pinned-code/main#0"] == #"{"completions":["answer to: Implement:\ndef f():\n (seed 7)","answer to: Implement:\ndef f():\n (seed 8)","answer to: Implement:\ndef f():\n (seed 9)"]}"#)
    #expect(responses["pinned-mc/main#0"] == #"{"choices":[{"bytes":4,"logprob":-2.75,"tokens":4},{"bytes":5,"logprob":-3.75,"tokens":5},{"bytes":6,"logprob":-5.5,"tokens":6}]}"#)
    #expect(responses["pinned-judge/main#0"] == #"{"turns":["answer to: Write a line. (seed 7)","answer to: Shorter. (seed 7)"]}"#)
    #expect(responses["pinned-judge/main#2"] == "answer to: Only one. (seed 7)")

    // The item whose judge failed is stored as failed, with the judgments so far, to be retried.
    let errors = try Self.column("error", run: "r1", path: path)
    #expect(errors["pinned-judge/main#1"] == """
      turn 1, judge prompt single-v1: rating 7
      judge: Rating: [[7]]
      judge request failed: turn 2: the judge (judge) failed: HTTP 503 from judge
      """)
    #expect(try Self.column("status", run: "r2", path: path)["pinned-judge/main#1"] == "failed")

    // Every column of every row.
    let dump = try Self.dump(path)
    #expect(SHA256.hex(Data(dump.utf8)) == "1d9805e73d081ca7dfb10530d59154a9dbb5368e79d2f7df2fecefa2091b44fc", "\(dump)")
  }
}
