/// One shard of a run split N ways (`--shard I/N`, I from 0): which work items this process takes.
///
/// Every shard computes the same plan from the whole run's work, so N processes that share nothing but the command
/// line split it exactly: each item goes to one shard, and the shards' expected tokens are balanced (largest items
/// first, each to the shard with the fewest expected tokens so far; ties to the lower shard).
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
  /// This shard, 0-based (as Slurm's `SLURM_ARRAY_TASK_ID` and Kubernetes' `JOB_COMPLETION_INDEX` count).
  public let index: Int
  /// How many shards the run is split into.
  public let count: Int

  /// A shard; `index` must be in `0..<count`.
  public init(index: Int, count: Int) throws(AssayError) {
    guard count >= 1, count <= 100_000 else {
      throw AssayError(.invalidArgument, "shard count \(count) is out of range", fix: "use --shard I/N with N from 1 to 100000")
    }
    guard index >= 0, index < count else {
      throw AssayError(.invalidArgument, "shard index \(index) is not in 0..<\(count)",
        fix: "shards are numbered from 0: --shard 0/\(count) ... --shard \(count - 1)/\(count)")
    }
    self.index = index
    self.count = count
  }

  /// Parses `I/N` (as given to `--shard`).
  public init(parsing text: String) throws(AssayError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
      throw AssayError(.invalidArgument, "--shard '\(text)' is not I/N", fix: "write e.g. --shard 0/4 (shards 0/4 to 3/4 cover the run)")
    }
    try self.init(index: index, count: count)
  }

  public var description: String { "\(index)/\(count)" }

  /// The shard of every item, for items with these expected token counts (in the run's order).
  public static func assignments(costs: [Int], shards: Int) -> [Int] {
    var assignment = Array(repeating: 0, count: costs.count)
    guard shards > 1 else { return assignment }
    // Largest first; equal costs keep the run's order, so the plan depends on nothing but the costs.
    let order = costs.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
    var load = MinLoadHeap(count: shards)
    for item in order {
      let shard = load.popLightest()
      assignment[item] = shard.index
      load.push((load: shard.load + max(1, costs[item]), index: shard.index))
    }
    return assignment
  }

  /// Whether this shard takes each item.
  public func takes(costs: [Int]) -> [Bool] {
    Self.assignments(costs: costs, shards: count).map { $0 == index }
  }
}

/// A binary min-heap of shard loads, ordered by (load, index).
struct MinLoadHeap {
  private var items: [(load: Int, index: Int)]

  init(count: Int) { items = (0..<count).map { (load: 0, index: $0) } }

  private static func less(_ a: (load: Int, index: Int), _ b: (load: Int, index: Int)) -> Bool {
    a.load != b.load ? a.load < b.load : a.index < b.index
  }

  mutating func popLightest() -> (load: Int, index: Int) {
    let top = items[0]
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var i = 0
      while true {
        let l = 2 * i + 1, r = l + 1
        var m = i
        if l < items.count, Self.less(items[l], items[m]) { m = l }
        if r < items.count, Self.less(items[r], items[m]) { m = r }
        if m == i { break }
        items.swapAt(i, m)
        i = m
      }
    }
    return top
  }

  mutating func push(_ item: (load: Int, index: Int)) {
    items.append(item)
    var i = items.count - 1
    while i > 0 {
      let p = (i - 1) / 2
      guard Self.less(items[i], items[p]) else { break }
      items.swapAt(i, p)
      i = p
    }
  }
}
