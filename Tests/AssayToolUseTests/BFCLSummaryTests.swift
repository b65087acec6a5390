import AssayToolUse
import Foundation
import Testing

/// BFCL's summary figures against bfcl-eval 2026.3.23's own averaging helpers: `Tests/Fixtures/bfcl/summary.json`
/// holds 60 drawn sets of per-category results, some with categories left out, and the figures bfcl-eval computed
/// for each (`scripts/bfcl-summary-reference.py`).
@Suite struct BFCLSummaryTests {
  @Test func figuresEqualBFCLsOwnAveraging() throws {
    let path = BFCLCrossCheckTests.repository + "/Tests/Fixtures/bfcl/summary.json"
    let cases = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: Any]])
    #expect(cases.count == 60)
    var compared = 0
    var missingSeen = 0
    for (index, item) in cases.enumerated() {
      let raw = try #require(item["categories"] as? [String: [String: Any]])
      var categories: [String: BFCLSummary.Category] = [:]
      for (name, value) in raw {
        categories[name] = BFCLSummary.Category(
          accuracy: try #require(value["accuracy"] as? Double), count: try #require(value["count"] as? Int))
      }
      let summary = BFCLSummary(categories)
      let expected = try #require(item["expected"] as? [String: Any])
      #expect(Set(summary.groups.map(\.name)) == Set(expected.keys), "case \(index)")
      for group in summary.groups {
        compared += 1
        if let want = expected[group.name] as? Double {
          let got = try #require(group.accuracy, "case \(index), \(group.name): bfcl computes \(want), Assay nil")
          #expect(abs(got - want) < 1e-12, "case \(index), \(group.name): \(got) against bfcl's \(want)")
          #expect(group.missing.isEmpty)
        } else {
          missingSeen += 1
          #expect(group.accuracy == nil, "case \(index), \(group.name): bfcl shows N/A")
          #expect(!group.missing.isEmpty, "case \(index), \(group.name) names what was not run")
        }
      }
    }
    #expect(compared == 360)
    #expect(missingSeen > 20, "the fixture exercises left-out categories")
  }

  @Test func theLiveFigureIsWeightedByItemsAndTheSimpleOneIsNot() {
    let summary = BFCLSummary([
      "simple_python": .init(accuracy: 1, count: 400), "simple_java": .init(accuracy: 0, count: 100),
      "simple_javascript": .init(accuracy: 0.5, count: 50),
      "live_simple": .init(accuracy: 1, count: 30), "live_multiple": .init(accuracy: 0, count: 10),
      "live_parallel": .init(accuracy: 0, count: 0), "live_parallel_multiple": .init(accuracy: 0, count: 0),
    ])
    #expect(summary.groups[0].accuracy == 0.5)
    #expect(summary.groups[2].accuracy == 0.75)
    #expect(summary.groups[1].accuracy == nil)
    #expect(summary.groups[1].missing == ["multiple", "parallel", "parallel_multiple"])
  }
}
