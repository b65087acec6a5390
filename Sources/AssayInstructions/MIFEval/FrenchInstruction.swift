import AssayCore
import AssayText
import Foundation

/// One verifiable instruction of an M-IFEval French prompt (an `fr:` id of `instruction_id_list` with its `kwargs`),
/// checked as the reference checks it (M-IFEval's `instructions/fr_instructions.py` and
/// `instruction_utils/fr_instructions_util.py`): the 30 types its registry lists. Twenty of them are IFEval's checks
/// statement for statement (French relations "moins de"/"au moins" standing for "less than"/"at least") and run
/// through `IFEvalChecker`; the others are French.
public enum FrenchInstruction: Sendable, Equatable {
  /// A word the response must spell with its accents (`special_character:accents`): `plain` is the word without
  /// them, as `word_to_accentuate` keys it; `accented`, the spelling required.
  public struct AccentedWord: Sendable, Equatable {
    /// The unaccented form (the key).
    public var plain: String
    /// The required accented form (the value).
    public var accented: String

    /// A word and its accented spelling.
    public init(plain: String, accented: String) {
      self.plain = plain
      self.accented = accented
    }
  }

  /// An instruction whose check is IFEval's unchanged.
  case ifeval(IFEvalInstruction)
  /// `length_constraints:number_sentences`: nltk's French Punkt with the reference's extra abbreviations.
  case numberOfSentences(Int, relation: IFEvalInstruction.Relation)
  /// `detectable_format:constrained_response`: "Oui.", "Non." or "Peut-être." somewhere in the response.
  case constrainedResponse
  /// `change_case:french_capital`: `isupper()` and langdetect says "fr".
  case frenchCapital
  /// `change_case:french_lowercase`: `islower()` and langdetect says "fr".
  case frenchLowercase
  /// `startend:quotation`: wrapped in `"…"`, `'…'` or `«…»`.
  case quotation
  /// `special_character:ethel_or_cedilla`: the character, in either case, nowhere in the response.
  case forbiddenCharacter(String)
  /// `detectable_content:informal_address`: tu, te, t', toi, ton, ta or tes as a word, in any case.
  case informalAddress
  /// `special_character:no_accents`: none of the reference's 55 accented letters.
  case noAccents
  /// `special_character:accents`: every word whose unaccented form is listed is spelled as listed.
  case accents([AccentedWord])
  /// `detectable_content:no_digits`: no decimal digit (Python's `\d`).
  case noDigits

  /// Every instruction id the reference's registry (`FR_INSTRUCTION_DICT` with the `fr:` prefix) lists, in its order.
  public static let ids = [
    "fr:keywords:existence", "fr:keywords:frequency", "fr:keywords:forbidden_words", "fr:keywords:letter_frequency",
    "fr:language:response_language", "fr:length_constraints:number_sentences", "fr:length_constraints:number_paragraphs",
    "fr:length_constraints:number_words", "fr:length_constraints:nth_paragraph_first_word",
    "fr:detectable_content:number_placeholders", "fr:detectable_content:postscript",
    "fr:detectable_format:number_bullet_lists", "fr:detectable_format:constrained_response",
    "fr:detectable_format:number_highlighted_sections", "fr:detectable_format:multiple_sections",
    "fr:detectable_format:json_format", "fr:detectable_format:title", "fr:combination:two_responses",
    "fr:combination:repeat_prompt", "fr:startend:end_checker", "fr:change_case:capital_word_frequency",
    "fr:change_case:french_capital", "fr:change_case:french_lowercase", "fr:punctuation:no_comma",
    "fr:startend:quotation", "fr:special_character:ethel_or_cedilla", "fr:detectable_content:informal_address",
    "fr:special_character:no_accents", "fr:special_character:accents", "fr:detectable_content:no_digits",
  ]

  /// The language codes `language:response_language` accepts (`fr_instructions_util.LANGUAGE_CODES`; any other
  /// code is a KeyError in the reference).
  static let languageCodes: Set<String> = [
    "en", "es", "pt", "ar", "hi", "fr", "ru", "de", "ja", "it", "bn", "uk", "th", "ur", "ta", "te", "bg", "ko", "pl",
    "he", "fa", "vi", "ne", "sw", "kn", "mr", "gu", "pa", "ml", "fi", "zh",
  ]

  /// The abbreviations `fr_instructions_util` adds to the French Punkt model before counting sentences.
  static let extraAbbreviations = [
    "m", "mr", "mme", "mlle", "dir.", "dr", "dre", "drs", "dres", "prof", "pr", "cap", "lt", "adm.", "assoc.", "min.",
    "etc", "cf", "vs", "rép", "i.e", "c.-à-d", "ex", "e.g", "apr", "av", "j.c.", "j.-c.", "j.c", "j.-c", "av. è. c.",
    "è. c", "a.d", "av. n. è", "de n. è.", "env", "janv", "fév", "mar", "avr", "juil", "sept", "oct", "nov", "déc",
    "p.-ê.", "svp", "p.-v.", "p.v", "tél", "adj", "cf", "q.v", "p", "resp", "tel", "v", "vol", "nb", "n.b", "p.s", "ps",
    "p.p.s", "p.-s", "p-s",
  ]

  /// The letters `NoAccents` rejects (its character class, case-sensitive).
  static let accentedLetters = Set("àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝ".unicodeScalars)

  /// The instruction named `id` (with its `fr:` prefix) and the arguments its `build_description` receives.
  /// The reference's `evaluation_main` passes `kwargs` as they are (it drops nothing): a null or absent argument is
  /// one it would draw at random, and a value its `build_description` would replace by a random one (a negative
  /// count, an empty keyword list, a letter that is not one ASCII letter) is an error here too, as is a value it
  /// rejects (an unknown relation or language, an argument the type does not take). A null counts as absent even for
  /// an argument the type does not take (where the reference raises a TypeError), so rows padded with nulls load.
  public init(id: String, kwargs: [String: Any]) throws(AssayError) {
    let args = try MIFEvalArguments(id: id, kwargs: kwargs, accepted: Self.arguments, language: "French", ids: Self.ids)
    func relation(_ key: String) throws(AssayError) -> IFEvalInstruction.Relation {
      try args.relation(key, lessThan: "moins de", atLeast: "au moins")
    }
    let strip = { (text: String) in PythonText.strip(text) }
    switch id {
    case "fr:keywords:existence": self = .ifeval(.keywordsExistence(keywords: try args.strings("keywords").sorted(by: IFEvalInstruction.pythonOrder)))
    case "fr:keywords:frequency":
      self = .ifeval(.keywordsFrequency(
        keyword: strip(try args.string("keyword", nonEmpty: true)), frequency: try args.int("frequency"), relation: try relation("relation")))
    case "fr:keywords:forbidden_words":
      self = .ifeval(.forbiddenWords(Array(Set(try args.strings("forbidden_words"))).sorted(by: IFEvalInstruction.pythonOrder)))
    case "fr:keywords:letter_frequency":
      let letter = try args.string("letter", nonEmpty: true)
      // `len(letter) > 1 or not 97 <= ord(letter.lower()) <= 122` draws a random letter (U+212A KELVIN SIGN passes).
      let lowered = Array(PythonText.lower(letter).unicodeScalars)
      guard letter.unicodeScalars.count == 1, lowered.count == 1, ("a"..."z").contains(lowered[0]) else {
        throw args.fail("letter", "'\(letter)' is not one ASCII letter (the reference would draw a random letter)")
      }
      self = .ifeval(.letterFrequency(letter: PythonText.lower(letter), frequency: try args.int("let_frequency"), relation: try relation("let_relation")))
    case "fr:language:response_language":
      let language = try args.string("language")
      guard Self.languageCodes.contains(language) else {
        throw args.fail("language", "'\(language)' is not one of the reference's LANGUAGE_CODES (\(Self.languageCodes.sorted().joined(separator: ", ")))")
      }
      self = .ifeval(.responseLanguage(language))
    case "fr:length_constraints:number_sentences": self = .numberOfSentences(try args.int("num_sentences"), relation: try relation("relation"))
    case "fr:length_constraints:number_paragraphs": self = .ifeval(.numberOfParagraphs(try args.int("num_paragraphs")))
    case "fr:length_constraints:number_words": self = .ifeval(.numberOfWords(try args.int("num_words"), relation: try relation("relation")))
    case "fr:length_constraints:nth_paragraph_first_word":
      let paragraphs = try args.int("num_paragraphs")
      let nth = try args.int("nth_paragraph")
      guard nth > 0, nth <= paragraphs else {
        throw args.fail("nth_paragraph", "\(nth) is not within 1...\(paragraphs) (the reference would draw it at random)")
      }
      self = .ifeval(.nthParagraphFirstWord(paragraphs: paragraphs, nth: nth, firstWord: PythonText.lower(try args.string("first_word"))))
    case "fr:detectable_content:number_placeholders": self = .ifeval(.placeholders(try args.int("num_placeholders")))
    case "fr:detectable_content:postscript": self = .ifeval(.postscript(marker: strip(try args.string("postscript_marker"))))
    case "fr:detectable_format:number_bullet_lists": self = .ifeval(.bulletLists(try args.int("num_bullets")))
    case "fr:detectable_format:constrained_response": self = .constrainedResponse
    case "fr:detectable_format:number_highlighted_sections": self = .ifeval(.highlightedSections(try args.int("num_highlights")))
    case "fr:detectable_format:multiple_sections":
      self = .ifeval(.sections(splitter: strip(try args.string("section_spliter")), count: try args.int("num_sections")))
    case "fr:detectable_format:json_format": self = .ifeval(.jsonFormat)
    case "fr:detectable_format:title": self = .ifeval(.title)
    case "fr:combination:two_responses": self = .ifeval(.twoResponses)
    case "fr:combination:repeat_prompt": self = .ifeval(.repeatPrompt(try args.string("prompt_to_repeat", nonEmpty: true)))
    case "fr:startend:end_checker": self = .ifeval(.endPhrase(strip(try args.string("end_phrase"))))
    case "fr:change_case:capital_word_frequency":
      // Only a missing frequency is drawn at random here: a negative one is used as it is.
      self = .ifeval(.capitalWordFrequency(try args.int("capital_frequency", allowNegative: true), relation: try relation("capital_relation")))
    case "fr:change_case:french_capital": self = .frenchCapital
    case "fr:change_case:french_lowercase": self = .frenchLowercase
    case "fr:punctuation:no_comma": self = .ifeval(.noComma)
    case "fr:startend:quotation": self = .quotation
    case "fr:special_character:ethel_or_cedilla": self = .forbiddenCharacter(try args.string("forbidden_char", nonEmpty: true))
    case "fr:detectable_content:informal_address": self = .informalAddress
    case "fr:special_character:no_accents": self = .noAccents
    case "fr:special_character:accents":
      guard let words = args.values["word_to_accentuate"] as? [String: Any] else {
        throw args.fail("word_to_accentuate", "is missing or not an object (the reference's build_description requires it)")
      }
      var pairs: [AccentedWord] = []
      for (plain, accented) in words.sorted(by: { IFEvalInstruction.pythonOrder($0.key, $1.key) }) {
        guard let accented = accented as? String else { throw args.fail("word_to_accentuate", "maps '\(plain)' to something that is not a string") }
        pairs.append(AccentedWord(plain: plain, accented: accented))
      }
      self = .accents(pairs)
    case "fr:detectable_content:no_digits": self = .noDigits
    default:
      throw AssayError(.invalidData, "unknown M-IFEval French instruction '\(id)'", fix: "use one of: \(Self.ids.joined(separator: ", "))")
    }
  }

  /// The keyword arguments each type's `build_description` takes.
  static let arguments: [String: [String]] = [
    "fr:keywords:existence": ["keywords"], "fr:keywords:frequency": ["keyword", "frequency", "relation"],
    "fr:keywords:forbidden_words": ["forbidden_words"], "fr:keywords:letter_frequency": ["letter", "let_frequency", "let_relation"],
    "fr:language:response_language": ["language"], "fr:length_constraints:number_sentences": ["num_sentences", "relation"],
    "fr:length_constraints:number_paragraphs": ["num_paragraphs"], "fr:length_constraints:number_words": ["num_words", "relation"],
    "fr:length_constraints:nth_paragraph_first_word": ["num_paragraphs", "nth_paragraph", "first_word"],
    "fr:detectable_content:number_placeholders": ["num_placeholders"], "fr:detectable_content:postscript": ["postscript_marker"],
    "fr:detectable_format:number_bullet_lists": ["num_bullets"], "fr:detectable_format:constrained_response": [],
    "fr:detectable_format:number_highlighted_sections": ["num_highlights"],
    "fr:detectable_format:multiple_sections": ["section_spliter", "num_sections"], "fr:detectable_format:json_format": [],
    "fr:detectable_format:title": [], "fr:combination:two_responses": [], "fr:combination:repeat_prompt": ["prompt_to_repeat"],
    "fr:startend:end_checker": ["end_phrase"], "fr:change_case:capital_word_frequency": ["capital_frequency", "capital_relation"],
    "fr:change_case:french_capital": [], "fr:change_case:french_lowercase": [], "fr:punctuation:no_comma": [],
    "fr:startend:quotation": [], "fr:special_character:ethel_or_cedilla": ["forbidden_char"],
    "fr:detectable_content:informal_address": [], "fr:special_character:no_accents": [],
    "fr:special_character:accents": ["word_to_accentuate"], "fr:detectable_content:no_digits": [],
  ]

  /// Whether `value` follows the instruction (the reference's `check_following`).
  public func follows(_ value: String, tools: MIFEvalTools) -> Bool {
    switch self {
    case .ifeval(let instruction):
      // `nltk.word_tokenize(value)` there is English (its default language): its Punkt splits sentences elsewhere
      // than the French one, but a split only detaches a final period (or turns an opening `"` into ``), which
      // never changes how many tokens are upper case, the one thing counted.
      let words = tools.words
      let languages = tools.languages
      let checker = IFEvalChecker(tools: IFEvalTextTools(
        countSentences: { Self.sentences(tools).tokenize($0).count }, wordTokens: { words.tokenize($0) },
        detectLanguage: { languages.detect($0) }))
      return checker.follows(instruction, value)
    case .numberOfSentences(let threshold, let relation):
      return relation.holds(Self.sentences(tools).tokenize(value).count, threshold)
    case .constrainedResponse:
      let stripped = PythonText.strip(value)
      return ["Oui.", "Non.", "Peut-être."].contains { PythonText.contains(stripped, $0) }
    case .frenchCapital:
      // `value.isupper() and detect(value) == "fr"`: no langdetect (whose failure counts as following) when the case
      // test fails.
      guard PythonText.isUpper(value) else { return false }
      return tools.languages.detect(value).map { $0 == "fr" } ?? true
    case .frenchLowercase:
      guard PythonText.isLower(value) else { return false }
      return tools.languages.detect(value).map { $0 == "fr" } ?? true
    case .quotation:
      let scalars = Array(PythonText.strip(value).unicodeScalars)
      guard scalars.count > 1, let first = scalars.first, let last = scalars.last else { return false }
      return (first == "\"" && last == "\"") || (first == "'" && last == "'") || (first == "«" && last == "»")
    case .forbiddenCharacter(let character):
      return PythonRegex.cached(Self.escape(character), caseInsensitive: true).count(in: value, limit: 1) == 0
    case .informalAddress:
      return PythonRegex.cached(Self.tutoiement, caseInsensitive: true).count(in: value, limit: 1) > 0
    case .noAccents:
      return !value.unicodeScalars.contains { Self.accentedLetters.contains($0) }
    case .accents(let words):
      return Self.accentsFollowed(value, words)
    case .noDigits:
      return !value.unicodeScalars.contains { $0.properties.numericType == .decimal }
    }
  }

  /// `UseInformalAddress`'s indicators joined with `|`.
  static let tutoiement = ["\\btu\\b", "\\bte\\b", "\\bt'\\b", "\\btoi\\b", "\\bton\\b", "\\bta\\b", "\\btes\\b"].joined(separator: "|")

  /// The French Punkt tokenizer as `fr_instructions_util._get_sentence_tokenizer` sets it up: the model's
  /// abbreviations and the reference's own.
  static func sentences(_ tools: MIFEvalTools) -> PunktSentenceTokenizer {
    var parameters = tools.sentences.parameters
    parameters.abbreviationTypes.formUnion(extraAbbreviations.map { Array($0.unicodeScalars) })
    return PunktSentenceTokenizer(parameters: parameters)
  }

  /// Python's `re.escape`: the characters `()[]{}?*+-|^$\.&~# \t\n\r\v\f` get a backslash.
  static func escape(_ text: String) -> String {
    let special = Set("()[]{}?*+-|^$\\.&~# \t\n\r\u{0B}\u{0C}".unicodeScalars)
    var escaped = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if special.contains(scalar) { escaped.append("\\") }
      escaped.append(scalar)
    }
    return String(escaped)
  }

  /// `AccentsChecker.check_accents`: each `\w+` run of the lower-cased response whose unaccented form (NFKD without
  /// combining marks) is a listed key must equal the listed spelling, code point for code point.
  static func accentsFollowed(_ value: String, _ words: [AccentedWord]) -> Bool {
    let lowered = Array(PythonText.lower(value).unicodeScalars)
    var start = 0
    while start < lowered.count {
      guard PythonText.isWord(lowered[start]) else {
        start += 1
        continue
      }
      var end = start
      while end < lowered.count && PythonText.isWord(lowered[end]) { end += 1 }
      let word = Array(lowered[start..<end])
      let plain = removeAccents(word)
      if let entry = words.first(where: { Array($0.plain.unicodeScalars) == plain }), Array(entry.accented.unicodeScalars) != word {
        return false
      }
      start = end
    }
    return true
  }

  /// `fr_instructions_util.remove_accents`: NFKD, then every code point with a non-zero canonical combining class
  /// dropped.
  static func removeAccents(_ word: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var text = ""
    text.unicodeScalars.append(contentsOf: word)
    return text.decomposedStringWithCompatibilityMapping.unicodeScalars.filter { $0.properties.canonicalCombiningClass.rawValue == 0 }
  }
}
