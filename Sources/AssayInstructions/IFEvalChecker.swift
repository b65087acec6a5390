import AssayCore
import AssayText
import Foundation

/// The text tools three kinds of IFEval instruction need, as closures so the checker stays free of where they come
/// from: nltk's English Punkt sentence count, nltk's `word_tokenize`, and langdetect's `detect` (nil where
/// langdetect raises, which the reference counts as following the instruction).
public struct IFEvalTextTools: Sendable {
  /// The number of sentences (`length_constraints:number_sentences`).
  public var countSentences: @Sendable (String) -> Int
  /// Word tokens (`change_case:capital_word_frequency` counts the upper-case ones).
  public var wordTokens: @Sendable (String) -> [String]
  /// The detected language code (`language:response_language`, `change_case:english_*`).
  public var detectLanguage: @Sendable (String) -> String?

  /// Tools from three closures.
  public init(
    countSentences: @escaping @Sendable (String) -> Int, wordTokens: @escaping @Sendable (String) -> [String],
    detectLanguage: @escaping @Sendable (String) -> String?
  ) {
    self.countSentences = countSentences
    self.wordTokens = wordTokens
    self.detectLanguage = detectLanguage
  }
}

/// IFEval's verdicts for one response: strict (the response as given) and loose (also with the first line, the
/// last line or both removed, and with asterisks removed), per instruction in the prompt's order.
public struct IFEvalVerdict: Sendable, Equatable, Codable {
  /// Strict verdict per instruction.
  public var strict: [Bool]
  /// Loose verdict per instruction.
  public var loose: [Bool]

  /// Whether every instruction was followed, strictly.
  public var promptStrict: Bool { strict.allSatisfy { $0 } }
  /// Whether every instruction was followed, loosely.
  public var promptLoose: Bool { loose.allSatisfy { $0 } }
}

/// Checks responses against IFEval instructions exactly as Google's reference implementation does.
public struct IFEvalChecker: Sendable {
  /// The sentence, word and language tools.
  public let tools: IFEvalTextTools

  /// A checker with its text tools.
  public init(tools: IFEvalTextTools) { self.tools = tools }

  /// Strict and loose verdicts for a response to a prompt with these instructions.
  public func verdict(response: String, instructions: [IFEvalInstruction]) -> IFEvalVerdict {
    Self.verdict(response: response, count: instructions.count) { follows(instructions[$0], $1) }
  }

  /// Strict and loose verdicts of `count` instructions, given whether instruction i is followed by a text (the
  /// reference's evaluation loop, shared by IFEval and M-IFEval).
  public static func verdict(response: String, count: Int, follows: (Int, String) -> Bool) -> IFEvalVerdict {
    let candidates = looseCandidates(response)
    // A text that is only whitespace follows nothing (`if r.strip() and check_following(r)`).
    let usable = candidates.map { !PythonText.strip($0).isEmpty }
    let strict = (0..<count).map { usable[0] && follows($0, response) }
    let loose = (0..<count).map { index in candidates.indices.contains { usable[$0] && follows(index, candidates[$0]) } }
    return IFEvalVerdict(strict: strict, loose: loose)
  }

  /// The eight texts the loose verdict tries, in the reference's order: the response; without asterisks; without
  /// its first line, its last line, or both (each stripped); and those three without asterisks.
  static func looseCandidates(_ response: String) -> [String] {
    let scalars = Array(response.unicodeScalars)
    let first = scalars.firstIndex(of: "\n")
    let last = scalars.lastIndex(of: "\n")
    // "\n".join(lines[1:]) is what follows the first newline; lines[:-1], what precedes the last one.
    let removeFirst = first.map { PythonText.strip(scalars[($0 + 1)...]) } ?? []
    let removeLast = last.map { PythonText.strip(scalars[..<$0]) } ?? []
    let removeBoth = first.flatMap { start in last.map { end in start < end ? PythonText.strip(scalars[(start + 1)..<end]) : [] } } ?? []
    let text = { (slice: ArraySlice<Unicode.Scalar>) in String(String.UnicodeScalarView(slice)) }
    let noStars = { (slice: ArraySlice<Unicode.Scalar>) in String(String.UnicodeScalarView(slice.filter { $0 != "*" })) }
    let whole = scalars[...]
    return [
      response, noStars(whole), text(removeFirst), text(removeLast), text(removeBoth), noStars(removeFirst),
      noStars(removeLast), noStars(removeBoth),
    ]
  }

  /// Whether `value` follows one instruction (the reference's `check_following`).
  public func follows(_ instruction: IFEvalInstruction, _ value: String) -> Bool {
    switch instruction {
    case .keywordsExistence(let keywords):
      return keywords.allSatisfy { PythonRegex.cached($0, caseInsensitive: true).count(in: value, limit: 1) > 0 }
    case .keywordsFrequency(let keyword, let frequency, let relation):
      return relation.holds(PythonRegex.cached(keyword, caseInsensitive: true).count(in: value), frequency)
    case .forbiddenWords(let words):
      return !words.contains { PythonRegex.cached("\\b" + $0 + "\\b", caseInsensitive: true).count(in: value, limit: 1) > 0 }
    case .letterFrequency(let letter, let frequency, let relation):
      let target = letter.unicodeScalars.first
      let count = PythonText.lower(value).unicodeScalars.reduce(0) { $0 + ($1 == target ? 1 : 0) }
      return relation.holds(count, frequency)
    case .responseLanguage(let language):
      return tools.detectLanguage(value).map { $0 == language } ?? true
    case .numberOfSentences(let threshold, let relation):
      return relation.holds(tools.countSentences(value), threshold)
    case .numberOfParagraphs(let expected):
      return Self.paragraphCount(value).map { $0 == expected } ?? false
    case .numberOfWords(let threshold, let relation):
      return relation.holds(PythonText.wordCount(value), threshold)
    case .nthParagraphFirstWord(let paragraphs, let nth, let firstWord):
      return Self.nthParagraphFirstWord(value, paragraphs: paragraphs, nth: nth, firstWord: firstWord)
    case .placeholders(let minimum):
      return Self.bracketPlaceholders.count(in: value) >= minimum
    case .postscript(let marker):
      let pattern: String
      switch marker {
      case "P.P.S": pattern = "\\s*p\\.\\s?p\\.\\s?s.*$"
      case "P.S.": pattern = "\\s*p\\.\\s?s\\..*$"
      default: pattern = "\\s*" + PythonText.lower(marker) + ".*$"
      }
      return PythonRegex.cached(pattern, multiline: true).count(in: PythonText.lower(value), limit: 1) > 0
    case .bulletLists(let expected):
      return Self.starBullets.count(in: value) + Self.dashBullets.count(in: value) == expected
    case .constrainedResponse:
      let stripped = PythonText.strip(value)
      return ["My answer is yes.", "My answer is no.", "My answer is maybe."].contains { PythonText.contains(stripped, $0) }
    case .highlightedSections(let minimum):
      let single = Self.singleHighlight.matches(in: value).filter { !PythonText.strip(PythonText.strip($0, "*")).isEmpty }
      let double = Self.doubleHighlight.matches(in: value).filter {
        !PythonText.strip(PythonText.removeSuffix(PythonText.removePrefix($0, "**"), "**")).isEmpty
      }
      return single.count + double.count >= minimum
    case .sections(let splitter, let count):
      return PythonRegex.cached("\\s?" + splitter + "\\s?\\d+\\s?").count(in: value) >= count
    case .jsonFormat:
      var text = PythonText.strip(value)
      for prefix in ["```json", "```Json", "```JSON", "```"] { text = PythonText.removePrefix(text, prefix) }
      return PythonJSON.isValid(PythonText.strip(PythonText.removeSuffix(text, "```")))
    case .title:
      return Self.angleTitle.matches(in: value).contains {
        !PythonText.strip(PythonText.strip(PythonText.strip($0, "<", trailing: false), ">", leading: false)).isEmpty
      }
    case .twoResponses:
      return Self.twoResponses(value)
    case .repeatPrompt(let prompt):
      return PythonText.hasPrefix(PythonText.lower(PythonText.strip(value)), PythonText.lower(PythonText.strip(prompt)))
    case .endPhrase(let phrase):
      let text = PythonText.lower(PythonText.strip(PythonText.strip(value), "\""))
      return PythonText.hasSuffix(text, PythonText.lower(PythonText.strip(phrase)))
    case .capitalWordFrequency(let threshold, let relation):
      return relation.holds(tools.wordTokens(value).filter(PythonText.isUpper).count, threshold)
    // `value.isupper() and langdetect.detect(value) == "en"`: the case test comes first, so text with no cased
    // letter fails without langdetect being asked (whose error would count as following).
    case .englishCapital:
      guard PythonText.isUpper(value) else { return false }
      return tools.detectLanguage(value).map { $0 == "en" } ?? true
    case .englishLowercase:
      guard PythonText.isLower(value) else { return false }
      return tools.detectLanguage(value).map { $0 == "en" } ?? true
    case .noComma:
      return !value.unicodeScalars.contains(",")
    case .quotation:
      let scalars = Array(PythonText.strip(value).unicodeScalars)
      return scalars.count > 1 && scalars.first == "\"" && scalars.last == "\""
    }
  }

  static let bracketPlaceholders = PythonRegex("\\[.*?\\]")
  static let starBullets = PythonRegex("^\\s*\\*[^\\*].*$", multiline: true)
  static let dashBullets = PythonRegex("^\\s*-.*$", multiline: true)
  static let singleHighlight = PythonRegex("\\*[^\\n\\*]*\\*")
  static let doubleHighlight = PythonRegex("\\*\\*[^\\n\\*]*\\*\\*")
  static let angleTitle = PythonRegex("<<[^\\n]+>>")
  static let paragraphDivider = PythonRegex("\\s?\\*\\*\\*\\s?")

  /// Paragraphs separated by `***`: empty pieces at either end do not count; an empty one inside fails (nil).
  static func paragraphCount(_ value: String) -> Int? {
    let paragraphs = paragraphDivider.split(value)
    var count = paragraphs.count
    for (index, paragraph) in paragraphs.enumerated() where PythonText.strip(paragraph).isEmpty {
      guard index == 0 || index == paragraphs.count - 1 else { return nil }
      count -= 1
    }
    return count
  }

  static func nthParagraphFirstWord(_ value: String, paragraphs expected: Int, nth: Int, firstWord: String) -> Bool {
    let paragraphs = PythonText.split(value, separator: "\n\n")
    let count = paragraphs.count - paragraphs.filter { PythonText.strip($0).isEmpty }.count
    guard nth <= count else { return false }
    let paragraph = PythonText.strip(paragraphs[nth - 1])
    guard let first = PythonText.split(paragraph).first else { return false }
    let word = PythonText.strip(PythonText.strip(PythonText.strip(first), "'", trailing: false), "\"", trailing: false)
    let punctuation: Set<Unicode.Scalar> = [".", ",", "?", "!", "'", "\""]
    var lowered = ""
    for scalar in word.unicodeScalars {
      if punctuation.contains(scalar) { break }
      var single = String.UnicodeScalarView()
      single.append(scalar)
      lowered += PythonText.lower(String(single))
    }
    return count == expected && lowered == firstWord
  }

  static func twoResponses(_ value: String) -> Bool {
    let responses = PythonText.split(value, separator: "******")
    var valid: [String] = []
    for (index, response) in responses.enumerated() {
      if PythonText.strip(response).isEmpty {
        if index != 0 && index != responses.count - 1 { return false }
      } else {
        valid.append(response)
      }
    }
    return valid.count == 2
      && !PythonText.strip(valid[0]).unicodeScalars.elementsEqual(PythonText.strip(valid[1]).unicodeScalars)
  }
}
