import Foundation

/// A port of the Python package langdetect 1.0.9 (`langdetect.detect`, `langdetect.detect_langs`), which IFEval's
/// language checks call, reproducing its seeded run (`DetectorFactory.seed = 0`) bit for bit: the same text
/// cleaning, n-grams, random draws (CPython's Mersenne Twister) and floating-point operations in the same order.
///
/// Profile order: langdetect indexes languages in `os.listdir` order, which differs between machines; here they are
/// sorted by file name (whatever order the caller passes). The order decides ties in the sorted result (equal
/// probabilities keep language order) and the order of the terms in each normalization sum, so it moves last bits
/// and could, in principle, flip a convergence test at exactly 0.99999. Measured on 38,507 texts (Tatoeba in 112
/// languages, model outputs): with the same order every probability is bit-identical; against langdetect's listdir
/// order on the development machine, a third differ by at most 2e-15 and no detected language changes.
public struct LanguageDetector: Sendable {
  /// The language codes, in the order of the probability vectors (sorted).
  public let languages: [String]
  /// The seed `_detect_block` reseeds Python's `random` with before each text; nil draws a fresh seed per text.
  public let seed: UInt32?

  private let ngram: LangDetectNGram
  /// An n-gram's code points packed 21 bits each (first in the low bits; U+0000 never occurs in an n-gram) to its row.
  private let rows: [UInt64: Int32]
  /// Row r's non-zero probabilities are entries rowStart[r]..<rowStart[r + 1], by language index.
  private let rowStart: [Int32]
  private let entryLanguage: [Int32]
  private let entryProbability: [Double]

  // langdetect's Detector constants.
  private static let alphaDefault = 0.5
  private static let alphaWidth = 0.05
  private static let iterationLimit = 1000
  private static let probabilityThreshold = 0.1
  private static let convergenceThreshold = 0.99999
  private static let baseFrequency = 10000.0
  private static let trials = 7
  private static let maxTextLength = 10000
  private static let space = LangDetectNGram.space

  /// A detector from the contents of langdetect's profile files (`code`: the file name) and of its
  /// `utils/messages.properties`; `seed` is `DetectorFactory.seed` (0 is the reproducible reference).
  public init(profiles: [(code: String, json: String)], messages: String, seed: UInt32? = 0) throws {
    guard !profiles.isEmpty else { throw TextDataError(.invalidData, "langdetect needs at least one language profile") }
    ngram = try LangDetectNGram(messages: messages)
    self.seed = seed
    let ordered = profiles.sorted { $0.code.unicodeScalars.lexicographicallyPrecedes($1.code.unicodeScalars) }
    var languages: [String] = []
    var rows: [UInt64: Int32] = [:]
    // (row, language, probability) in language order, bucketed by row below.
    var entryRows: [Int32] = []
    var entryLanguages: [Int32] = []
    var entryProbabilities: [Double] = []
    for (index, file) in ordered.enumerated() {
      let profile = try LangDetectProfile(json: file.json, source: file.code)
      guard !languages.contains(profile.name) else {
        throw TextDataError(.invalidData, "langdetect profile \(file.code) repeats the language \(profile.name)")
      }
      languages.append(profile.name)
      for (gram, count) in profile.frequencies {
        // Grams of other lengths get an all-zero row in Python, and a U+0000 never reaches an n-gram (it
        // normalizes to a space): neither can match, so neither is stored.
        guard (1...3).contains(gram.count), !gram.contains(0) else { continue }
        guard gram.count <= profile.wordCounts.count else {
          throw TextDataError(.invalidData, "langdetect profile \(file.code) has no n_words for \(gram.count)-grams")
        }
        let key = Self.pack(gram[...])
        let row: Int32
        if let existing = rows[key] {
          row = existing
        } else {
          row = Int32(rows.count)
          rows[key] = row
        }
        entryRows.append(row)
        entryLanguages.append(Int32(index))
        entryProbabilities.append(1.0 * count / profile.wordCounts[gram.count - 1])
      }
    }
    // A stable counting sort by row keeps each row's entries in language order (a repeated key's later value
    // then overwrites the earlier one when applied, as Python's dict keeps the last).
    var start = [Int32](repeating: 0, count: rows.count + 1)
    for row in entryRows { start[Int(row) + 1] += 1 }
    for row in 0..<rows.count { start[row + 1] += start[row] }
    var next = start
    var sortedLanguages = [Int32](repeating: 0, count: entryRows.count)
    var sortedProbabilities = [Double](repeating: 0, count: entryRows.count)
    for (entry, row) in entryRows.enumerated() {
      let slot = Int(next[Int(row)])
      next[Int(row)] += 1
      sortedLanguages[slot] = entryLanguages[entry]
      sortedProbabilities[slot] = entryProbabilities[entry]
    }
    self.languages = languages
    self.rows = rows
    rowStart = start
    entryLanguage = sortedLanguages
    entryProbability = sortedProbabilities
  }

  /// `langdetect.detect(text)`: the most probable language's code, "unknown" when no language's probability
  /// exceeds 0.1, or nil where langdetect raises LangDetectException (no n-gram of the text is in any profile;
  /// IFEval counts that as following the instruction).
  public func detect(_ text: String) -> String? {
    guard let probabilities = languageProbabilities(text) else { return nil }
    return sortedAboveThreshold(probabilities).first?.code ?? "unknown"
  }

  /// `langdetect.detect_langs(text)`: the languages above probability 0.1, most probable first (ties in language
  /// order); empty where langdetect raises LangDetectException.
  public func probabilities(_ text: String) -> [(code: String, probability: Double)] {
    guard let probabilities = languageProbabilities(text) else { return [] }
    return sortedAboveThreshold(probabilities)
  }

  private static func pack(_ gram: ArraySlice<UInt32>) -> UInt64 {
    var key: UInt64 = 0
    var shift: UInt64 = 0
    for scalar in gram {
      key |= UInt64(scalar) << shift
      shift += 21
    }
    return key
  }

  /// `Detector.append` then `_detect_block`: the averaged probability per language, nil without features.
  private func languageProbabilities(_ text: String) -> [Double]? {
    var scalars = text.unicodeScalars.map(\.value)
    scalars = Self.removeURLs(scalars)
    scalars = Self.removeMailAddresses(scalars)
    scalars = ngram.normalizeVietnamese(scalars)
    // Cut to max_text_length code points, runs of spaces collapsed.
    var characters: [UInt32] = []
    characters.reserveCapacity(min(scalars.count, Self.maxTextLength))
    var previous: UInt32 = 0
    for character in scalars.prefix(Self.maxTextLength) {
      if character != Self.space || previous != Self.space { characters.append(character) }
      previous = character
    }
    let grams = extractNGrams(Self.cleaned(characters))
    guard !grams.isEmpty else { return nil }
    return detectBlock(grams)
  }

  /// `cleaning_text`: drops the ASCII range A...z when fewer than half as many characters are in it as are at or
  /// above U+0300. (langdetect means to exempt Latin Extended Additional there, but it compares the block number
  /// to a block name, which is never equal, so those letters count as non-Latin; kept.)
  private static func cleaned(_ text: [UInt32]) -> [UInt32] {
    var latin = 0
    var nonLatin = 0
    for character in text {
      if (0x41...0x7A).contains(character) {
        latin += 1
      } else if character >= 0x300 {
        nonLatin += 1
      }
    }
    guard latin * 2 < nonLatin else { return text }
    return text.filter { $0 < 0x41 || $0 > 0x7A }
  }

  /// `_extract_ngrams`: the profile rows of the text's 1-, 2- and 3-grams, skipping words in capitals.
  private func extractNGrams(_ text: [UInt32]) -> [Int32] {
    var result: [Int32] = []
    var gram: [UInt32] = [Self.space]
    gram.reserveCapacity(4)
    var capitalWord = false
    for raw in text {
      // NGram.add_char
      let character = ngram.normalize(raw)
      let last = gram[gram.count - 1]
      if last == Self.space {
        gram.removeAll(keepingCapacity: true)
        gram.append(Self.space)
        capitalWord = false
        // add_char returns early; the lone space is no feature.
        if character == Self.space { continue }
      } else if gram.count >= 3 {
        gram.removeFirst()
      }
      gram.append(character)
      if LangDetectNGram.isUpper(character) {
        if LangDetectNGram.isUpper(last) { capitalWord = true }
      } else {
        capitalWord = false
      }
      if capitalWord { continue }
      for n in 1...3 {
        if gram.count < n { break }
        if n == 1 && character == Self.space { continue }
        if let row = rows[Self.pack(gram[(gram.count - n)...])] { result.append(row) }
      }
    }
    return result
  }

  /// `_detect_block` after feature extraction: seven random walks over the n-grams, averaged.
  private func detectBlock(_ grams: [Int32]) -> [Double] {
    let count = languages.count
    var random = seed.map { PythonRandom(seed: $0) } ?? PythonRandom.systemSeeded()
    var averaged = [Double](repeating: 0.0, count: count)
    var factors = [Double](repeating: 0.0, count: count)
    for _ in 0..<Self.trials {
      var probabilities = [Double](repeating: 1.0 / Double(count), count: count)
      let alpha = Self.alphaDefault + random.gauss(mu: 0.0, sigma: 1.0) * Self.alphaWidth
      // _update_lang_prob multiplies each language's probability by weight + p(gram | language); the factors start
      // at weight + 0.0 (= weight) and the row's non-zero entries are patched in and out for each draw.
      let weight = alpha / Self.baseFrequency
      for index in 0..<count { factors[index] = weight }
      var iteration = 0
      while true {
        let row = Int(random.choice(grams))
        let entries = Int(rowStart[row])..<Int(rowStart[row + 1])
        for entry in entries { factors[Int(entryLanguage[entry])] = weight + entryProbability[entry] }
        for index in 0..<count { probabilities[index] *= factors[index] }
        for entry in entries { factors[Int(entryLanguage[entry])] = weight }
        if iteration % 5 == 0 {
          if Self.normalize(&probabilities) > Self.convergenceThreshold || iteration >= Self.iterationLimit { break }
        }
        iteration += 1
      }
      for index in 0..<count { averaged[index] += probabilities[index] / Double(Self.trials) }
    }
    return averaged
  }

  /// `_normalize_prob`: divides by the sum (added left to right, as Python 3.11's `sum` does for floats) and
  /// returns the largest probability.
  private static func normalize(_ probabilities: inout [Double]) -> Double {
    var sum = 0.0
    for probability in probabilities { sum += probability }
    var maximum = 0.0
    for index in probabilities.indices {
      let probability = probabilities[index] / sum
      if maximum < probability { maximum = probability }
      probabilities[index] = probability
    }
    return maximum
  }

  /// `_sort_probability`: the languages above 0.1, by probability descending; Python's stable
  /// `sort(reverse=True)` keeps equal probabilities in language order.
  private func sortedAboveThreshold(_ probabilities: [Double]) -> [(code: String, probability: Double)] {
    probabilities.indices
      .filter { probabilities[$0] > Self.probabilityThreshold }
      .sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
      .map { (code: languages[$0], probability: probabilities[$0]) }
  }

  // MARK: - Detector.append's regular expressions, as Python's backtracking `re` matches them.

  private static func isURLCharacter(_ c: UInt32) -> Bool {
    // [-_.?&~;+=/#0-9A-Za-z]
    switch c {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    case 0x2D, 0x5F, 0x2E, 0x3F, 0x26, 0x7E, 0x3B, 0x2B, 0x3D, 0x2F, 0x23: return true
    default: return false
    }
  }

  /// `[-_0-9A-Za-z]`
  private static func isDomainStart(_ c: UInt32) -> Bool {
    switch c {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F: return true
    default: return false
    }
  }

  /// `[-_.0-9A-Za-z]`
  private static func isMailCharacter(_ c: UInt32) -> Bool { c == 0x2E || isDomainStart(c) }

  /// `URL_RE.sub(' ', text)` with `https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}`.
  static func removeURLs(_ text: [UInt32]) -> [UInt32] {
    let h: UInt32 = 0x68
    let t: UInt32 = 0x74
    let p: UInt32 = 0x70
    let s: UInt32 = 0x73
    func end(at start: Int) -> Int? {
      guard start + 4 <= text.count, text[start] == h, text[start + 1] == t, text[start + 2] == t, text[start + 3] == p
      else { return nil }
      var index = start + 4
      // "https?": with the s taken, "://" must follow; without it the next character would be the s, not ':'.
      if index < text.count, text[index] == s { index += 1 }
      guard index + 3 <= text.count, text[index] == 0x3A, text[index + 1] == 0x2F, text[index + 2] == 0x2F
      else { return nil }
      index += 3
      var last = index
      while last < text.count, last - index < 2076, isURLCharacter(text[last]) { last += 1 }
      return last > index ? last : nil
    }
    return substitute(text, trigger: h, end: end)
  }

  /// `MAIL_RE.sub(' ', text)` with `[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}`. '@' is in no
  /// class, so a match starting at i needs 1...64 class characters from i to an '@'. After it, with R the run of
  /// `[-_.0-9A-Za-z]` and k the length of its leading `[-_0-9A-Za-z]` part, the backtracking result needs k >= 1
  /// and |R| >= 2 and ends min(|R|, min(k, 255) + 255) characters after the '@'.
  static func removeMailAddresses(_ text: [UInt32]) -> [UInt32] {
    let at: UInt32 = 0x40
    func end(at start: Int) -> Int? {
      guard isMailCharacter(text[start]) else { return nil }
      var index = start
      while index < text.count, index - start <= 64, isMailCharacter(text[index]) { index += 1 }
      guard index < text.count, text[index] == at, index - start <= 64 else { return nil }
      let domain = index + 1
      var leading = domain
      while leading < text.count, isDomainStart(text[leading]) { leading += 1 }
      var run = leading
      while run < text.count, isMailCharacter(text[run]) { run += 1 }
      let k = leading - domain
      let r = run - domain
      guard k >= 1, r >= 2 else { return nil }
      return domain + min(r, min(k, 255) + 255)
    }
    return substitute(text, trigger: at, end: end)
  }

  /// `pattern.sub(' ', text)` for a pattern whose matches contain `trigger`: scans left to right, replacing each
  /// match (`end(at: i)`, the end of the match starting at i, if any) with one space.
  private static func substitute(_ text: [UInt32], trigger: UInt32, end: (Int) -> Int?) -> [UInt32] {
    guard text.contains(trigger) else { return text }
    var out: [UInt32] = []
    out.reserveCapacity(text.count)
    var index = 0
    while index < text.count {
      if let matchEnd = end(index) {
        out.append(space)
        index = matchEnd
      } else {
        out.append(text[index])
        index += 1
      }
    }
    return out
  }
}
