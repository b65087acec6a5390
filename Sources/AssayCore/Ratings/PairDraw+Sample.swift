extension PairDraw {
  /// The items of a new comparison set: at most `count` of them drawn by seeded hash of their keys (all when `count`
  /// is nil or not smaller), kept in their order and numbered from 0.
  public static func sample(_ items: [PairItem], count: Int?, seed: Int) -> [PairItem] {
    var chosen = items
    if let count, count < items.count {
      chosen = items.sorted { hash("sample", String(seed), $0.key) < hash("sample", String(seed), $1.key) }
        .prefix(count).sorted { $0.index < $1.index }
    }
    return chosen.enumerated().map { offset, item in
      var copy = item
      copy.index = offset
      return copy
    }
  }
}
