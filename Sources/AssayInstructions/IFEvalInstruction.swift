import AssayCore
import AssayText
import Foundation

/// One verifiable instruction of an IFEval prompt with its arguments, as `instruction_id_list` and `kwargs` give
/// them (Google's `instruction_following_eval`, lm-eval's copy): the 25 registered instruction types.
public enum IFEvalInstruction: Sendable, Equatable {
  /// A comparison of a count with a threshold: IFEval's relations are "less than" and "at least".
  public typealias Relation = CountRelation

  case keywordsExistence(keywords: [String])
  case keywordsFrequency(keyword: String, frequency: Int, relation: Relation)
  case forbiddenWords([String])
  case letterFrequency(letter: String, frequency: Int, relation: Relation)
  case responseLanguage(String)
  case numberOfSentences(Int, relation: Relation)
  case numberOfParagraphs(Int)
  case numberOfWords(Int, relation: Relation)
  case nthParagraphFirstWord(paragraphs: Int, nth: Int, firstWord: String)
  case placeholders(Int)
  case postscript(marker: String)
  case bulletLists(Int)
  case constrainedResponse
  case highlightedSections(Int)
  case sections(splitter: String, count: Int)
  case jsonFormat
  case title
  case twoResponses
  case repeatPrompt(String)
  case endPhrase(String)
  case capitalWordFrequency(Int, relation: Relation)
  case englishCapital
  case englishLowercase
  case noComma
  case quotation

  /// Every instruction id this implementation knows, in the registry's order.
  public static let ids = [
    "keywords:existence", "keywords:frequency", "keywords:forbidden_words", "keywords:letter_frequency",
    "language:response_language", "length_constraints:number_sentences", "length_constraints:number_paragraphs",
    "length_constraints:number_words", "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders", "detectable_content:postscript", "detectable_format:number_bullet_lists",
    "detectable_format:constrained_response", "detectable_format:number_highlighted_sections",
    "detectable_format:multiple_sections", "detectable_format:json_format", "detectable_format:title",
    "combination:two_responses", "combination:repeat_prompt", "startend:end_checker",
    "change_case:capital_word_frequency", "change_case:english_capital", "change_case:english_lowercase",
    "punctuation:no_comma", "startend:quotation",
  ]

  /// Whether the reference draws this instruction's argument at random (a `letter` that is not one ASCII letter),
  /// so its verdict cannot be reproduced.
  public var isRandomInReference: Bool {
    guard case .letterFrequency(let letter, _, _) = self, let scalar = letter.unicodeScalars.first else { return false }
    return !("a"..."z").contains(scalar)
  }

  /// The instruction named `id` with its arguments. Falsy arguments count as absent, as the reference drops them
  /// before building the instruction; an absent argument the reference would draw at random is an error here,
  /// since a random threshold cannot be reproduced.
  public init(id: String, kwargs: [String: Any]) throws(AssayError) {
    let arguments = kwargs.filter { Self.isTruthy($0.value) }
    func string(_ key: String) throws(AssayError) -> String {
      guard let value = arguments[key] as? String else { throw Self.missing(key, id) }
      return value
    }
    func int(_ key: String) throws(AssayError) -> Int {
      guard let value = arguments[key] as? NSNumber, value.intValue >= 0 else { throw Self.missing(key, id) }
      return value.intValue
    }
    func strings(_ key: String) throws(AssayError) -> [String] {
      guard let value = arguments[key] as? [String] else { throw Self.missing(key, id) }
      return value
    }
    func relation(_ key: String) throws(AssayError) -> Relation {
      let text = try string(key)
      guard let relation = ["less than": Relation.lessThan, "at least": .atLeast][text] else {
        throw AssayError(
          .invalidData, "IFEval instruction \(id): \(key) '\(text)' is neither 'less than' nor 'at least'",
          fix: "use one of the relations the reference supports")
      }
      return relation
    }
    let strip = { (text: String) in PythonText.strip(text) }
    switch id {
    case "keywords:existence": self = .keywordsExistence(keywords: try strings("keywords").sorted(by: Self.pythonOrder))
    case "keywords:frequency":
      self = .keywordsFrequency(keyword: strip(try string("keyword")), frequency: try int("frequency"), relation: try relation("relation"))
    case "keywords:forbidden_words":
      self = .forbiddenWords(Array(Set(try strings("forbidden_words"))).sorted(by: Self.pythonOrder))
    case "keywords:letter_frequency":
      // The reference replaces anything but one ASCII letter with a random letter, so its verdict on IFEval's two
      // such rows (keys 1122 '#' and 1129 '!') changes from run to run; Assay counts the character the prompt asks for.
      let letter = PythonText.lower(PythonText.strip(try string("letter")))
      guard letter.unicodeScalars.count == 1 else {
        throw AssayError(.invalidData, "IFEval instruction \(id): letter '\(letter)' is not one character", fix: "give one character")
      }
      self = .letterFrequency(letter: letter, frequency: try int("let_frequency"), relation: try relation("let_relation"))
    case "language:response_language": self = .responseLanguage(try string("language"))
    case "length_constraints:number_sentences": self = .numberOfSentences(try int("num_sentences"), relation: try relation("relation"))
    case "length_constraints:number_paragraphs": self = .numberOfParagraphs(try int("num_paragraphs"))
    case "length_constraints:number_words": self = .numberOfWords(try int("num_words"), relation: try relation("relation"))
    case "length_constraints:nth_paragraph_first_word":
      let paragraphs = try int("num_paragraphs")
      let nth = try int("nth_paragraph")
      guard nth > 0, nth <= paragraphs else {
        throw AssayError(.invalidData, "IFEval instruction \(id): nth_paragraph \(nth) is not within 1...\(paragraphs)", fix: "fix the kwargs")
      }
      self = .nthParagraphFirstWord(paragraphs: paragraphs, nth: nth, firstWord: PythonText.lower(try string("first_word")))
    case "detectable_content:number_placeholders": self = .placeholders(try int("num_placeholders"))
    case "detectable_content:postscript": self = .postscript(marker: strip(try string("postscript_marker")))
    case "detectable_format:number_bullet_lists": self = .bulletLists(try int("num_bullets"))
    case "detectable_format:constrained_response": self = .constrainedResponse
    case "detectable_format:number_highlighted_sections": self = .highlightedSections(try int("num_highlights"))
    case "detectable_format:multiple_sections":
      self = .sections(splitter: strip(try string("section_spliter")), count: try int("num_sections"))
    case "detectable_format:json_format": self = .jsonFormat
    case "detectable_format:title": self = .title
    case "combination:two_responses": self = .twoResponses
    case "combination:repeat_prompt": self = .repeatPrompt(try string("prompt_to_repeat"))
    case "startend:end_checker": self = .endPhrase(strip(try string("end_phrase")))
    case "change_case:capital_word_frequency":
      self = .capitalWordFrequency(try int("capital_frequency"), relation: try relation("capital_relation"))
    case "change_case:english_capital": self = .englishCapital
    case "change_case:english_lowercase": self = .englishLowercase
    case "punctuation:no_comma": self = .noComma
    case "startend:quotation": self = .quotation
    default:
      if let prefix = id.split(separator: ":").first, prefix.count == 2, id.split(separator: ":").count == 3 {
        throw AssayError(
          .invalidData, "'\(id)' is an M-IFEval instruction; its language-specific checkers are not implemented yet (only IFEval's English ones are)",
          fix: "score IFEval (--suite ifeval); M-IFEval's prompts can be inspected with `assay validate --suite m-ifeval --show-prompts`")
      }
      throw AssayError(
        .invalidData, "unknown IFEval instruction '\(id)'",
        fix: "use one of: \(Self.ids.joined(separator: ", "))")
    }
  }

  /// Python's truthiness of a JSON value: null, false, 0, "" and empty lists or objects are falsy.
  static func isTruthy(_ value: Any) -> Bool {
    switch value {
    case is NSNull: return false
    case let text as String: return !text.isEmpty
    case let list as [Any]: return !list.isEmpty
    case let object as [String: Any]: return !object.isEmpty
    case let number as NSNumber: return number.doubleValue != 0
    default: return true
    }
  }

  /// Python's string order (by code point), which `sorted()` uses.
  static func pythonOrder(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
  }

  static func missing(_ key: String, _ id: String) -> AssayError {
    AssayError(
      .invalidData, "IFEval instruction \(id) needs the argument `\(key)` in its kwargs",
      fix: "give \(key) in the dataset row's kwargs (the reference would draw a random value)")
  }
}
