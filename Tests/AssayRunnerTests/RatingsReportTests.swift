import AssayCore
import AssayReport
import Foundation
import Testing

/// `assay ratings`' JSON and Markdown, called directly (RateTests runs them through the binary).
@Suite struct RatingsReportTests {
  func summary() -> RatingsSummary {
    var battles: [Battle] = []
    for i in 0..<6 {
      battles.append(Battle(modelA: "x", modelB: "y", winner: i < 4 ? .modelA : .modelB, judge: "r\(i % 2)", questionID: "q\(i)", aOnLeft: i % 2 == 0))
    }
    battles.append(Battle(modelA: "x", modelB: "y", winner: .tie, judge: "r0", questionID: "q6"))
    return RatingsSummary(battles: battles, rounds: 20, seed: 1)
  }

  @Test func theJSONHoldsRatingsIntervalsWinRatesAndAgreement() throws {
    let text = RatingsReport.json(summary())
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["battles"] as? Int == 7)
    #expect((object["bradley_terry"] as? [String: Double])?.keys.sorted() == ["x", "y"])
    let rates = try #require(object["win_rates"] as? [String: [String: Any]])
    #expect(rates["x"]?["n"] as? Int == 7)
    #expect((rates["x"]?["win_ci"] as? [Double])?.count == 2)
    let agreement = try #require(object["agreement"] as? [String: Any])
    #expect(agreement["fleiss_kappa"] is NSNull || agreement["fleiss_kappa"] is Double)
    #expect(object["position_bias"] != nil)
  }

  @Test func theMarkdownRanksModelsByRating() {
    let text = RatingsReport.markdown(summary())
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0] == "# Ratings (7 judgments)")
    let rows = lines.filter { $0.hasPrefix("| 1 |") || $0.hasPrefix("| 2 |") }
    #expect(rows.count == 2)
    #expect(rows[0].hasPrefix("| 1 | x |"))
    #expect(rows[1].hasPrefix("| 2 | y |"))
    #expect(lines.contains("## Agreement"))
    #expect(lines.contains { $0.hasPrefix("Position bias: the left response won ") })
  }
}
