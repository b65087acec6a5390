/// One token of janome's `Tokenizer.tokenize` (not wakati): its surface and the dictionary's features.
public struct JanomeToken: Sendable, Equatable {
  /// The text of the token.
  public var surface: String
  /// Part of speech, four comma-separated fields (`名詞,一般,*,*`).
  public var partOfSpeech: String
  /// Inflection type (`*` when none).
  public var inflectionType: String
  /// Inflection form (`*` when none).
  public var inflectionForm: String
  /// Base form (an unknown word's own surface, as janome's `baseform_unk=True`).
  public var baseForm: String
  /// Reading (`*` for unknown words).
  public var reading: String
  /// Phonetic form (`*` for unknown words).
  public var phonetic: String
}

/// A port of janome 0.5.1's `Tokenizer` (system dictionary only, default arguments): the text is stripped, cut into
/// chunks where janome cuts it, and each chunk's lattice of dictionary words (prefix matches over 50 code points)
/// and unknown words (one per char.def category, janome's grouping) is solved by janome's forward Viterbi,
/// including its tie rule (equal costs keep the first predecessor, or the dictionary entry with the smaller number).
public struct JanomeTokenizer: Sendable {
  /// The dictionary.
  public let dictionary: JanomeDictionary
  /// janome's `max_unknown_length` (1024).
  public let maxUnknownLength = 1024
  static let maxChunkSize = 1024
  static let chunkSize = 500

  /// A tokenizer over a loaded dictionary.
  public init(dictionary: JanomeDictionary) {
    self.dictionary = dictionary
  }

  /// A lattice node: a dictionary entry (`entry >= 0`), an unknown word (`entry < 0`, `unknown` set), BOS or EOS.
  private struct Node {
    var start: Int
    var length: Int
    var entry: Int
    var unknownCategory: Int
    var unknownIndex: Int
    var leftId: Int
    var rightId: Int
    var cost: Int
    var minCost: Int
    var back: Int
    var isSurface: Bool { entry >= 0 }
  }

  /// The tokens of a text.
  public func tokenize(_ text: String) -> [JanomeToken] {
    let scalars = Array(PythonText.strip(Array(text.unicodeScalars)[...]))
    var tokens: [JanomeToken] = []
    var processed = 0
    while processed < scalars.count {
      let consumed = tokenizePartial(scalars[processed...], into: &tokens)
      processed += consumed
    }
    return tokens
  }

  /// The surfaces only (what the M-IFEval checkers compare).
  public func surfaces(_ text: String) -> [String] { tokenize(text).map(\.surface) }

  private static func isPunct(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "、", "。", ",", ".", "？", "?", "！", "!": return true
    default: return false
    }
  }

  private func shouldSplit(_ text: ArraySlice<Unicode.Scalar>, _ position: Int) -> Bool {
    if position >= text.count || position >= Self.maxChunkSize { return true }
    guard position >= Self.chunkSize else { return false }
    let base = text.startIndex
    if Self.isPunct(text[base + position - 1]) { return true }
    if position >= 2 && text[base + position - 2] == "\n" && text[base + position - 1] == "\n" { return true }
    if position >= 4 && text[base + position - 4] == "\r" && text[base + position - 3] == "\n" && text[base + position - 2] == "\r"
      && text[base + position - 1] == "\n"
    {
      return true
    }
    return false
  }

  /// One chunk: appends its tokens and returns how many code points it covered.
  private func tokenizePartial(_ text: ArraySlice<Unicode.Scalar>, into tokens: inout [JanomeToken]) -> Int {
    let dictionary = self.dictionary
    let base = text.startIndex
    let chunkSize = min(text.count, Self.maxChunkSize)
    var nodes: [Node] = [Node(start: 0, length: 0, entry: -1, unknownCategory: -1, unknownIndex: -1, leftId: 0, rightId: 0, cost: 0, minCost: 0, back: -1)]
    // Lattice position p (text position p - 1 starts there); ending[p]: nodes ending at lattice position p.
    var ending = [[Int]](repeating: [], count: chunkSize + 3)
    ending[1] = [0]
    var p = 1

    func add(_ node: Node) {
      var node = node
      var minCost = 2_147_483_647 - node.cost
      var best = -1
      for candidate in ending[p] {
        let previous = nodes[candidate]
        let cost = previous.minCost + dictionary.connection(previous.rightId, node.leftId)
        if cost < minCost {
          minCost = cost
          best = candidate
        } else if cost == minCost, best >= 0, nodes[best].isSurface, previous.isSurface, previous.entry < nodes[best].entry {
          minCost = cost
          best = candidate
        }
      }
      if best < 0 { best = ending[p].first ?? 0 }
      node.minCost = minCost + node.cost
      node.back = best
      node.start = p
      nodes.append(node)
      ending[min(p + max(node.length, 1), ending.count - 1)].append(nodes.count - 1)
    }

    var position = 0
    while !shouldSplit(text, position) {
      let window = text[(base + position)..<(base + position + min(50, chunkSize - position))]
      let entries = dictionary.prefixMatches(window)
      for entry in entries {
        let id = Int(entry)
        add(Node(
          start: 0, length: dictionary.surfaceLength(id), entry: id, unknownCategory: -1, unknownIndex: -1,
          leftId: Int(dictionary.leftIds[id]), rightId: Int(dictionary.rightIds[id]), cost: Int(dictionary.costs[id]),
          minCost: 0, back: -1))
      }
      let matched = !entries.isEmpty
      for (category, _) in dictionary.categories(of: text[base + position]) {
        let definition = dictionary.categories[category]
        if matched && !definition.invoke { continue }
        let length = definition.group ? maxUnknownLength : definition.length
        var end = position + 1
        var next = position + 1
        while next < min(chunkSize, position + length + 1) {
          let others = dictionary.categories(of: text[base + next])
          if others.contains(where: { $0.category == category || $0.compatible.contains(category) }) {
            end = next + 1
            next += 1
          } else {
            break
          }
        }
        for (index, unknown) in dictionary.unknowns[category].enumerated() {
          add(Node(
            start: position, length: end - position, entry: -1 - position, unknownCategory: category, unknownIndex: index,
            leftId: unknown.leftId, rightId: unknown.rightId, cost: unknown.cost, minCost: 0, back: -1))
        }
      }
      // forward(): the next lattice position where some node ends.
      let old = p
      p += 1
      while p < ending.count && ending[p].isEmpty { p += 1 }
      position += p - old
    }
    // end(): EOS at p, then back from it.
    add(Node(start: 0, length: 1, entry: -1, unknownCategory: -1, unknownIndex: -1, leftId: 0, rightId: 0, cost: 0, minCost: 0, back: -1))
    var path: [Int] = []
    var current = nodes[nodes.count - 1].back
    while current > 0 {
      path.append(current)
      current = nodes[current].back
    }
    for index in path.reversed() {
      let node = nodes[index]
      let textStart = base + node.start - 1
      var surface = String.UnicodeScalarView()
      surface.append(contentsOf: text[textStart..<(textStart + node.length)])
      if node.isSurface {
        let fields = dictionary.features(node.entry)
        tokens.append(JanomeToken(
          surface: String(surface), partOfSpeech: fields[0..<4].joined(separator: ","), inflectionType: fields[4],
          inflectionForm: fields[5], baseForm: fields[6], reading: fields[7], phonetic: fields.count > 8 ? fields[8] : ""))
      } else {
        let unknown = dictionary.unknowns[node.unknownCategory][node.unknownIndex]
        tokens.append(JanomeToken(
          surface: String(surface), partOfSpeech: unknown.partOfSpeech, inflectionType: "*", inflectionForm: "*",
          baseForm: String(surface), reading: "*", phonetic: "*"))
      }
    }
    return position
  }
}
