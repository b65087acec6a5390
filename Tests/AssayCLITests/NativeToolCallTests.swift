import Foundation
import Testing

/// `assay run` on the native BFCL suites against a scripted OpenAI-compatible server (`Tests/Fixtures/tool_server.py`)
/// that answers with `tool_calls` as vLLM and llama-server do: the request carries the tools, the calls are stored,
/// graded and read back from the cache; a server that refuses `tools` fails the requests with advice.
@Suite(.serialized) struct NativeToolCallTests {
  /// `tool_server.py` on 127.0.0.1 with a script.
  final class ToolServer {
    let process = Process()
    let baseURL: String
    let logPath: String

    init(script: [String: Any], directory: String, refuseTools: Bool = false) throws {
      let scriptPath = directory + "/script-\(UUID().uuidString).json"
      try JSONSerialization.data(withJSONObject: script).write(to: URL(fileURLWithPath: scriptPath))
      let portFile = directory + "/port-\(UUID().uuidString)"
      logPath = directory + "/requests-\(UUID().uuidString).jsonl"
      FileManager.default.createFile(atPath: logPath, contents: nil)
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments =
        ["python3", CLI.repository + "/Tests/Fixtures/tool_server.py", scriptPath, portFile, logPath]
        + (refuseTools ? ["--refuse-tools"] : [])
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(20)
      while !FileManager.default.fileExists(atPath: portFile), Date() < deadline { usleep(50_000) }
      baseURL = "http://127.0.0.1:\(try String(contentsOfFile: portFile, encoding: .utf8))/v1"
    }

    /// The request bodies the server received.
    func requests() throws -> [[String: Any]] {
      try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
      }
    }

    func stop() {
      guard process.isRunning else { return }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }

    deinit { stop() }
  }

  /// The user question of line `index` of a BFCL file.
  static func question(_ category: String, _ index: Int) throws -> String {
    let lines = try String(contentsOfFile: CLI.datasets + "/bfcl/BFCL_v4_\(category).json", encoding: .utf8)
      .split(separator: "\n")
    let record = try #require(try JSONSerialization.jsonObject(with: Data(lines[index].utf8)) as? [String: Any])
    let turns = try #require(record["question"] as? [[[String: Any]]])
    return try #require(turns[0].last?["content"] as? String)
  }

  static func verdicts(_ db: String, task: String, fromCache: Bool = false) throws -> [Int: Bool] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", db, "SELECT sample_index, correct FROM sample WHERE task_id = '\(task)' AND status = 'scored' AND from_cache = \(fromCache ? 1 : 0)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    var out: [Int: Bool] = [:]
    for line in output.split(separator: "\n") {
      let parts = line.split(separator: "|", maxSplits: 1)
      guard parts.count == 2, let index = Int(parts[0]) else { continue }
      out[index] = parts[1].contains(#""accuracy":true"#)
    }
    return out
  }

  @Test func toolCallsAreSentStoredGradedAndReadBackFromTheCache() throws {
    let directory = CLI.temporaryDirectory()
    let script: [String: Any] = [
      // simple_python_0: right, with arguments as a JSON text.
      try Self.question("simple_python", 0): ["tool_calls": [["name": "calculate_triangle_area", "arguments": #"{"base": 10, "height": 5}"#]]],
      // simple_python_1: right, with arguments as an object (some servers send one) and no content.
      try Self.question("simple_python", 1): ["tool_calls": [["name": "math_factorial", "arguments": ["number": 5]]], "content": NSNull()],
      // simple_python_2: wrong value.
      try Self.question("simple_python", 2): ["tool_calls": [["name": "math_hypot", "arguments": #"{"x": 4, "y": 6}"#]]],
      // simple_python_3: a JSON call left in the text, as Llama 3.1's template does.
      try Self.question("simple_python", 3): ["content": "PLACEHOLDER"],
      // simple_python_4: invalid JSON arguments.
      try Self.question("simple_python", 4): ["tool_calls": [["name": "x", "arguments": #"{"a": "#]]],
    ]
    var scripted = script
    // simple_python_3's call, taken from its ground truth so the text carries the right answer.
    let answers = try String(contentsOfFile: CLI.datasets + "/bfcl/possible_answer/BFCL_v4_simple_python.json", encoding: .utf8).split(separator: "\n")
    let truth = try #require(try JSONSerialization.jsonObject(with: Data(answers[3].utf8)) as? [String: Any])
    let call = try #require((truth["ground_truth"] as? [[String: [String: [Any]]]])?.first?.first)
    var arguments: [String: Any] = [:]
    for (name, allowed) in call.value where !(allowed.first.map { "\($0)" == "" } ?? true) { arguments[name] = allowed[0] }
    let text = String(decoding: try JSONSerialization.data(withJSONObject: ["name": call.key.replacingOccurrences(of: ".", with: "_"), "parameters": arguments]), as: UTF8.self)
    scripted[try Self.question("simple_python", 3)] = ["content": "<|python_tag|>" + text]
    let server = try ToolServer(script: scripted, directory: directory)
    defer { server.stop() }
    let db = directory + "/native.sqlite"
    let arguments_ = ["run", "--base-url", server.baseURL, "--model", "tool-model", "--suite", "bfcl-native/simple-python", "--limit", "5", "--db", db]
    let first = try CLI.run(arguments_, in: directory)
    #expect(first.status == 0, "\(first.stderr)")
    let requests = try server.requests()
    #expect(requests.count == 5)
    // Requests go out concurrently: each carries its item's tools and the question alone.
    let names = requests.compactMap { (($0["tools"] as? [[String: Any]])?.first?["function"] as? [String: Any])?["name"] as? String }
    #expect(names.count == 5 && names.contains("calculate_triangle_area") && names.contains("math_factorial"))
    #expect(requests.allSatisfy { ($0["messages"] as? [[String: Any]])?.count == 1 })
    let verdicts = try Self.verdicts(db, task: "bfcl-native/simple-python")
    #expect(verdicts == [0: true, 1: true, 2: false, 3: true, 4: false], "\(first.stderr)")
    // A new run over the same database answers from the response cache: the stored calls read back the same.
    let again = try CLI.run(arguments_ + ["--fresh"], in: directory)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try server.requests().count == 5, "nothing is sent again")
    #expect(try Self.verdicts(db, task: "bfcl-native/simple-python", fromCache: true) == verdicts)
    let report = try CLI.run(["report", "--db", db], in: directory)
    #expect(report.stdout.contains("## BFCL summary (native)"), "\(report.stdout)")
  }

  @Test func aServerWithoutToolSupportFailsTheRequestsWithAdvice() throws {
    let directory = CLI.temporaryDirectory()
    let server = try ToolServer(script: [:], directory: directory, refuseTools: true)
    defer { server.stop() }
    let db = directory + "/refused.sqlite"
    let result = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "tool-model", "--suite", "bfcl-native/simple-python", "--limit", "2", "--db", db],
      in: directory)
    let output = result.stdout + result.stderr
    #expect(result.status != 0 || output.contains("failed"), "\(output)")
    #expect(output.contains("HTTP 400"), "\(output)")
    #expect(output.contains("run the prompted suite (bfcl)"), "\(output)")
  }
}
