import AssayToolUse
import Foundation
import Testing

/// BFCL's native function-calling mode against bfcl-eval 2026.3.23's own code: `Tests/Fixtures/bfcl/native.jsonl`
/// holds generated replies with tool calls (right and wrong, malformed arguments, text instead of calls) over all 13
/// single-turn categories, the `tools` bfcl-eval's OpenAI handler sends for each item, and the verdict its checker
/// gives with a function-calling model's settings (`scripts/bfcl-native-reference.py`).
@Suite struct BFCLNativeCrossCheckTests {
  @Test func toolsAndVerdictsEqualBFCLsItemByItem() throws {
    let path = BFCLCrossCheckTests.repository + "/Tests/Fixtures/bfcl/native.jsonl"
    let fixture = try String(contentsOfFile: path, encoding: .utf8)
    var questions: [String: [String: PyValue]] = [:]
    var answers: [String: [String: PyValue]] = [:]
    var total = 0
    var toolsCompared = 0
    var messagesCompared = 0
    var differ: [String] = []
    var valid = 0
    for line in fixture.split(separator: "\n") {
      let record = try PyJSON.parse(String(line))
      let category = try #require(record["category"]?.string)
      let id = try #require(record["id"]?.string)
      if questions[category] == nil {
        questions[category] = try BFCLCrossCheckTests.records(BFCLCrossCheckTests.datasets + "/bfcl/BFCL_v4_\(category).json")
        let answerPath = BFCLCrossCheckTests.datasets + "/bfcl/possible_answer/BFCL_v4_\(category).json"
        answers[category] = FileManager.default.fileExists(atPath: answerPath) ? try BFCLCrossCheckTests.records(answerPath) : [:]
      }
      let question = try #require(questions[category]?[id])
      let functions = question["function"] ?? .list([])
      // The tools bfcl-eval sends.
      if let expected = record["tools"], expected != .none {
        toolsCompared += 1
        let tools = try BFCLTools.tools(functions: functions, category: category)
        if tools != expected { differ.append("\(id): tools \(PyJSONDump.compact(tools).prefix(300)) against \(PyJSONDump.compact(expected).prefix(300))") }
      }
      if case .list(let expectedMessages) = record["messages"] {
        messagesCompared += 1
        if case .list(let turns) = question["question"], let first = turns.first, first != .list(expectedMessages) {
          differ.append("\(id): messages")
        }
      }
      // The verdict.
      var calls: [(name: String, arguments: String)]?
      if case .list(let items) = record["tool_calls"], !items.isEmpty {
        calls = items.map { (name: $0["name"]?.string ?? "", arguments: $0["arguments"]?.string ?? "") }
      }
      let content = record["content"]?.string
      let verdict = BFCLTools.judge(
        calls: calls, content: content, functions: functions, groundTruth: answers[category]?[id]?["ground_truth"],
        category: category)
      let expectedValid = record["valid"] == .bool(true)
      let expectedError = record["error_type"]?.string
      total += 1
      if expectedValid { valid += 1 }
      if verdict.valid != expectedValid || verdict.errorType != expectedError {
        differ.append("\(id) [\(record["kind"]?.string ?? "")]: Assay \(verdict.valid) \(verdict.errorType ?? "-"), bfcl \(expectedValid) \(expectedError ?? "-")")
      }
    }
    print("BFCL native: \(total) replies (\(valid) valid), \(toolsCompared) tool lists, \(messagesCompared) message lists compared; \(differ.count) differ")
    #expect(total >= 600)
    #expect(differ.isEmpty, "\(differ.prefix(15).joined(separator: "\n"))")
  }
}
