import AssayCore
import AssayStore
import Foundation
import Testing

/// A set's judgments as battles in model terms (sides undone), and the self-consistency repeats.
@Suite struct BattlesTests {
  func store(items: Int, repeatShare: Double) throws -> SQLiteStore {
    let store = try SQLiteStore(path: NSTemporaryDirectory() + "assay-battles-\(UUID().uuidString).sqlite")
    let list = (0..<items).map {
      PairItem(index: $0, key: "q\($0)", prompt: "p\($0)", modelA: "A", responseA: "a\($0)", modelB: "B", responseB: "b\($0)")
    }
    try store.createComparisonSet(name: "s", source: "test", items: list, overlap: 1, repeatShare: repeatShare, seed: 1)
    return store
  }

  @Test func theLeftResponseWinningIsModelAOrBByItsSide() throws {
    let store = try store(items: 6, repeatShare: 0)
    // The skipped item comes back once after the rest, and is skipped again (final).
    var verdicts: [Verdict] = [.left, .right, .tie, .bothBad, .skip, .left, .skip]
    var sides: [Bool] = []
    while let assignment = try store.nextAssignment(set: "s", rater: "r") {
      sides.append(assignment.aOnLeft)
      try store.recordJudgment(set: "s", rater: "r", assignment: assignment, verdict: verdicts.removeFirst(), note: nil, latencyMs: 1)
    }
    #expect(verdicts.isEmpty && sides.count == 7)
    let battles = try store.battles(set: "s")
    #expect(battles.count == 5, "the skip is left out")
    #expect(battles[0].winner == (sides[0] ? .modelA : .modelB))
    #expect(battles[1].winner == (sides[1] ? .modelB : .modelA))
    #expect(battles[2].winner == .tie && battles[3].winner == .bothBad)
    #expect(battles.allSatisfy { $0.modelA == "A" && $0.modelB == "B" && $0.judge == "r" && $0.questionID.hasPrefix("q") })
    #expect(try store.repeats(set: "s").isEmpty)
  }

  @Test func repeatedItemsPairTheRatersTwoVerdicts() throws {
    let store = try store(items: 20, repeatShare: 0.5)
    while let assignment = try store.nextAssignment(set: "s", rater: "r") {
      try store.recordJudgment(set: "s", rater: "r", assignment: assignment, verdict: .tie, note: nil, latencyMs: 1)
    }
    let repeats = try store.repeats(set: "s")
    let shownTwice = try store.judgments(set: "s").filter { $0.pass == 1 }
    #expect(!repeats.isEmpty)
    #expect(repeats.count == shownTwice.count)
    #expect(repeats.allSatisfy { $0.rater == "r" && $0.first == "tie" && $0.second == "tie" })
    #expect(try store.battles(set: "s").count == 20, "only first passes are battles")
  }
}
