import AssayToolUse
import Foundation
import Testing

/// The Swift decoder and checker against bfcl-eval 2026.3.23's own code: `Tests/Fixtures/bfcl/crosscheck.jsonl` holds
/// 1,640 generated answers (right and wrong, over all 13 single-turn categories) with the verdict bfcl-eval gave each
/// (`scripts/bfcl-reference.py`, run in a throwaway virtualenv). Functions and ground truth come from
/// `../shared/datasets/bfcl`.
@Suite struct BFCLCrossCheckTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let datasets = ProcessInfo.processInfo.environment["ASSAY_DATA"] ?? (repository + "/../shared/datasets")

  /// Every record of a JSON Lines file by its `id`.
  static func records(_ path: String) throws -> [String: PyValue] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var out: [String: PyValue] = [:]
    for line in text.split(separator: "\n") where !line.isEmpty {
      let value = try PyJSON.parse(String(line))
      if let id = value["id"]?.string { out[id] = value }
    }
    return out
  }

  @Test func verdictsEqualBFCLsItemByItem() throws {
    let fixture = try String(contentsOfFile: Self.repository + "/Tests/Fixtures/bfcl/crosscheck.jsonl", encoding: .utf8)
    var questions: [String: [String: PyValue]] = [:]
    var answers: [String: [String: PyValue]] = [:]
    var total = 0
    var differ: [String: [String]] = [:]
    var perCategory: [String: Int] = [:]
    for line in fixture.split(separator: "\n") {
      let record = try PyJSON.parse(String(line))
      let category = try #require(record["category"]?.string)
      let id = try #require(record["id"]?.string)
      if questions[category] == nil {
        questions[category] = try Self.records(Self.datasets + "/bfcl/BFCL_v4_\(category).json")
        let answerPath = Self.datasets + "/bfcl/possible_answer/BFCL_v4_\(category).json"
        answers[category] = FileManager.default.fileExists(atPath: answerPath) ? try Self.records(answerPath) : [:]
      }
      let question = try #require(questions[category]?[id], "\(id) in the dataset")
      let verdict = BFCLChecker.judge(
        text: record["text"]?.string ?? "", functions: question["function"] ?? .list([]),
        groundTruth: answers[category]?[id]?["ground_truth"], category: category)
      total += 1
      perCategory[category, default: 0] += 1
      if verdict.valid != (record["valid"] == .bool(true)) {
        differ[category, default: []].append(
          "\(id) [\(record["kind"]?.string ?? "")] bfcl \(record["valid"]!) \(record["error_type"]?.string ?? "") / assay \(verdict.valid) \(verdict.errorType ?? "")\n    \(record["text"]?.string?.prefix(200) ?? "")")
      }
    }
    for (category, lines) in differ.sorted(by: { $0.key < $1.key }) {
      print("\(category): \(lines.count) of \(perCategory[category]!) verdicts differ")
      for line in lines.prefix(40) { print("  " + line) }
    }
    let differing = differ.values.map(\.count).reduce(0, +)
    print("BFCL cross-check: \(total - differing) of \(total) verdicts equal bfcl-eval's")
    #expect(total >= 1_000)
    #expect(differing == 0)
  }
}
