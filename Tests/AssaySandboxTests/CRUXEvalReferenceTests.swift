import AssayCore
import AssaySandbox
import Foundation
import Testing

/// CRUXEval scored as its official evaluation scores it: the verdicts of facebookresearch/cruxeval's own
/// `postprocess_generation` and `evaluate_score`, run by scripts/cruxeval-reference.py on the same inputs
/// (Tests/Fixtures/cruxeval/reference.json), per generation.
@Suite(.serialized, .tags(.slow)) struct CRUXEvalReferenceTests {
  static let fixtures = TestData.repository + "/Tests/Fixtures/cruxeval/"

  static func json(_ name: String) throws -> [String: Any] {
    let data = try #require(FileManager.default.contents(atPath: fixtures + name), "missing fixture \(name)")
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  static func jsonLines(_ name: String) throws -> [[String: Any]] {
    let data = try #require(FileManager.default.contents(atPath: fixtures + name), "missing fixture \(name)")
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? [:]
    }
  }

  func problem(_ rows: [[String: String]], _ index: Int, _ harness: CodeProblem.Harness) -> CodeProblem {
    CodeProblem(id: "sample_\(index)", language: .python, harness: harness, fields: rows[index])
  }

  /// Published CodeLlama-7B CRUXEval-I predictions (53 items, 10 each): every verdict is the official one, which is
  /// also what the authors published for them.
  @Test func publishedInputPredictionsGetTheOfficialVerdicts() async throws {
    let rows = try TestData.rows("cruxeval/cruxeval.jsonl")
    let published = try Self.json("codellama-7b-input-subset.json")
    let generations = try #require(published["generations"] as? [String: [String]])
    let publishedVerdicts = try #require(published["published_verdicts"] as? [String: [Bool]])
    let reference = try #require(try Self.json("reference.json")["published_input"] as? [String: [Bool]])
    #expect(generations.count == 53 && reference.count == 53)
    let checker = try CodeChecker(workers: ProcessInfo.processInfo.activeProcessorCount)
    defer { checker.shutdown() }
    var mismatches: [String] = []
    var counts: [(n: Int, c: Int)] = []
    for (key, list) in generations.sorted(by: { $0.key < $1.key }) {
      let index = try #require(Int(key.dropFirst("sample_".count)))
      let expected = try #require(reference[key])
      #expect(expected == publishedVerdicts[key], "\(key): the reference run differs from the published verdicts")
      let problem = problem(rows, index, .cruxevalInput)
      let verdicts = await withTaskGroup(of: (Int, Bool).self) { group in
        for (i, prediction) in list.enumerated() {
          group.addTask { (i, await checker.check(problem, completion: prediction, timeLimit: 3).passed) }
        }
        var passed = [Bool](repeating: false, count: list.count)
        for await (i, value) in group { passed[i] = value }
        return passed
      }
      if verdicts != expected { mismatches.append("\(key): \(verdicts) vs \(expected)") }
      counts.append((list.count, verdicts.filter { $0 }.count))
    }
    let passAt1 = try #require(PassAtK.mean(counts, k: 1))
    print("CRUXEval-I, CodeLlama-7B published subset (53 items x 10): pass@1 \(passAt1 * 100), \(mismatches.count) items differ")
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
  }

  /// Hand-made raw replies, hostile ones included (a forged [/ANSWER], escape sequences, an endless loop, an
  /// assertion that passes by `or`, a call of f in an output prediction): the same prediction taken out and the same
  /// verdict as the official post-processing and evaluation.
  @Test(arguments: [("input", CodeProblem.Harness.cruxevalInput), ("output", .cruxevalOutput)])
  func rawRepliesAreExtractedAndJudgedAsOfficially(mode: String, harness: CodeProblem.Harness) async throws {
    let rows = try TestData.rows("cruxeval/cruxeval.jsonl")
    let lines = try Self.jsonLines("cruxeval-\(mode)-raw.jsonl")
    let reference = try #require(try Self.json("reference.json")["cruxeval-\(mode)-raw"] as? [[String: Any]])
    #expect(lines.count == reference.count && lines.count >= 10)
    let extraction: CodeExecution.Extraction = mode == "input" ? .cruxevalInput : .cruxeval
    let execution = CodeExecution(harness: harness.rawValue, language: "python", extraction: extraction, samples: 1)
    let checker = try CodeChecker(workers: ProcessInfo.processInfo.activeProcessorCount)
    defer { checker.shutdown() }
    var passes = 0
    for (line, expected) in zip(lines, reference) {
      let index = try #require(line["sample"] as? Int)
      let prediction = execution.code(from: try #require(line["response"] as? String))
      #expect(prediction == expected["prediction"] as? String, "line for sample \(index)")
      let verdict = await checker.check(problem(rows, index, harness), completion: prediction, timeLimit: 3)
      #expect(verdict.passed == expected["passed"] as? Bool, "sample \(index) '\(prediction.prefix(60))': \(verdict.humanEvalResult)")
      if verdict.passed { passes += 1 }
    }
    // Both outcomes occur, so agreement is not agreement on a constant.
    #expect(passes > 0 && passes < lines.count)
  }
}
