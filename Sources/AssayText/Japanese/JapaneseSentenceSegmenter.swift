import Foundation

/// A port of the ja_sentence_segmenter 0.3.0 pipeline M-IFEval's `count_sentences` builds: `normalize` (neologd
/// rules), `split_newline`, `concatenate_matching` (a line ending in の joins the next) and `split_punctuation` on
/// 。!? (not inside 「」 or ()).
public enum JapaneseSentenceSegmenter {
  /// The sentences of a text.
  public static func sentences(_ text: String) -> [String] {
    let lines = splitLines(normalize(Array(text.unicodeScalars)))
    var joined: [[Unicode.Scalar]] = []
    if var former = lines.first {
      for latter in lines.dropFirst() {
        if former.count >= 2 && former.last == "の" {
          former += latter
        } else {
          joined.append(former)
          former = latter
        }
      }
      joined.append(former)
    }
    return joined.flatMap(splitPunctuation).map { String(String.UnicodeScalarView($0)) }
  }

  /// `count_sentences`: how many sentences the pipeline yields.
  public static func count(_ text: String) -> Int { sentences(text).count }

  // MARK: normalize

  static func inRanges(_ scalar: Unicode.Scalar, _ ranges: [ClosedRange<UInt32>]) -> Bool {
    ranges.contains { $0.contains(scalar.value) }
  }

  /// `__unicode_normalize`: NFKC on each maximal run of the class, then "－" to "-".
  static func normalizeRuns(_ text: [Unicode.Scalar], _ member: (Unicode.Scalar) -> Bool) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    var index = 0
    while index < text.count {
      if member(text[index]) {
        var end = index
        while end < text.count && member(text[end]) { end += 1 }
        let run = String(String.UnicodeScalarView(text[index..<end]))
        // NFKC as NFKD then canonical composition: Foundation's own NFKC on Linux leaves half-width ｶﾞ as カ + U+3099.
        result += Array(run.decomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping.unicodeScalars)
        index = end
      } else {
        result.append(text[index])
        index += 1
      }
    }
    return result.map { $0 == "\u{FF0D}" ? "-" : $0 }
  }

  /// Every run of members replaced by one scalar.
  static func collapse(_ text: [Unicode.Scalar], _ members: Set<Unicode.Scalar>, into replacement: Unicode.Scalar) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    var previousMember = false
    for scalar in text {
      if members.contains(scalar) {
        if !previousMember { result.append(replacement) }
        previousMember = true
      } else {
        result.append(scalar)
        previousMember = false
      }
    }
    return result
  }

  static let fullwidthAlphanumerics: [ClosedRange<UInt32>] = [0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0xFF61...0xFF9F]
  static let hyphens = Set("\u{02D7}\u{058A}\u{2010}\u{2011}\u{2012}\u{2013}\u{2043}\u{207B}\u{208B}\u{2212}".unicodeScalars)
  static let choonpus = Set("\u{FE63}\u{FF0D}\u{FF70}\u{2014}\u{2015}\u{2500}\u{2501}\u{30FC}".unicodeScalars)
  static let tildes = Set("~\u{223C}\u{223E}\u{301C}\u{3030}\u{FF5E}".unicodeScalars)
  static let translation: [Unicode.Scalar: Unicode.Scalar] = {
    let from = Array("!\"#$%&'()*+,-./:;<=>?@[¥]^_`{|}~｡､･｢｣".unicodeScalars)
    let to = Array("！”＃＄％＆’（）＊＋，－．／：；＜＝＞？＠［￥］＾＿｀｛｜｝〜。、・「」".unicodeScalars)
    precondition(from.count == to.count, "normalize's translation table must pair its characters")
    return Dictionary(zip(from, to), uniquingKeysWith: { _, last in last })
  }()
  static let fullwidthSymbols = Set("！”＃＄％＆’（）＊＋，－．／：；＜＞？＠［￥］＾＿｀｛｜｝〜".unicodeScalars)
  static let blocks: [ClosedRange<UInt32>] = [0x4E00...0x9FFF, 0x3040...0x309F, 0x30A0...0x30FF, 0x3000...0x303F, 0xFF00...0xFFEF]

  /// `__normalize_neologd(s, remove_tildes=False)`.
  static func normalize(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var text = Array(PythonText.strip(input[...]))
    text = normalizeRuns(text) { inRanges($0, fullwidthAlphanumerics) }
    text = collapse(text, hyphens, into: "-")
    text = collapse(text, choonpus, into: "ー")
    text = text.map { tildes.contains($0) ? "～" : $0 }
    text = text.map { translation[$0] ?? $0 }
    text = collapse(text, [" ", "\u{3000}"], into: " ")
    let isBlock = { (scalar: Unicode.Scalar) in inRanges(scalar, blocks) }
    let isLatin = { (scalar: Unicode.Scalar) in scalar.value <= 0x7F }
    text = removeSpaceBetween(text, isBlock, isBlock)
    text = removeSpaceBetween(text, isBlock, isLatin)
    text = removeSpaceBetween(text, isLatin, isBlock)
    text = normalizeRuns(text) { fullwidthSymbols.contains($0) }
    return text.map { $0 == "’" ? "'" : $0 == "”" ? "\"" : $0 }
  }

  /// `remove_space_between`: `re.sub("([cls1]) ([cls2])", r"\1\2")` repeated while the pattern is found.
  static func removeSpaceBetween(
    _ input: [Unicode.Scalar], _ first: (Unicode.Scalar) -> Bool, _ second: (Unicode.Scalar) -> Bool
  ) -> [Unicode.Scalar] {
    var text = input
    while true {
      var result: [Unicode.Scalar] = []
      var index = 0
      var found = false
      while index < text.count {
        if index + 2 < text.count && first(text[index]) && text[index + 1] == " " && second(text[index + 2]) {
          result.append(text[index])
          result.append(text[index + 2])
          index += 3
          found = true
        } else {
          result.append(text[index])
          index += 1
        }
      }
      if !found { return text }
      text = result
    }
  }

  // MARK: lines and punctuation

  static let lineBoundaries = Set("\n\r\u{0B}\u{0C}\u{1C}\u{1D}\u{1E}\u{85}\u{2028}\u{2029}".unicodeScalars)

  /// Python's `str.splitlines()` (no trailing empty line; `\r\n` is one boundary).
  static func splitLines(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    var lines: [[Unicode.Scalar]] = []
    var current: [Unicode.Scalar] = []
    var index = 0
    while index < text.count {
      let scalar = text[index]
      if lineBoundaries.contains(scalar) {
        lines.append(current)
        current = []
        if scalar == "\r" && index + 1 < text.count && text[index + 1] == "\n" { index += 1 }
      } else {
        current.append(scalar)
      }
      index += 1
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  static let escape: Unicode.Scalar = "∯"
  static let punctuation = Set("。!?".unicodeScalars)

  /// `escape_between_punctuation` on one match: punctuation not next to ∯ (within the match) gets ∯ on both sides.
  static func escapePunctuation(_ text: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
    let match = Array(text)
    var result: [Unicode.Scalar] = []
    for (index, scalar) in match.enumerated() {
      if punctuation.contains(scalar) && (index == 0 || match[index - 1] != escape) && (index + 1 == match.count || match[index + 1] != escape) {
        result += [escape, scalar, escape]
      } else {
        result.append(scalar)
      }
    }
    return result
  }

  /// `re.sub(open [^open close]* close, escape_between_punctuation, text)`.
  static func escapeBetween(_ text: [Unicode.Scalar], open: Unicode.Scalar, close: Unicode.Scalar) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    var index = 0
    while index < text.count {
      if text[index] == open {
        var end = index + 1
        while end < text.count && text[end] != open && text[end] != close { end += 1 }
        if end < text.count && text[end] == close {
          result += escapePunctuation(text[index...end])
          index = end + 1
          continue
        }
      }
      result.append(text[index])
      index += 1
    }
    return result
  }

  /// `split_punctuation(line, punctuations="。!?")`.
  static func splitPunctuation(_ line: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
    let escaped = escapeBetween(escapeBetween(line, open: "「", close: "」"), open: "(", close: ")")
    var split: [Unicode.Scalar] = []
    for (index, scalar) in escaped.enumerated() {
      split.append(scalar)
      if punctuation.contains(scalar) && (index == 0 || escaped[index - 1] != escape)
        && (index + 1 == escaped.count || escaped[index + 1] != escape)
      {
        split.append("\n")
      }
    }
    var unescaped: [Unicode.Scalar] = []
    var index = 0
    while index < split.count {
      if index + 2 < split.count && split[index] == escape && punctuation.contains(split[index + 1]) && split[index + 2] == escape {
        unescaped.append(split[index + 1])
        index += 3
      } else {
        unescaped.append(split[index])
        index += 1
      }
    }
    return splitLines(unescaped)
  }
}
