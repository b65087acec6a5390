import Foundation
import Testing

/// `assay score` on code suites: raw generations, the suite's own extraction, the sandbox, pass@k; each verdict is
/// the reference's (scripts/cruxeval-reference.py: CRUXEval's official post-processing and evaluation, simple-evals'
/// find_code with openai/human-eval's check_correctness), hostile replies included.
@Suite(.serialized, .tags(.slow)) struct ScoreCodeTests {
  static let fixtures = CLI.repository + "/Tests/Fixtures/cruxeval/"

  func reference(_ key: String) throws -> [[String: Any]] {
    let data = try #require(FileManager.default.contents(atPath: Self.fixtures + "reference.json"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(object[key] as? [[String: Any]])
  }

  func lines(_ text: String) -> [[String: Any]] {
    text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
  }

  @Test(arguments: [
    (["--suite", "cruxeval", "--variant", "input"], "cruxeval-input-raw"),
    (["--suite", "cruxeval", "--variant", "output"], "cruxeval-output-raw"),
    (["--suite", "humaneval"], "humaneval-raw"),
  ])
  func rawGenerationsAreExtractedRunAndScoredAsTheReference(suite: [String], fixture: String) throws {
    let dir = CLI.temporaryDirectory()
    let file = Self.fixtures + fixture + ".jsonl"
    let expected = try reference(fixture)
    // Per item: the verdicts of its lines in file order, as the reference gives them.
    var order: [Int] = []
    var passed: [Int: [Bool]] = [:]
    for line in expected {
      let sample = try #require(line["sample"] as? Int)
      if passed[sample] == nil { order.append(sample) }
      passed[sample, default: []].append(try #require(line["passed"] as? Bool))
    }

    let result = try CLI.run(["score"] + suite + ["--responses", file, "--per-item", "--exec-workers", "2"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    // Replies and programs print escape sequences; none reaches the terminal.
    #expect(!result.stdout.unicodeScalars.contains("\u{1B}") && !result.stderr.unicodeScalars.contains("\u{1B}"))
    let items = lines(result.stdout)
    #expect(items.map { $0["sample"] as? Int } == order.map { $0 })
    for item in items {
      let sample = try #require(item["sample"] as? Int)
      let verdicts = try #require(item["passed"] as? [Bool])
      #expect(verdicts == passed[sample], "sample \(sample): \(item["verdicts"] ?? "") \(item["first_failure"] ?? "")")
      let n = Double(verdicts.count), c = Double(verdicts.filter { $0 }.count)
      #expect(item["pass@1"] as? Double == c / n)
    }
    // Both outcomes occur, and the endless loops end as timeouts.
    let all = passed.values.flatMap { $0 }
    #expect(all.contains(true) && all.contains(false))
    #expect(items.flatMap { ($0["verdicts"] as? [String]) ?? [] }.contains("timeout"))

    let totals = try CLI.run(["score"] + suite + ["--responses", file, "--k", "1,2", "--exec-workers", "2"], in: dir)
    #expect(totals.status == 0, "\(totals.stderr)")
    let summary = try #require(lines(totals.stdout).first)
    let perItem = order.map { Double(passed[$0]!.filter { $0 }.count) / Double(passed[$0]!.count) }
    let mean = perItem.reduce(0, +) / Double(perItem.count)
    #expect(abs((summary["pass@1"] as? Double ?? -1) - mean) < 1e-12, "\(summary)")
    #expect(summary["n"] as? Int == order.count)
    #expect(summary["completions"] as? Int == expected.count)
    // pass@2 only when every item has two completions.
    #expect((summary["pass@2"] != nil) == passed.values.allSatisfy { $0.count >= 2 })
  }
}
