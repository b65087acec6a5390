import AssayCore
import Testing

/// `assay pairs --sample N`: a seeded draw of N items, kept in order and numbered from 0.
@Suite struct PairDrawSampleTests {
  let items = (0..<10).map {
    PairItem(index: $0 + 5, key: "mgsm/de#\($0)", prompt: "q\($0)", modelA: "a", responseA: "x", modelB: "b", responseB: "y")
  }

  @Test func aDrawIsSeededOrderedAndRenumbered() {
    let drawn = PairDraw.sample(items, count: 4, seed: 3)
    #expect(drawn.count == 4)
    #expect(drawn.map(\.index) == [0, 1, 2, 3])
    #expect(drawn == PairDraw.sample(items, count: 4, seed: 3))
    let keys = drawn.map(\.key)
    #expect(keys == items.filter { keys.contains($0.key) }.map(\.key))  // in the items' order
    let expected = items.sorted { PairDraw.hash("sample", "3", $0.key) < PairDraw.hash("sample", "3", $1.key) }.prefix(4).map(\.key)
    #expect(Set(keys) == Set(expected))
  }

  @Test func withoutACountOrWithTooLargeOneEveryItemIsKept() {
    #expect(PairDraw.sample(items, count: nil, seed: 0).map(\.key) == items.map(\.key))
    #expect(PairDraw.sample(items, count: 10, seed: 0).map(\.index) == Array(0..<10))
    #expect(PairDraw.sample([], count: 3, seed: 0).isEmpty)
  }
}
