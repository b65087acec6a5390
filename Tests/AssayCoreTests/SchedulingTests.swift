import AssayCore
import Testing

@Suite struct ShardSpecTests {
  @Test func parsesIOverNAndRejectsWhatIsNot() throws {
    let shard = try ShardSpec(parsing: "2/4")
    #expect(shard.index == 2 && shard.count == 4 && shard.description == "2/4")
    for bad in ["4/4", "-1/4", "1", "a/b", "1/0", "1/4/2", ""] {
      #expect(throws: AssayError.self, "\(bad)") { try ShardSpec(parsing: bad) }
    }
    do {
      _ = try ShardSpec(parsing: "4/4")
    } catch {
      #expect(error.fix?.contains("--shard 3/4") == true, "\(error.fix ?? "")")
    }
  }

  @Test func everyItemGoesToExactlyOneShardAndLoadsAreBalanced() throws {
    var generator = SeededGenerator(seed: 11)
    let costs = (0..<5_000).map { _ in 20 + generator.index(below: 4_000) }
    for n in [1, 2, 3, 4, 7, 16] {
      let assignment = ShardSpec.assignments(costs: costs, shards: n)
      #expect(assignment.count == costs.count)
      #expect(Set(assignment).isSubset(of: Set(0..<n)))
      // Every shard's own view picks the same items as the shared plan.
      var covered = Array(repeating: 0, count: costs.count)
      for index in 0..<n {
        let takes = try ShardSpec(index: index, count: n).takes(costs: costs)
        for item in takes.indices where takes[item] { covered[item] += 1 }
      }
      #expect(covered.allSatisfy { $0 == 1 }, "n=\(n)")
      var loads = Array(repeating: 0, count: n)
      for (item, shard) in assignment.enumerated() { loads[shard] += costs[item] }
      // Largest-first greedy: loads differ by at most the largest item.
      #expect(loads.max()! - loads.min()! <= costs.max()!, "n=\(n) loads \(loads)")
      #expect(ShardSpec.assignments(costs: costs, shards: n) == assignment, "deterministic")
    }
  }

  @Test func equalCostsAreDealtInOrder() {
    #expect(ShardSpec.assignments(costs: [5, 5, 5, 5, 5, 5], shards: 3) == [0, 1, 2, 0, 1, 2])
    #expect(ShardSpec.assignments(costs: [1, 100, 1, 1], shards: 2) == [1, 0, 1, 1])
  }
}

@Suite struct AdaptiveConcurrencyTests {
  @Test func growsWhileLatencyHoldsAndStopsAtTheMaximum() {
    let control = AdaptiveConcurrency(initial: 8, maximum: 64)
    for _ in 0..<2_000 { control.completed(latencyMs: 50) }
    #expect(control.limit == 64)
    #expect(control.history.first == 9, "\(control.history)")
    #expect(control.history == control.history.sorted())
  }

  @Test func halvesOnceOnA429BurstAndNeverGoesBelowTheMinimum() {
    let control = AdaptiveConcurrency(initial: 32, minimum: 4, maximum: 64)
    for _ in 0..<5 { control.rateLimited() }
    for _ in 0..<32 { control.completed(latencyMs: 50) }
    #expect(control.limit == 16, "one halving per window, whatever the number of 429s")
    // 429s while the 32 requests sent under the old limit finish are theirs, not the new limit's.
    for _ in 0..<32 {
      control.rateLimited()
      control.completed(latencyMs: 50)
    }
    #expect(control.limit >= 16)
    for _ in 0..<64 { control.completed(latencyMs: 50) }
    #expect(control.limit > 16, "growth resumes once the server stops pushing back")
    // A server that keeps answering 429 brings the limit down to the minimum and keeps it there.
    for _ in 0..<2_000 {
      control.rateLimited()
      control.completed(latencyMs: 50)
    }
    #expect(control.limit == 4)
  }

  @Test func backsOffWhenLatencyRisesPastTheTolerance() {
    let control = AdaptiveConcurrency(initial: 20, maximum: 100, tolerance: 1.5)
    for _ in 0..<20 { control.completed(latencyMs: 50) }
    let grown = control.limit
    #expect(grown > 20)
    for _ in 0..<grown { control.completed(latencyMs: 200) }
    #expect(control.limit < grown)
  }
}
