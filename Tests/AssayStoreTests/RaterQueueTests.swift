import AssayCore
import AssayStore
import Foundation
import Testing

/// The skipped queue, a rater's progress, and LLM judges' verdicts beside human raters.
@Suite struct RaterQueueTests {
  func store(items: Int, overlap: Int = 1, repeatShare: Double = 0) throws -> SQLiteStore {
    let store = try SQLiteStore(path: NSTemporaryDirectory() + "assay-queue-\(UUID().uuidString).sqlite")
    let list = (0..<items).map {
      PairItem(index: $0, key: "q\($0)", prompt: "p\($0)", modelA: "A", responseA: "a\($0)", modelB: "B", responseB: "b\($0)")
    }
    try store.createComparisonSet(name: "s", source: "test", items: list, overlap: overlap, repeatShare: repeatShare, seed: 1)
    return store
  }

  @Test func aSkippedItemComesBackOnceAfterTheOthers() throws {
    let store = try store(items: 4)
    var shown: [(Int, Bool)] = []
    var skippedIndex: Int?
    while let assignment = try store.nextAssignment(set: "s", rater: "r") {
      shown.append((assignment.item.index, assignment.revisit))
      // The first item is skipped twice: once at first sight and again when it comes back.
      let skip = skippedIndex == nil || skippedIndex == assignment.item.index
      if skippedIndex == nil { skippedIndex = assignment.item.index }
      try store.recordJudgment(
        set: "s", rater: "r", assignment: assignment, verdict: skip ? .skip : .left, note: nil, latencyMs: 1000)
    }
    #expect(shown.count == 5, "4 items and the skipped one once more: \(shown)")
    #expect(shown.last?.0 == skippedIndex && shown.last?.1 == true, "the skip comes back last, as a revisit")
    #expect(shown.dropLast().allSatisfy { !$0.1 })
    let judgments = try store.judgments(set: "s")
    #expect(judgments.count == 4, "the first skip was taken back when the item came back")
    #expect(judgments.filter { $0.verdict == .skip }.map(\.item) == [skippedIndex!], "the second skip is final")
    let progress = try store.raterProgress(set: "s", rater: "r")
    #expect(progress.left == 0 && progress.skippedWaiting == 0 && progress.judged == 4)
  }

  @Test func aRevisitedItemCanBeJudged() throws {
    let store = try store(items: 2)
    let first = try #require(try store.nextAssignment(set: "s", rater: "r"))
    try store.recordJudgment(set: "s", rater: "r", assignment: first, verdict: .skip, note: nil, latencyMs: 1)
    #expect(try store.raterProgress(set: "s", rater: "r").skippedWaiting == 1)
    let second = try #require(try store.nextAssignment(set: "s", rater: "r"))
    #expect(second.item.index != first.item.index && !second.revisit)
    try store.recordJudgment(set: "s", rater: "r", assignment: second, verdict: .tie, note: nil, latencyMs: 1)
    let back = try #require(try store.nextAssignment(set: "s", rater: "r"))
    #expect(back.item == first.item && back.revisit && back.aOnLeft == first.aOnLeft)
    // Quitting here and starting again shows the same revisit (its claim is open).
    #expect(try store.nextAssignment(set: "s", rater: "r") == back)
    try store.recordJudgment(set: "s", rater: "r", assignment: back, verdict: .right, note: nil, latencyMs: 1)
    #expect(try store.nextAssignment(set: "s", rater: "r") == nil)
    #expect(try store.judgments(set: "s").map(\.verdict) == [.tie, .right])
  }

  @Test func progressCountsWhatIsLeftAndTheMedianTime() throws {
    let store = try store(items: 6, overlap: 1, repeatShare: 0)
    #expect(try store.raterProgress(set: "s", rater: "r") == RaterProgress(judged: 0, left: 6, skippedWaiting: 0, seconds: []))
    for (verdict, ms) in [(Verdict.left, 4000.0), (.skip, 1000), (.right, 10000)] {
      let assignment = try #require(try store.nextAssignment(set: "s", rater: "r"))
      try store.recordJudgment(set: "s", rater: "r", assignment: assignment, verdict: verdict, note: nil, latencyMs: ms)
    }
    let progress = try store.raterProgress(set: "s", rater: "r")
    #expect(progress.judged == 3)
    #expect(progress.left == 4, "3 new items and the skipped one")
    #expect(progress.skippedWaiting == 1)
    #expect(progress.medianSeconds == 4)
    // An open claim counts as left too: showing the next item does not change the count.
    _ = try store.nextAssignment(set: "s", rater: "r")
    #expect(try store.raterProgress(set: "s", rater: "r").left == 4)
    // Another rater with overlap 1 takes the remaining new items: they are no longer this rater's.
    _ = try RatingStoreTests().rateAll(store, rater: "other")
    #expect(try store.raterProgress(set: "s", rater: "r").left == 2, "the open item and the skipped one")
  }

  @Test func anLLMJudgeDoesNotTakeAHumanRatersPlace() throws {
    let store = try store(items: 3, overlap: 1)
    for index in 0..<3 {
      try store.recordLLMJudgment(set: "s", judge: "llm:j", item: index, verdict: .left, note: "A first: m; B first: M", latencyMs: 5)
    }
    #expect(try store.judgedItems(set: "s", rater: "llm:j") == [0, 1, 2])
    #expect(try RatingStoreTests().rateAll(store, rater: "alice") == 3, "every item still goes to one human")
    let kinds = Dictionary(grouping: try store.judgments(set: "s"), by: \.raterKind).mapValues(\.count)
    #expect(kinds == ["llm": 3, "human": 3])
    #expect(throws: AssayError.self, "an item is judged once per judge") {
      try store.recordLLMJudgment(set: "s", judge: "llm:j", item: 0, verdict: .right, note: nil, latencyMs: 5)
    }
    #expect(throws: AssayError.self, "a human rater's name is not an LLM judge's") {
      try store.recordLLMJudgment(set: "s", judge: "alice", item: 0, verdict: .right, note: nil, latencyMs: 5)
    }
  }
}
