import AssayText

/// chrF and chrF++ as sacrebleu (2.x) computes them by default: character n-grams of orders 1-6 over the text with
/// whitespace removed, plus (chrF++) word n-grams of orders 1-2 over whitespace tokens with one leading or trailing
/// punctuation mark split off; statistics summed over the corpus; precision and recall averaged over the orders that
/// have n-grams on both sides; F-beta with beta = 2; 0-100.
public struct ChrF: Sendable {
  /// Character n-gram orders.
  public var charOrder = 6
  /// Word n-gram orders (0: chrF, 2: chrF++).
  public var wordOrder: Int
  /// Recall weight.
  public var beta = 2.0

  /// chrF (`wordOrder` 0) or chrF++ (`wordOrder` 2).
  public init(wordOrder: Int) {
    self.wordOrder = wordOrder
  }

  static let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

  /// The corpus score of line-aligned hypotheses and references.
  public func corpusScore(hypotheses: [String], references: [String]) -> Double {
    var totals = [Int](repeating: 0, count: 3 * (charOrder + wordOrder))
    for (hypothesis, reference) in zip(hypotheses, references) {
      for (index, value) in statistics(hypothesis, reference).enumerated() { totals[index] += value }
    }
    return score(totals)
  }

  /// Per order: hypothesis n-grams, reference n-grams, matches (clipped counts).
  func statistics(_ hypothesis: String, _ reference: String) -> [Int] {
    var stats: [Int] = []
    // Python slices code points, so n-grams are over Unicode scalars, not grapheme clusters.
    let hypChars = PythonText.codePoints(PythonText.split(hypothesis).joined())
    let refChars = PythonText.codePoints(PythonText.split(reference).joined())
    for order in 1...charOrder {
      stats += Self.match(Self.ngrams(hypChars, order), Self.ngrams(refChars, order))
    }
    if wordOrder > 0 {
      let hypWords = Self.words(hypothesis)
      let refWords = Self.words(reference)
      for order in 1...wordOrder {
        stats += Self.match(
          PythonText.ngramCounts(hypWords, order: order), PythonText.ngramCounts(refWords, order: order))
      }
    }
    return stats
  }

  func score(_ stats: [Int]) -> Double {
    var precision = 0.0
    var recall = 0.0
    var effective = 0
    for order in 0..<(charOrder + wordOrder) {
      let (hyp, ref, matches) = (stats[3 * order], stats[3 * order + 1], stats[3 * order + 2])
      if hyp > 0 && ref > 0 {
        precision += Double(matches) / Double(hyp)
        recall += Double(matches) / Double(ref)
        effective += 1
      }
    }
    guard effective > 0 else { return 0 }
    precision /= Double(effective)
    recall /= Double(effective)
    guard precision + recall > 0 else { return 0 }
    let factor = beta * beta
    return 100 * (1 + factor) * precision * recall / (factor * precision + recall)
  }

  /// Whitespace tokens with one trailing (else leading) punctuation mark split off, as sacrebleu does.
  static func words(_ text: String) -> [String] {
    var tokens: [String] = []
    for word in PythonText.split(text) {
      let scalars = word.unicodeScalars
      if scalars.count == 1 {
        tokens.append(word)
      } else if let last = scalars.last, punctuation.contains(Character(last)) {
        tokens += [String(String.UnicodeScalarView(scalars.dropLast())), String(last)]
      } else if let first = scalars.first, punctuation.contains(Character(first)) {
        tokens += [String(first), String(String.UnicodeScalarView(scalars.dropFirst()))]
      } else {
        tokens.append(word)
      }
    }
    return tokens
  }

  static func ngrams(_ units: [UInt32], _ order: Int) -> [[UInt32]: Int] {
    var counts: [[UInt32]: Int] = [:]
    guard units.count >= order else { return counts }
    for start in 0...(units.count - order) { counts[Array(units[start..<(start + order)]), default: 0] += 1 }
    return counts
  }

  static func match(_ hypothesis: [[UInt32]: Int], _ reference: [[UInt32]: Int]) -> [Int] {
    var matches = 0
    for (gram, count) in hypothesis { matches += min(count, reference[gram] ?? 0) }
    // As sacrebleu: hypothesis n-grams of an order the reference does not have (it is too short) do not count.
    return [reference.isEmpty ? 0 : hypothesis.values.reduce(0, +), reference.values.reduce(0, +), matches]
  }
}
