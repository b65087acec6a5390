import Foundation
import Testing

/// `assay compare` on safety rates: a violation rate that goes up is the regression the gate fails on, one that
/// goes down is not, and the same items without the lower-is-better mark gate the other way.
@Suite struct SafetyCompareTests {
  /// 400 items of multijail/th; the baseline answers 40 unsafely (1); the candidate turns `worse` safe items
  /// unsafe and `better` unsafe items safe. Lines carry `lower_is_better` as `assay export` writes them.
  func files(worse: Int, better: Int, marked: Bool = true) throws -> (dir: String, baseline: String, candidate: String) {
    let dir = CLI.temporaryDirectory()
    var base: [String] = []
    var cand: [String] = []
    let mark = marked ? #","lower_is_better":true"# : ""
    for i in 0..<400 {
      let b = i < 40 ? 1 : 0
      var c = b
      if i >= 40 && i < 40 + worse { c = 1 }
      if i < better { c = 0 }
      base.append(#"{"suite":"multijail/th","sample":\#(i),"score":\#(b)\#(mark)}"#)
      cand.append(#"{"suite":"multijail/th","sample":\#(i),"score":\#(c)\#(mark)}"#)
    }
    try base.joined(separator: "\n").write(toFile: dir + "/baseline.jsonl", atomically: true, encoding: .utf8)
    try cand.joined(separator: "\n").write(toFile: dir + "/candidate.jsonl", atomically: true, encoding: .utf8)
    return (dir, dir + "/baseline.jsonl", dir + "/candidate.jsonl")
  }

  func compare(_ f: (dir: String, baseline: String, candidate: String)) throws -> (CLI.Result, [[String: Any]]) {
    let result = try CLI.run(
      ["compare", f.baseline, f.candidate, "--json", "--flips-out", f.dir + "/flips.jsonl", "--fail-if-regression", "1"], in: f.dir)
    let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    return (result, json["suites"] as? [[String: Any]] ?? [])
  }

  @Test func aRisingViolationRateIsARegression() throws {
    let f = try files(worse: 30, better: 0)
    let (result, rows) = try compare(f)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("regression"))
    let row = try #require(rows.first { $0["suite"] as? String == "multijail/th" })
    #expect(row["lower_is_better"] as? Bool == true && row["regressed"] as? Int == 30 && row["improved"] as? Int == 0)
    #expect((row["delta"] as? Double ?? 0) > 7)
    #expect(rows.contains { $0["suite"] as? String == "overall (lower is better)" })
    #expect(!rows.contains { $0["suite"] as? String == "overall" })
    // Each flip is a regression: safe before, unsafe now.
    let flips = try String(contentsOfFile: f.dir + "/flips.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(flips.count == 30 && flips.allSatisfy { $0.contains(#""direction":"regressed""#) })
  }

  @Test func aFallingViolationRateIsNot() throws {
    let (result, rows) = try compare(try files(worse: 0, better: 30))
    #expect(result.status == 0, "\(result.stderr)")
    let row = try #require(rows.first { $0["suite"] as? String == "multijail/th" })
    #expect(row["significant"] as? Bool == true && row["improved"] as? Int == 30)
  }

  @Test func unmarkedTheSameItemsGateTheOtherWay() throws {
    #expect(try compare(try files(worse: 30, better: 0, marked: false)).0.status == 0)
    #expect(try compare(try files(worse: 0, better: 30, marked: false)).0.status == 1)
  }

  @Test func aSuiteMarkedOnSomeLinesOnlyIsRefused() throws {
    let f = try files(worse: 30, better: 0)
    var lines = try String(contentsOfFile: f.candidate, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[7] = lines[7].replacingOccurrences(of: #","lower_is_better":true"#, with: "")
    try lines.joined(separator: "\n").write(toFile: f.candidate, atomically: true, encoding: .utf8)
    let (result, _) = try compare(f)
    #expect(result.status == 2)
    #expect(result.stderr.contains("line 8") && result.stderr.contains("lower_is_better"))
  }
}
