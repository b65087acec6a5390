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

/// An LLM judge beside people: the ratings are the people's, the judge is compared with their majority.
@Suite struct JudgeAgreementTests {
  func battle(_ item: Int, _ winner: Battle.Winner, _ judge: String) -> Battle {
    Battle(modelA: "big", modelB: "small", winner: winner, judge: judge, questionID: "q\(item)", aOnLeft: true)
  }

  @Test func theJudgeIsComparedNotCounted() {
    var battles: [Battle] = []
    let people: [Battle.Winner] = [.modelA, .modelA, .modelB, .tie, .bothBad, .modelA]
    let judge: [Battle.Winner] = [.modelA, .modelB, .modelB, .tie, .tie, .modelA]
    for (item, winner) in people.enumerated() { battles.append(battle(item, winner, "alice")) }
    for (item, winner) in judge.enumerated() { battles.append(battle(item, winner, "llm:j")) }
    let summary = RatingsSummary(battles: battles, rounds: 0, seed: 1, llmJudges: ["llm:j"])
    #expect(summary.battles == 6 && summary.judgeBattles == 6)
    #expect(summary.winRates["big"]?.n == 6, "only alice's verdicts are in the ratings")
    let record = summary.judgeAgreement["llm:j"]
    // Same on items 0, 2, 3, 4 (both bad counts as a tie), 5; item 1 the opposite model.
    #expect(record == RatingsSummary.JudgeAgreement(items: 6, agreement: 5.0 / 6, opposite: 1.0 / 6))
    #expect(summary.judgeHumanKappa["llm:j"] != nil)
    let text = RatingsReport.markdown(summary)
    #expect(text.contains("LLM judge llm:j vs human majority on 6 items: agrees on 83.3%"), "\(text)")
  }

  @Test func withoutPeopleTheJudgesVerdictsAreTheRatings() {
    let battles = [battle(0, .modelA, "llm:j"), battle(1, .modelB, "llm:j")]
    let summary = RatingsSummary(battles: battles, rounds: 0, seed: 1, llmJudges: ["llm:j"])
    #expect(summary.battles == 2 && summary.winRates["big"]?.n == 2)
    #expect(summary.judgeAgreement.isEmpty)
  }
}
