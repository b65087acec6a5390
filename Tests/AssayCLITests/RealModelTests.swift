import AssayTesting
import Foundation
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
import Testing

/// The real model: SmolLM2-135M-Instruct, installed by `scripts/setup-model.sh`, and the llama.cpp virtualenv.
enum RealModel {
  static let environment = ProcessInfo.processInfo.environment
  static let path = environment["ASSAY_REAL_MODEL"]
    ?? ((environment["ASSAY_CACHE"] ?? ((environment["HOME"] ?? "") + "/.cache/assay")) + "/models/SmolLM2-135M-Instruct.Q4_1.gguf")
  static let python = environment["ASSAY_LLAMA_PYTHON"]
    ?? ((environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python")
  static let serverScript = CLI.repository + "/Sources/AssayRuntime/Resources/assay_llama_server.py"

  static func require() throws {
    try #require(
      FileManager.default.fileExists(atPath: path),
      "the real model is missing at \(path): run scripts/setup-model.sh (scripts/test.sh does)")
    try #require(
      FileManager.default.isExecutableFile(atPath: python),
      "the llama.cpp virtualenv is missing at \(python): run scripts/setup-llama.sh (scripts/test.sh does)")
  }
}

/// Assay's llama.cpp scoring server, started directly on a free port for the duration of a test.
final class ScoringServer: @unchecked Sendable {
  let process = Process()
  let port: Int
  var baseURL: String { "http://127.0.0.1:\(port)" }

  init(model: String, extra: [String] = []) throws {
    port = Int.random(in: 20_000..<60_000)
    process.executableURL = URL(fileURLWithPath: RealModel.python)
    process.arguments = [RealModel.serverScript, "--model", model, "--port", "\(port)", "--alias", "smollm2"] + extra
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(120)
    while Date() < deadline {
      if process.isRunning, (try? Self.get(baseURL + "/health")) != nil { return }
      if !process.isRunning { break }
      Thread.sleep(forTimeInterval: 0.2)
    }
    stop()
    throw CLIError("the scoring server on \(model) did not answer /health within 120 s")
  }

  struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  static func get(_ url: String) throws -> Data {
    try send(URLRequest(url: URL(string: url)!))
  }

  static func send(_ request: URLRequest) throws -> Data {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var body: Data?
    nonisolated(unsafe) var failure: (any Error)?
    URLSession.shared.dataTask(with: request) { data, _, error in
      body = data
      failure = error
      done.signal()
    }.resume()
    done.wait()
    if let failure { throw failure }
    return body ?? Data()
  }

  /// POSTs a JSON body and returns the decoded JSON object.
  func post(_ path: String, _ body: [String: Any]) throws -> [String: Any] {
    var request = URLRequest(url: URL(string: baseURL + path)!)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = try JSONSerialization.data(withJSONObject: body)
    request.timeoutInterval = 600
    let data = try Self.send(request)
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  deinit { stop() }
}

/// The local runtime's numbers checked against something that is not Assay: direct evaluation of the same tokens by
/// llama.cpp (`scripts/llama-direct-logprobs.py`), and the real model's accuracy above chance.
@Suite(.serialized, .tags(.slow, .realModel)) struct RealModelTests {
  /// 50 prompts in five scripts: the first ten MGSM questions in English, German, Chinese, Thai and Swahili.
  static func prompts() throws -> [String] {
    var prompts: [String] = []
    for language in ["en", "de", "zh", "th", "sw"] {
      let text = try String(contentsOfFile: CLI.datasets + "/mgsm/mgsm_\(language).tsv", encoding: .utf8)
      let questions = text.split(separator: "\n").prefix(10).map { String($0.split(separator: "\t")[0]) }
      prompts += questions.map { "Question: \($0)\nAnswer:" }
    }
    return prompts
  }

  /// ARC-Easy's first items as the `arc/easy` suite renders them: "Question: <stem>\nAnswer:" and " <option>".
  static func arcEasyOptions(items: Int) throws -> [String] {
    let text = try String(contentsOfFile: CLI.datasets + "/arc/ARC-Easy/ARC-Easy-Test.jsonl", encoding: .utf8)
    var prompts: [String] = []
    for line in text.split(separator: "\n").prefix(items) {
      let item = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let question = try #require(item["question"] as? [String: Any])
      let stem = try #require(question["stem"] as? String)
      let choices = try #require(question["choices"] as? [[String: Any]])
      prompts += choices.compactMap { $0["text"] as? String }.map { "Question: \(stem)\nAnswer: \($0)" }
    }
    return prompts
  }

  @Test func everyPromptTokensLogprobEqualsDirectEvaluationWithin1e3() throws {
    try RealModel.require()
    var prompts = try Self.prompts()
    #expect(prompts.count == 50)
    // Options of one item share a prefix: evaluated once in the server's batch, and checked all the same.
    let base = prompts[0]
    let options = [" 18", " 18 dollars", " She makes $18 every day.", " 16"].map { base + $0 }
    prompts += options
    // The first 40 ARC-Easy items, every option, as `assay run` sends them: in lists of 16, four items' options
    // per list, so that a server round holds several groups whose members differ in length (the case that gave
    // 125 of 959 ARC-Easy prompts log-probabilities up to 0.39 nats off while one llama_decode mixed them).
    prompts += try Self.arcEasyOptions(items: 40)
    let server = try ScoringServer(model: RealModel.path)
    defer { server.stop() }

    // Every prompt at once, so that they share batches (and prefixes); the options also as one list request.
    let sent = prompts
    nonisolated(unsafe) var answers = [[String: Any]?](repeating: nil, count: sent.count)
    let lock = NSLock()
    DispatchQueue.concurrentPerform(iterations: sent.count) { index in
      let answer = try? server.post(
        "/v1/completions",
        ["model": "smollm2", "prompt": sent[index], "max_tokens": 1, "temperature": 0, "echo": true, "logprobs": 1])
      lock.withLock { answers[index] = answer }
    }
    let listed = try server.post(
      "/v1/completions", ["model": "smollm2", "prompt": options, "max_tokens": 1, "echo": true, "logprobs": 1])
    // As `assay run` sends them: lists of 16 prompts, several lists in flight, so that one llama_decode holds
    // sequences of different lengths from different requests (the case that was wrong while batches mixed them).
    let lists = stride(from: 0, to: sent.count, by: 16).map { Array(sent.indices[$0..<min($0 + 16, sent.count)]) }
    nonisolated(unsafe) var listAnswers = [[String: Any]?](repeating: nil, count: lists.count)
    DispatchQueue.concurrentPerform(iterations: lists.count) { list in
      let answer = try? server.post(
        "/v1/completions",
        ["model": "smollm2", "prompt": lists[list].map { sent[$0] }, "max_tokens": 1, "echo": true, "logprobs": 1])
      lock.withLock { listAnswers[list] = answer }
    }

    let reference = try Self.directEvaluation(prompts)
    var worst = 0.0
    var compared = 0
    func check(_ choice: [String: Any], _ index: Int) {
      let logprobs = choice["logprobs"] as! [String: Any]
      let values = logprobs["token_logprobs"] as! [Any]
      let texts = logprobs["tokens"] as! [String]
      let offsets = logprobs["text_offset"] as! [Int]
      let expected = reference[index].logprobs
      // The echo is the prompt's tokens plus the one generated token.
      #expect(values.count == expected.count + 1, "prompt \(index): \(values.count - 1) tokens, direct \(expected.count)")
      guard values.count == expected.count + 1 else { return }
      #expect(values[0] is NSNull && expected[0] == nil)
      for position in 1..<expected.count {
        let got = (values[position] as! NSNumber).doubleValue
        let difference = abs(got - expected[position]!)
        worst = max(worst, difference)
        compared += 1
        #expect(difference <= 1e-3, "prompt \(index) token \(position): server \(got), direct \(expected[position]!)")
      }
      // The greedy next token is the direct evaluation's argmax; offsets spell the prompt.
      // Tokens of other scripts may hold part of a character (shown as U+FFFD), so only ASCII prompts are spelled.
      if prompts[index].allSatisfy(\.isASCII) {
        #expect(texts.prefix(expected.count).joined() == prompts[index], "prompt \(index): token texts do not spell the prompt")
      }
      #expect(offsets == offsets.sorted(), "prompt \(index): offsets go backwards")
      #expect(offsets.last == prompts[index].unicodeScalars.count)
    }
    for (index, answer) in answers.enumerated() {
      let choices = try #require(answer?["choices"] as? [[String: Any]], "prompt \(index): no answer")
      check(choices[0], index)
    }
    let listedChoices = try #require(listed["choices"] as? [[String: Any]])
    #expect(listedChoices.count == options.count)
    for (offset, choice) in listedChoices.enumerated() { check(choice, 50 + offset) }
    for (list, indices) in lists.enumerated() {
      let choices = try #require(listAnswers[list]?["choices"] as? [[String: Any]], "list \(list): no answer")
      #expect(choices.count == indices.count)
      for (choice, index) in zip(choices, indices) { check(choice, index) }
    }
    print("real model: \(compared) token log-probabilities compared, largest difference \(worst)")
    #expect(compared > 1_000)
  }

  struct Direct {
    var logprobs: [Double?]
  }

  /// Runs the reference script: each prompt alone, from an empty context, through llama-cpp-python's `Llama`.
  static func directEvaluation(_ prompts: [String]) throws -> [Direct] {
    try referenceScript([], prompts.map { ["prompt": $0] }).map { object in
      Direct(logprobs: (object["logprobs"] as! [Any]).map { ($0 as? NSNumber)?.doubleValue })
    }
  }

  /// `scripts/llama-direct-logprobs.py MODEL ARGUMENTS` with one JSON object a line in and out.
  static func referenceScript(_ arguments: [String], _ requests: [[String: Any]]) throws -> [[String: Any]] {
    let input = try requests.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
      .joined(separator: "\n")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: RealModel.python)
    process.arguments = [CLI.repository + "/scripts/llama-direct-logprobs.py", RealModel.path] + arguments
    let stdin = Pipe()
    let stdout = CLI.temporaryDirectory() + "/reference.jsonl"
    FileManager.default.createFile(atPath: stdout, contents: nil)
    process.standardInput = stdin
    process.standardOutput = FileHandle(forWritingAtPath: stdout)
    process.standardError = FileHandle.nullDevice
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "scripts/llama-direct-logprobs.py \(arguments) failed")
    return try String(contentsOfFile: stdout, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test func aChatRequestForTheCapitalOfFranceAnswersParis() throws {
    try RealModel.require()
    let server = try ScoringServer(model: RealModel.path)
    defer { server.stop() }
    let questions = [
      "Which city is the capital of France?", "What is the capital of France?",
      "Name three primary colors.", "Wie heißt die Hauptstadt von Deutschland?",
    ]
    var answers: [String] = []
    for question in questions {
      let answer = try server.post("/v1/chat/completions", [
        "model": "smollm2", "temperature": 0, "max_tokens": 40, "messages": [["role": "user", "content": question]],
      ])
      let choices = try #require(answer["choices"] as? [[String: Any]])
      answers.append(try #require((choices.first?["message"] as? [String: Any])?["content"] as? String))
    }
    #expect(answers[0].contains("Paris"), "the model answered: \(answers[0])")
    let reference = try Self.reference(questions.map { ["messages": [["role": "user", "content": $0]], "max_tokens": 40] })
    #expect(answers == reference, "server: \(answers)\nllama-cpp-python: \(reference)")
  }

  /// Greedy chat answers from llama-cpp-python's `create_chat_completion`.
  static func reference(_ requests: [[String: Any]]) throws -> [String] {
    try referenceScript(["--chat"], requests).map { $0["content"] as? String ?? "" }
  }

  /// Accuracy of `assay run --runtime llama.cpp` on a log-likelihood suite, from its JSON report.
  static func accuracy(suite: String, limit: Int) throws -> (accuracy: Double, n: Int, stderr: String) {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let run = try CLI.run(
      ["run", "--runtime", "llama.cpp", "--model", RealModel.path, "--suite", suite, "--limit", "\(limit)",
       "--db", db], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let report = try CLI.run(["report", "latest", "--db", db, "--format", "json"], in: dir)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
    let suites = try #require(json["suites"] as? [[String: Any]])
    let total = try #require(suites.first?["total"] as? [String: Any])
    let primary = try #require(total["primary"] as? String)
    let metric = try #require((total["metrics"] as? [String: Any])?[primary] as? [String: Any])
    let mean = try #require(metric["mean"] as? NSNumber, "no mean for \(primary) in \(total)")
    return (mean.doubleValue, try #require(total["n"] as? Int), run.stderr)
  }

  @Test func twoHundredARCEasyItemsScoreAboveChance() throws {
    try RealModel.require()
    let result = try Self.accuracy(suite: "arc/easy", limit: 200)
    print("real model: arc/easy, 200 items: \(result.accuracy)")
    #expect(result.n == 200)
    #expect(result.accuracy > 0.40, "ARC-Easy accuracy \(result.accuracy) is not above 0.40 (chance is 0.25)\n\(result.stderr)")
  }

  @Test func twoHundredPIQAItemsScoreAboveChance() throws {
    try RealModel.require()
    let result = try Self.accuracy(suite: "piqa", limit: 200)
    print("real model: piqa, 200 items: \(result.accuracy)")
    #expect(result.n == 200)
    #expect(result.accuracy > 0.55, "PIQA accuracy \(result.accuracy) is not above 0.55 (chance is 0.50)\n\(result.stderr)")
  }
}
