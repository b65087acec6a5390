import AssayCore
import AssayStore
import Foundation
import Testing

@Suite struct RatingStoreTests {
  func store(items: Int, overlap: Int, repeatShare: Double = 0) throws -> SQLiteStore {
    let store = try SQLiteStore(path: NSTemporaryDirectory() + "assay-rate-\(UUID().uuidString).sqlite")
    let list = (0..<items).map {
      PairItem(index: $0, key: "q\($0)", prompt: "p\($0)", modelA: "A", responseA: "a\($0)", modelB: "B", responseB: "b\($0)")
    }
    try store.createComparisonSet(name: "s", source: "test", items: list, overlap: overlap, repeatShare: repeatShare, seed: 1)
    return store
  }

  func rateAll(_ store: SQLiteStore, rater: String, verdict: Verdict = .left) throws -> Int {
    var count = 0
    while let assignment = try store.nextAssignment(set: "s", rater: rater) {
      try store.recordJudgment(set: "s", rater: rater, assignment: assignment, verdict: verdict, note: nil, latencyMs: 1)
      count += 1
    }
    return count
  }

  @Test func eachItemGoesToOverlapDistinctRaters() throws {
    let store = try store(items: 10, overlap: 2)
    let counts = try ["r1", "r2", "r3", "r4"].map { try rateAll(store, rater: $0) }
    #expect(counts.reduce(0, +) == 20)
    let byItem = Dictionary(grouping: try store.judgments(set: "s"), by: \.item).mapValues { Set($0.map(\.rater)).count }
    #expect(byItem.count == 10 && byItem.values.allSatisfy { $0 == 2 })
  }

  @Test func anOpenClaimIsShownAgainAfterQuitting() throws {
    let store = try store(items: 5, overlap: 1)
    let first = try #require(try store.nextAssignment(set: "s", rater: "r"))
    let again = try #require(try store.nextAssignment(set: "s", rater: "r"))
    #expect(first == again)
  }

  @Test func undoBringsTheItemBack() throws {
    let store = try store(items: 5, overlap: 1)
    let first = try #require(try store.nextAssignment(set: "s", rater: "r"))
    try store.recordJudgment(set: "s", rater: "r", assignment: first, verdict: .tie, note: nil, latencyMs: 1)
    let second = try #require(try store.nextAssignment(set: "s", rater: "r"))
    #expect(second.item.index != first.item.index)
    #expect(try store.undoLastJudgment(set: "s", rater: "r") == first.item.index)
    #expect(try store.nextAssignment(set: "s", rater: "r") == first)
    #expect(try store.judgmentCount(set: "s", rater: "r") == 0)
  }

  @Test func aJudgmentIsStoredOnlyOnce() throws {
    let store = try store(items: 2, overlap: 1)
    let assignment = try #require(try store.nextAssignment(set: "s", rater: "r"))
    try store.recordJudgment(set: "s", rater: "r", assignment: assignment, verdict: .left, note: nil, latencyMs: 1)
    #expect(throws: AssayError.self) {
      try store.recordJudgment(set: "s", rater: "r", assignment: assignment, verdict: .right, note: nil, latencyMs: 1)
    }
  }

  @Test func repeatedItemsComeBackOnceWithTheirOwnSide() throws {
    let store = try store(items: 40, overlap: 1, repeatShare: 0.25)
    let total = try rateAll(store, rater: "r")
    let judgments = try store.judgments(set: "s")
    let repeats = judgments.filter { $0.pass == 1 }
    #expect(!repeats.isEmpty)
    #expect(total == 40 + repeats.count)
    #expect(Set(repeats.map(\.item)).count == repeats.count, "an item is repeated at most once")
    let lastFirstPass = judgments.lastIndex { $0.pass == 0 }!
    for judgment in repeats {
      // Never straight after the first showing: at least 3 other judgments in between, or after the first pass ends.
      let first = judgments.firstIndex { $0.item == judgment.item && $0.pass == 0 }!
      let second = judgments.firstIndex { $0.item == judgment.item && $0.pass == 1 }!
      #expect(second - first > 3 || second > lastFirstPass)
    }
  }
}
