/// "Did you mean" suggestions by edit distance.
public enum Suggest {
  /// Up to two candidates within a small edit distance of `word`, closest first.
  public static func closest(to word: String, among candidates: [String]) -> [String] {
    let limit = max(2, word.count / 3)
    let lowered = word.lowercased()
    var scored: [(name: String, distance: Int)] = []
    for candidate in candidates {
      let d = distance(lowered, candidate.lowercased())
      if d <= limit { scored.append((candidate, d)) }
    }
    scored.sort { $0.distance == $1.distance ? $0.name < $1.name : $0.distance < $1.distance }
    return scored.prefix(2).map { $0.name }
  }

  /// Levenshtein distance.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
