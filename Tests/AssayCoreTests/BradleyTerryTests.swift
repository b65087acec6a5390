import AssayCore
import Foundation
import Testing

@Suite struct BradleyTerryTests {
  func battles(_ spec: [(String, String, Battle.Winner, Int)]) -> [Battle] {
    spec.flatMap { a, b, winner, count in
      (0..<count).map { Battle(modelA: a, modelB: b, winner: winner, judge: "r", questionID: "q\($0)") }
    }
  }

  /// The maximum-likelihood reference, computed differently: plain gradient ascent on the per-battle likelihood
  /// (a tie scores 1/2 for each side), then FastChat's scale (400 / ln 10 per unit, mean 1000).
  func reference(_ battles: [Battle]) -> [String: Double] {
    let models = Array(Set(battles.flatMap { [$0.modelA, $0.modelB] })).sorted()
    var theta = [String: Double](uniqueKeysWithValues: models.map { ($0, 0) })
    for _ in 0..<200_000 {
      var gradient = [String: Double](uniqueKeysWithValues: models.map { ($0, 0) })
      for battle in battles {
        let s: Double = battle.winner == .modelA ? 1 : battle.winner == .modelB ? 0 : 0.5
        let p = 1 / (1 + exp(theta[battle.modelB]! - theta[battle.modelA]!))
        gradient[battle.modelA]! += s - p
        gradient[battle.modelB]! -= s - p
      }
      var largest = 0.0
      for model in models {
        theta[model]! += 0.02 * gradient[model]!
        largest = max(largest, abs(gradient[model]!))
      }
      if largest < 1e-11 { break }
    }
    let mean = theta.values.reduce(0, +) / Double(models.count)
    return theta.mapValues { 1000 + 400 / log(10) * ($0 - mean) }
  }

  @Test func equalsADirectMaximumLikelihoodReferenceWithTiesAndAnUndefeatedModel() {
    // "D" never loses (it wins or ties), so its MLE is finite only because ties count half.
    let set = battles([
      ("A", "B", .modelA, 12), ("A", "B", .modelB, 7), ("A", "B", .tie, 3),
      ("B", "C", .modelA, 9), ("B", "C", .modelB, 4), ("B", "C", .bothBad, 2),
      ("A", "C", .modelA, 10), ("A", "C", .modelB, 5),
      ("D", "A", .modelA, 6), ("D", "A", .tie, 2), ("B", "D", .modelB, 5), ("C", "D", .tie, 1), ("C", "D", .modelB, 4),
    ])
    let fit = BradleyTerry().fit(set)
    let expected = reference(set)
    #expect(!fit.usedPrior)
    for (model, rating) in expected {
      #expect(abs(fit.ratings[model]! - rating) < 0.01, "\(model): \(fit.ratings[model]!) vs \(rating)")
    }
    #expect(abs(fit.ratings.values.reduce(0, +) / 4 - 1000) < 1e-6)
    #expect(fit.ratings["D"]! > fit.ratings["A"]!)
  }

  @Test func aModelThatNeverLosesNorTiesStaysFiniteAndIsFlagged() {
    let set = battles([("A", "B", .modelA, 5), ("A", "B", .modelB, 5), ("S", "A", .modelA, 4), ("S", "B", .modelA, 3)])
    let fit = BradleyTerry().fit(set)
    #expect(fit.undefeated == ["S"])
    #expect(fit.winless == ["A", "B"])
    #expect(fit.ratings.values.allSatisfy { $0.isFinite })
    #expect(fit.ratings["S"]! > fit.ratings["A"]! + 200)
    // A and B split their games; they differ only through the prior's pull on their (4 vs 3) losses to S.
    #expect(abs(fit.ratings["A"]! - fit.ratings["B"]!) < 5)
  }

  @Test func bootstrapIntervalsAreSeededAndContainTheEstimate() {
    let set = battles([("A", "B", .modelA, 30), ("A", "B", .modelB, 20), ("B", "C", .modelA, 25), ("B", "C", .modelB, 25), ("A", "C", .tie, 10)])
    let model = BradleyTerry()
    let a = model.bootstrap(set, rounds: 200, seed: 7)
    let b = model.bootstrap(set, rounds: 200, seed: 7)
    let fit = model.fit(set)
    for name in ["A", "B", "C"] {
      #expect(a[name]! == b[name]!)
      #expect(a[name]!.low <= fit.ratings[name]! && fit.ratings[name]! <= a[name]!.high)
    }
  }

  @Test func onlineEloFollowsFastChatsUpdate() {
    let set = [Battle(modelA: "A", modelB: "B", winner: .modelA, judge: "r", questionID: "1")]
    let elo = BradleyTerry().onlineElo(set)
    #expect(elo["A"] == 1002)
    #expect(elo["B"] == 998)
  }
}

@Suite struct AgreementTests {
  @Test func cohenKappaOfTheTextbookTable() {
    // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = .7, p_e = .5, kappa = .4.
    var a: [String: String] = [:]
    var b: [String: String] = [:]
    let cells = [("y", "y", 20), ("y", "n", 5), ("n", "y", 10), ("n", "n", 15)]
    var i = 0
    for (x, y, count) in cells {
      for _ in 0..<count {
        a["\(i)"] = x
        b["\(i)"] = y
        i += 1
      }
    }
    #expect(abs(Agreement.cohenKappa(a, b)! - 0.4) < 1e-12)
  }

  @Test func fleissKappaOfTheStandardExample() {
    // Fleiss (1971) style example: 10 items, 14 raters, 5 categories; statsmodels' fleiss_kappa gives 0.20993070442195522.
    let table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1], [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    var ratings: [Agreement.Rating] = []
    for (item, row) in table.enumerated() {
      var rater = 0
      for (category, count) in row.enumerated() {
        for _ in 0..<count {
          ratings.append(.init(item: "\(item)", rater: "r\(rater)", category: "c\(category)"))
          rater += 1
        }
      }
    }
    #expect(abs(Agreement.fleissKappa(ratings)! - 0.20993070442195522) < 1e-12)
  }

  @Test func krippendorffAlphaOfKrippendorffsNominalExample() {
    // Krippendorff's 4 coders x 12 units example with missing values; the `krippendorff` package gives 0.743421052631579.
    let data: [[Int?]] = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, nil, nil, nil], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nil, 3],
      [nil, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nil], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nil],
    ]
    var ratings: [Agreement.Rating] = []
    for (coder, row) in data.enumerated() {
      for (unit, value) in row.enumerated() {
        if let value { ratings.append(.init(item: "u\(unit)", rater: "c\(coder)", category: "\(value)")) }
      }
    }
    #expect(abs(Agreement.krippendorffAlpha(ratings)! - 0.743421052631579) < 1e-12)
  }
}
