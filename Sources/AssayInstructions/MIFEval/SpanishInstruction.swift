import AssayCore
import AssayText
import Foundation

/// One verifiable instruction of an M-IFEval Spanish prompt (`es:` ids) with its arguments, checked as the reference
/// (shisa-ai/M-IFEval, `instructions/es_instructions.py` and `instruction_utils/es_instructions_util.py`) checks it.
/// Words are spaCy's `es_core_news_sm` tokens that are not punctuation (SpacySpanishTokenizer); sentences are where
/// Assay cannot follow the reference exactly: it counts them with spaCy's dependency parser, a neural model, and
/// Assay approximates that count with Punkt's Spanish sentences line by line (see `numberOfSentences`). Sixteen of
/// the 30 types are IFEval's checks statement for statement (Spanish relations "al menos"/"como máximo" standing for
/// "at least"/"at most", words counted by spaCy) and run through `IFEvalChecker`; the others are Spanish.
public enum SpanishInstruction: Sendable, Equatable {
  /// A comparison of a count with a threshold: "al menos" (at least) or "como máximo" (at most).
  public typealias Relation = CountRelation

  /// An instruction whose check is IFEval's unchanged, with spaCy's words for `capital_word_frequency`.
  case ifeval(IFEvalInstruction)
  /// The reference counts the sentences spaCy's dependency parser finds in the text with list markers removed (or,
  /// for text langdetect does not call Spanish, those of the `xx_sent_ud_sm` model): a neural model's output that
  /// Assay cannot reproduce. Assay counts Punkt's Spanish sentences in each non-blank line of the same text (the
  /// parser tends to end a sentence at a line break, as after a title line), an approximation: on the cross-check fixture it gives
  /// the reference's verdict 53 times out of 54, and the exact count on about half of plain Tatoeba paragraphs.
  case numberOfSentences(Int, relation: Relation)
  case numberOfWords(Int, relation: Relation)
  case nthParagraphFirstWord(paragraphs: Int, nth: Int, firstWord: String)
  case postscript(marker: String)
  case bulletLists(Int)
  case constrainedResponse
  case endPhrase(String)
  case spanishCapital
  case spanishLowercase
  case questionMarks
  case exclamationMarks
  case enie(Int)
  case dieresis(Int)
  case tildes(Int, relation: Relation)

  /// Every instruction id this implementation knows, in the reference registry's order.
  public static let ids = [
    "es:keywords:existence", "es:keywords:frequency", "es:keywords:forbidden_words", "es:keywords:letter_frequency",
    "es:language:response_language", "es:length_constraints:number_words", "es:length_constraints:number_sentences",
    "es:length_constraints:number_paragraphs", "es:length_constraints:nth_paragraph_first_word",
    "es:detectable_content:number_placeholders", "es:detectable_content:postscript",
    "es:detectable_format:number_bullet_lists", "es:detectable_format:constrained_response",
    "es:detectable_format:number_highlighted_sections", "es:detectable_format:multiple_sections",
    "es:detectable_format:json_format", "es:detectable_format:title", "es:combination:two_responses",
    "es:combination:repeat_prompt", "es:punctuation:no_comma", "es:punctuation:question_marks",
    "es:punctuation:exclamation_marks", "es:startend:end_checker", "es:startend:quotation",
    "es:change_case:capital_word_frequency", "es:change_case:spanish_capital", "es:change_case:spanish_lowercase",
    "es:special_character:enie", "es:special_character:tildes", "es:special_character:dieresis",
  ]

  /// The instruction named `id` with its arguments. The reference passes the kwargs as they are (M-IFEval's
  /// `evaluation_main.py` drops nothing), so a null argument counts as absent, while `0` or `""` keep the meaning
  /// the reference gives them; an argument the reference would then draw at random (absent, negative, or outside
  /// its range) is an error here, since a random threshold cannot be reproduced. A missing `relation` of the
  /// placeholder, highlight and section checks is accepted: the reference draws one but never reads it.
  public init(id: String, kwargs: [String: Any]) throws(AssayError) {
    let arguments = kwargs.filter { !($0.value is NSNull) }
    func string(_ key: String) throws(AssayError) -> String {
      guard let value = arguments[key] as? String else { throw Self.missing(key, id) }
      return value
    }
    func int(_ key: String, negativeIsRandom: Bool = true) throws(AssayError) -> Int {
      guard let value = arguments[key] as? NSNumber, !(negativeIsRandom && value.intValue < 0) else {
        throw Self.missing(key, id)
      }
      return value.intValue
    }
    func relation(_ key: String) throws(AssayError) -> Relation {
      let text = try string(key)
      guard let relation = ["al menos": Relation.atLeast, "como máximo": .atMost][text] else {
        throw AssayError(
          .invalidData, "M-IFEval instruction \(id): \(key) '\(text)' is neither 'al menos' nor 'como máximo'",
          fix: "use one of the relations the reference supports")
      }
      return relation
    }
    func unreadRelation() throws(AssayError) {
      if arguments["relation"] != nil { _ = try relation("relation") }
    }
    func nonEmptyStrings(_ key: String) throws(AssayError) -> [String] {
      guard let value = arguments[key] as? [String], !value.isEmpty else { throw Self.missing(key, id) }
      return value
    }
    let strip = { (text: String) in PythonText.strip(text) }
    switch id {
    case "es:keywords:existence":
      self = .ifeval(.keywordsExistence(keywords: try nonEmptyStrings("keywords").sorted(by: IFEvalInstruction.pythonOrder)))
    case "es:keywords:frequency":
      let keyword = try string("keyword")
      guard !keyword.isEmpty else { throw Self.missing("keyword", id) }
      self = .ifeval(.keywordsFrequency(keyword: strip(keyword), frequency: try int("frequency"), relation: try relation("relation")))
    case "es:keywords:forbidden_words":
      self = .ifeval(.forbiddenWords(Array(Set(try nonEmptyStrings("forbidden_words"))).sorted(by: IFEvalInstruction.pythonOrder)))
    case "es:keywords:letter_frequency":
      // Anything but one letter whose lower case is ASCII a-z is replaced by a random letter in the reference.
      let letter = try string("letter")
      let lowered = PythonText.lower(letter)
      guard letter.unicodeScalars.count == 1, lowered.unicodeScalars.count == 1,
        let scalar = lowered.unicodeScalars.first, ("a"..."z").contains(scalar)
      else {
        throw AssayError(
          .invalidData, "M-IFEval instruction \(id): letter '\(letter)' is not one letter a-z (the reference would draw a random one)",
          fix: "give one ASCII letter")
      }
      self = .ifeval(.letterFrequency(
        letter: PythonText.lower(strip(letter)), frequency: try int("let_frequency"), relation: try relation("let_relation")))
    case "es:language:response_language": self = .ifeval(.responseLanguage(try string("language")))
    case "es:length_constraints:number_sentences":
      self = .numberOfSentences(try int("num_sentences"), relation: try relation("relation"))
    case "es:length_constraints:number_paragraphs": self = .ifeval(.numberOfParagraphs(try int("num_paragraphs")))
    case "es:length_constraints:number_words": self = .numberOfWords(try int("num_words"), relation: try relation("relation"))
    case "es:length_constraints:nth_paragraph_first_word":
      let paragraphs = try int("num_paragraphs")
      let nth = try int("nth_paragraph")
      guard nth > 0, nth <= paragraphs else {
        throw AssayError(
          .invalidData, "M-IFEval instruction \(id): nth_paragraph \(nth) is not within 1...\(paragraphs) (the reference would draw a random one)",
          fix: "fix the kwargs")
      }
      self = .nthParagraphFirstWord(paragraphs: paragraphs, nth: nth, firstWord: PythonText.lower(try string("first_word")))
    case "es:detectable_content:number_placeholders":
      try unreadRelation()
      self = .ifeval(.placeholders(try int("num_placeholders")))
    case "es:detectable_content:postscript": self = .postscript(marker: strip(try string("postscript_marker")))
    case "es:detectable_format:number_bullet_lists": self = .bulletLists(try int("num_bullets"))
    case "es:detectable_format:constrained_response": self = .constrainedResponse
    case "es:detectable_format:number_highlighted_sections":
      try unreadRelation()
      self = .ifeval(.highlightedSections(try int("num_highlights")))
    case "es:detectable_format:multiple_sections":
      try unreadRelation()
      self = .ifeval(.sections(splitter: strip(try string("section_spliter")), count: try int("num_sections")))
    case "es:detectable_format:json_format": self = .ifeval(.jsonFormat)
    case "es:detectable_format:title": self = .ifeval(.title)
    case "es:combination:two_responses": self = .ifeval(.twoResponses)
    case "es:combination:repeat_prompt":
      let prompt = try string("prompt_to_repeat")
      guard !prompt.isEmpty else { throw Self.missing("prompt_to_repeat", id) }
      self = .ifeval(.repeatPrompt(prompt))
    case "es:punctuation:no_comma": self = .ifeval(.noComma)
    case "es:punctuation:question_marks": self = .questionMarks
    case "es:punctuation:exclamation_marks": self = .exclamationMarks
    case "es:startend:end_checker": self = .endPhrase(strip(try string("end_phrase")))
    case "es:startend:quotation": self = .ifeval(.quotation)
    case "es:change_case:capital_word_frequency":
      self = .ifeval(.capitalWordFrequency(
        try int("capital_frequency", negativeIsRandom: false), relation: try relation("capital_relation")))
    case "es:change_case:spanish_capital": self = .spanishCapital
    case "es:change_case:spanish_lowercase": self = .spanishLowercase
    case "es:special_character:enie": self = .enie(try int("let_frequency", negativeIsRandom: false))
    case "es:special_character:dieresis": self = .dieresis(try int("let_frequency", negativeIsRandom: false))
    case "es:special_character:tildes": self = .tildes(try int("num_words"), relation: try relation("relation"))
    default:
      throw AssayError(
        .invalidData, "unknown M-IFEval Spanish instruction '\(id)'", fix: "use one of: \(Self.ids.joined(separator: ", "))")
    }
  }

  static func missing(_ key: String, _ id: String) -> AssayError {
    AssayError(
      .invalidData, "M-IFEval instruction \(id) needs the argument `\(key)` in its kwargs",
      fix: "give \(key) in the dataset row's kwargs (the reference would draw a random value)")
  }

  /// Whether `value` follows the instruction (the reference's `check_following`).
  public func follows(_ value: String, tools: MIFEvalTools) -> Bool {
    switch self {
    case .ifeval(let instruction):
      let languages = tools.languages
      let checker = IFEvalChecker(tools: IFEvalTextTools(
        countSentences: { Self.sentenceCount($0, tools: tools) }, wordTokens: { SpacySpanishTokenizer.shared.words($0) },
        detectLanguage: { languages.detect($0) }))
      return checker.follows(instruction, value)
    case .numberOfSentences(let threshold, let relation):
      return relation.holds(Self.sentenceCount(value, tools: tools), threshold)
    case .numberOfWords(let threshold, let relation):
      let text = PythonText.split(Self.listMarkers.replace(value, with: ""), separator: "\n").joined(separator: " ")
      return relation.holds(SpacySpanishTokenizer.shared.words(text).count, threshold)
    case .nthParagraphFirstWord(let paragraphs, let nth, let firstWord):
      return Self.nthParagraphFirstWords(value, paragraphs: paragraphs, nth: nth, firstWord: firstWord)
    case .postscript(let marker):
      let pattern: String
      switch marker {
      case "P.D.": pattern = "\\s*p\\.\\s?d\\..*$"
      case "Nota": pattern = "\\s*nota.*$"
      default: pattern = "\\s*" + PythonText.lower(marker) + ".*$"
      }
      return PythonRegex.cached(pattern, multiline: true).count(in: PythonText.lower(value), limit: 1) > 0
    case .bulletLists(let expected):
      return IFEvalChecker.starBullets.count(in: value) == expected
    case .constrainedResponse:
      let stripped = PythonText.strip(value)
      return ["Sí.", "No.", "Quizás."].contains { PythonText.contains(stripped, $0) }
    case .endPhrase(let phrase):
      var text = Array(PythonText.lower(PythonText.strip(PythonText.strip(value), "\"")).unicodeScalars)
      if text.last == "." { text.removeLast() }
      return PythonText.hasSuffix(String(String.UnicodeScalarView(text)), PythonText.lower(PythonText.strip(phrase)))
    case .spanishCapital:
      guard Self.allLettersUpper(value) else { return false }
      return tools.languages.detect(PythonText.lower(value)).map { $0 == "es" } ?? true
    case .spanishLowercase:
      guard PythonText.isLower(value) else { return false }
      return tools.languages.detect(value).map { $0 == "es" } ?? true
    case .questionMarks:
      return Self.questions.matches(in: value).contains {
        !PythonText.strip(PythonText.strip(PythonText.strip($0, "¿", trailing: false), "?", leading: false)).isEmpty
      }
    case .exclamationMarks:
      return Self.exclamations.matches(in: value).contains {
        !PythonText.strip(PythonText.strip(PythonText.strip($0, "¡", trailing: false), "!", leading: false)).isEmpty
      }
    case .enie(let expected):
      return SpacySpanishTokenizer.shared.words(value).filter { PythonText.lower($0).unicodeScalars.contains("ñ") }.count == expected
    case .dieresis(let expected):
      return SpacySpanishTokenizer.shared.words(value).filter { PythonText.lower($0).unicodeScalars.contains("ü") }.count == expected
    case .tildes(let threshold, let relation):
      let accented = Set("áéíóúÁÉÍÓÚ".unicodeScalars)
      return relation.holds(
        SpacySpanishTokenizer.shared.words(value).filter { $0.unicodeScalars.contains(where: accented.contains) }.count, threshold)
    }
  }

  /// Punkt's Spanish sentences in each non-blank line of the text with list markers removed (the approximation of
  /// spaCy's parser that `numberOfSentences` describes).
  static func sentenceCount(_ value: String, tools: MIFEvalTools) -> Int {
    let lines = PythonText.split(Self.listMarkers.replace(value, with: ""), separator: "\n")
    return lines.reduce(0) { $0 + (PythonText.strip($1).isEmpty ? 0 : tools.sentences.tokenize($1).count) }
  }

  /// Bullets and numbered-list markers at line starts, which the sentence and word counts remove first.
  static let listMarkers = PythonRegex("(^\\s*[\\d]+\\.\\s*)|(^\\s*[-*]\\s*)", multiline: true)
  static let questions = PythonRegex("¿[^?]*\\?")
  static let exclamations = PythonRegex("¡[^!]*\\!")

  /// Whether every letter of the NFKD form, combining marks skipped, is upper case (`c.isupper() or not c.isalpha()`).
  static func allLettersUpper(_ value: String) -> Bool {
    value.decomposedStringWithCompatibilityMapping.unicodeScalars.allSatisfy { scalar in
      if scalar.properties.canonicalCombiningClass.rawValue != 0 { return true }
      switch scalar.properties.generalCategory {
      case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
        return PythonText.isUpper(String(String.UnicodeScalarView([scalar])))
      default: return true
      }
    }
  }

  /// Paragraphs split at "\n\n": the count of non-blank ones must match, and the nth must start with the words of
  /// `firstWord` once ASCII punctuation is removed from each word and it is lower-cased.
  static func nthParagraphFirstWords(_ value: String, paragraphs expected: Int, nth: Int, firstWord: String) -> Bool {
    let paragraphs = PythonText.split(value, separator: "\n\n")
    let count = paragraphs.count - paragraphs.filter { PythonText.strip($0).isEmpty }.count
    guard nth <= count else { return false }
    let paragraph = PythonText.strip(paragraphs[nth - 1])
    guard !paragraph.isEmpty else { return false }
    let punctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars)
    let expectedWords = PythonText.split(firstWord)
    let words = PythonText.split(paragraph).map {
      PythonText.lower(String(String.UnicodeScalarView($0.unicodeScalars.filter { !punctuation.contains($0) })))
    }
    guard words.count >= expectedWords.count else { return false }
    return count == expected && Array(words.prefix(expectedWords.count)) == expectedWords
  }
}
