import AssayCore
import AssayText
import Foundation

/// One verifiable instruction of an M-IFEval Japanese prompt (a `ja:` id of `instruction_id_list` with its `kwargs`),
/// checked as the reference checks it (shisa-ai/M-IFEval's `instructions/ja_instructions.py` and
/// `instruction_utils/ja_instructions_util.py`): the 33 types its registry lists. Words are janome's token surfaces,
/// sentences ja_sentence_segmenter's, lengths and letters Python code points. Five types are IFEval's checks statement
/// for statement and run through `IFEvalChecker`; the others are Japanese.
public enum JapaneseInstruction: Sendable, Equatable {
  /// An instruction whose check is IFEval's unchanged: `language:response_language`,
  /// `length_constraints:number_paragraphs`, `detectable_content:number_placeholders`, `detectable_format:json_format`
  /// and `combination:two_responses`.
  case ifeval(IFEvalInstruction)
  /// `keywords:existence`: every keyword is a token.
  case keywordsExistence([String])
  /// `keywords:frequency`: how many tokens equal the keyword.
  case keywordsFrequency(keyword: String, frequency: Int, relation: IFEvalInstruction.Relation)
  /// `keywords:forbidden_words`: no token equals any of them.
  case forbiddenWords([String])
  /// `keywords:letter_frequency`: the hiragana letter and its katakana (+96) counted together.
  case letterFrequency(letter: Unicode.Scalar, frequency: Int, relation: IFEvalInstruction.Relation)
  /// `length_constraints:number_sentences`: ja_sentence_segmenter's count.
  case numberOfSentences(Int, relation: IFEvalInstruction.Relation)
  /// `length_constraints:number_letters`: code points.
  case numberOfLetters(Int, relation: IFEvalInstruction.Relation)
  /// `length_constraints:nth_paragraph_first_word`: paragraphs between blank lines; the nth starts with the word.
  case nthParagraphFirstWord(paragraphs: Int, nth: Int, firstWord: String)
  /// `detectable_content:postscript`: a line starting with the marker.
  case postscript(marker: String)
  /// `detectable_format:number_bullet_lists`: exactly this many `・` lines.
  case bulletLists(Int)
  /// `detectable_format:number_numbered_lists`: exactly this many `1. ` lines.
  case numberedLists(Int)
  /// `detectable_format:constrained_response`: one of the three answers somewhere.
  case constrainedResponse
  /// `detectable_format:number_highlighted_sections`: at least this many non-blank `《...》`.
  case highlightedSections(Int)
  /// `detectable_format:multiple_sections`: at least this many `第N章` headers (the splitter as given).
  case sections(splitter: String, count: Int)
  /// `detectable_format:title`: a non-blank `『...』` on one line.
  case title
  /// `combination:repeat_prompt`: starts with the prompt (case kept).
  case repeatPrompt(String)
  /// `startend:end_checker`: ends with the phrase, closing 」』 ignored on both.
  case endPhrase(String)
  /// `startend:sentence_unified_end`: every sentence outside quotes ends with the ending.
  case sentenceUnifiedEnd(String)
  /// `detectable_format:nominal_ending`: at least this many sentence ends after a noun token.
  case nominalEnding(Int)
  /// `letters:furigana`: every kanji run is followed by （hiragana）.
  case furigana
  /// `letters:kansuuji`: no decimal digit.
  case kansuuji
  /// `letters:no_katakana`.
  case noKatakana
  /// `letters:katakana_only`: katakana or no letter.
  case katakanaOnly
  /// `letters:no_hiragana`.
  case noHiragana
  /// `letters:hiragana_only`: hiragana or no letter.
  case hiraganaOnly
  /// `letters:kanji`: CJK ideographs U+4E00–U+9FAF counted.
  case kanjiLimit(Int, relation: IFEvalInstruction.Relation)
  /// `punctuation:no_comma`: no 、.
  case noComma
  /// `punctuation:no_period`: no 。.
  case noPeriod
  /// `startend:quotation`: wrapped in 「」.
  case quotation

  /// The keyword arguments each type's `build_description` takes (the registry's 33 `ja:` ids).
  static let arguments: [String: [String]] = [
    "ja:keywords:existence": ["keywords"], "ja:keywords:frequency": ["keyword", "frequency", "relation"],
    "ja:keywords:forbidden_words": ["forbidden_words"], "ja:keywords:letter_frequency": ["letter", "let_frequency", "let_relation"],
    "ja:language:response_language": ["language"], "ja:length_constraints:number_sentences": ["num_sentences", "relation"],
    "ja:length_constraints:number_paragraphs": ["num_paragraphs"], "ja:length_constraints:number_letters": ["num_letters", "relation"],
    "ja:length_constraints:nth_paragraph_first_word": ["num_paragraphs", "nth_paragraph", "first_word"],
    "ja:detectable_content:number_placeholders": ["num_placeholders"], "ja:detectable_content:postscript": ["postscript_marker"],
    "ja:detectable_format:number_bullet_lists": ["num_bullets"], "ja:detectable_format:number_numbered_lists": ["num_items"],
    "ja:detectable_format:constrained_response": [], "ja:detectable_format:number_highlighted_sections": ["num_highlights"],
    "ja:detectable_format:multiple_sections": ["section_spliter", "num_sections"], "ja:detectable_format:json_format": [],
    "ja:detectable_format:title": [], "ja:combination:two_responses": [], "ja:combination:repeat_prompt": ["prompt_to_repeat"],
    "ja:startend:end_checker": ["end_phrase"], "ja:startend:sentence_unified_end": ["ending"],
    "ja:detectable_format:nominal_ending": ["count"], "ja:letters:furigana": [], "ja:letters:kansuuji": [],
    "ja:letters:no_katakana": [], "ja:letters:katakana_only": [], "ja:letters:no_hiragana": [], "ja:letters:hiragana_only": [],
    "ja:letters:kanji": ["kanji_limit", "relation"], "ja:punctuation:no_comma": [], "ja:punctuation:no_period": [],
    "ja:startend:quotation": [],
  ]

  /// Every instruction id the reference's registry (`JA_INSTRUCTION_DICT` with the `ja:` prefix) lists.
  public static let ids = arguments.keys.sorted()

  /// The language codes `language:response_language` accepts (`ja_instructions_util.LANGUAGE_CODES`).
  static let languageCodes: Set<String> = [
    "en", "es", "pt", "ar", "hi", "fr", "ru", "de", "ja", "it", "bn", "uk", "th", "ur", "ta", "te", "bg", "ko", "pl",
    "he", "fa", "vi", "ne", "sw", "kn", "mr", "gu", "pa", "ml", "fi",
  ]

  /// The instruction named `id` (with its `ja:` prefix) and the arguments its `build_description` receives. As for
  /// the other languages, an argument the reference would draw at random (missing, negative, invalid) is an error,
  /// and so is one it rejects; nulls count as absent.
  public init(id: String, kwargs: [String: Any]) throws(AssayError) {
    let args = try MIFEvalArguments(id: id, kwargs: kwargs, accepted: Self.arguments, language: "Japanese", ids: Self.ids)
    func relation(_ key: String) throws(AssayError) -> IFEvalInstruction.Relation {
      try args.relation(key, lessThan: "未満", atLeast: "以上")
    }
    let strip = { (text: String) in PythonText.strip(text) }
    switch id {
    case "ja:keywords:existence": self = .keywordsExistence(try args.strings("keywords").sorted(by: IFEvalInstruction.pythonOrder))
    case "ja:keywords:frequency":
      self = .keywordsFrequency(keyword: strip(try args.string("keyword", nonEmpty: true)), frequency: try args.int("frequency"), relation: try relation("relation"))
    case "ja:keywords:forbidden_words": self = .forbiddenWords(Array(Set(try args.strings("forbidden_words"))).sorted(by: IFEvalInstruction.pythonOrder))
    case "ja:keywords:letter_frequency":
      let letter = try args.string("letter", nonEmpty: true)
      let scalars = Array(letter.unicodeScalars)
      guard scalars.count == 1, ("ぁ"..."ん").contains(scalars[0]) else {
        throw args.fail("letter", "'\(letter)' is not one hiragana letter ぁ…ん (the reference would draw a random letter)")
      }
      self = .letterFrequency(letter: scalars[0], frequency: try args.int("let_frequency"), relation: try relation("let_relation"))
    case "ja:language:response_language":
      let language = try args.string("language")
      guard Self.languageCodes.contains(language) else {
        throw args.fail("language", "'\(language)' is not one of the reference's LANGUAGE_CODES (\(Self.languageCodes.sorted().joined(separator: ", ")))")
      }
      self = .ifeval(.responseLanguage(language))
    case "ja:length_constraints:number_sentences": self = .numberOfSentences(try args.int("num_sentences"), relation: try relation("relation"))
    case "ja:length_constraints:number_paragraphs": self = .ifeval(.numberOfParagraphs(try args.int("num_paragraphs")))
    case "ja:length_constraints:number_letters": self = .numberOfLetters(try args.int("num_letters"), relation: try relation("relation"))
    case "ja:length_constraints:nth_paragraph_first_word":
      let paragraphs = try args.int("num_paragraphs")
      let nth = try args.int("nth_paragraph")
      guard nth > 0, nth <= paragraphs else {
        throw args.fail("nth_paragraph", "\(nth) is not within 1...\(paragraphs) (the reference would draw it at random)")
      }
      self = .nthParagraphFirstWord(paragraphs: paragraphs, nth: nth, firstWord: PythonText.lower(try args.string("first_word")))
    case "ja:detectable_content:number_placeholders": self = .ifeval(.placeholders(try args.int("num_placeholders")))
    case "ja:detectable_content:postscript": self = .postscript(marker: strip(try args.string("postscript_marker")))
    case "ja:detectable_format:number_bullet_lists": self = .bulletLists(try args.int("num_bullets"))
    case "ja:detectable_format:number_numbered_lists": self = .numberedLists(try args.int("num_items"))
    case "ja:detectable_format:constrained_response": self = .constrainedResponse
    case "ja:detectable_format:number_highlighted_sections": self = .highlightedSections(try args.int("num_highlights"))
    case "ja:detectable_format:multiple_sections":
      self = .sections(splitter: strip(try args.string("section_spliter")), count: try args.int("num_sections"))
    case "ja:detectable_format:json_format": self = .ifeval(.jsonFormat)
    case "ja:detectable_format:title": self = .title
    case "ja:combination:two_responses": self = .ifeval(.twoResponses)
    case "ja:combination:repeat_prompt": self = .repeatPrompt(try args.string("prompt_to_repeat", nonEmpty: true))
    case "ja:startend:end_checker": self = .endPhrase(strip(try args.string("end_phrase")))
    case "ja:startend:sentence_unified_end": self = .sentenceUnifiedEnd(try args.string("ending"))
    case "ja:detectable_format:nominal_ending": self = .nominalEnding(try args.int("count"))
    case "ja:letters:furigana": self = .furigana
    case "ja:letters:kansuuji": self = .kansuuji
    case "ja:letters:no_katakana": self = .noKatakana
    case "ja:letters:katakana_only": self = .katakanaOnly
    case "ja:letters:no_hiragana": self = .noHiragana
    case "ja:letters:hiragana_only": self = .hiraganaOnly
    case "ja:letters:kanji": self = .kanjiLimit(try args.int("kanji_limit"), relation: try relation("relation"))
    case "ja:punctuation:no_comma": self = .noComma
    case "ja:punctuation:no_period": self = .noPeriod
    case "ja:startend:quotation": self = .quotation
    default:
      throw AssayError(.invalidData, "unknown M-IFEval Japanese instruction '\(id)'", fix: "use one of: \(Self.ids.joined(separator: ", "))")
    }
  }

  static let constrainedAnswers = ["はい、そうです。", "いいえ、違います。", "どちらとも言えません。"]
  static let bullets = PythonRegex("^\\s*・[^・].*$", multiline: true)
  static let numbered = PythonRegex("^\\s*\\d+\\.\\s.*$", multiline: true)
  static let highlights = PythonRegex("《[^\\n《》]*》")
  static let titles = PythonRegex("『[^\\n]+』")
  static let kanjiRuns = PythonRegex("[\\x{4E00}-\\x{9FAF}]+")
  static let kanjiWithFurigana = PythonRegex("[\\x{4E00}-\\x{9FAF}]+（[ぁ-ん]+）")
  static let quotes = [PythonRegex("「.*?」"), PythonRegex("『.*?』")]
  static let sentenceEnds = PythonRegex("[。！？]")

  /// Whether `value` follows the instruction (the reference's `check_following`).
  public func follows(_ value: String, tools: JapaneseTools) -> Bool {
    switch self {
    case .ifeval(let instruction):
      let languages = tools.languages
      let tokenizer = tools.tokenizer
      let checker = IFEvalChecker(tools: IFEvalTextTools(
        countSentences: { JapaneseSentenceSegmenter.count($0) }, wordTokens: { tokenizer.surfaces($0) },
        detectLanguage: { languages.detect($0) }))
      return checker.follows(instruction, value)
    case .keywordsExistence(let keywords):
      let words = Set(tools.tokenizer.surfaces(value).map { Array($0.unicodeScalars) })
      return keywords.allSatisfy { words.contains(Array($0.unicodeScalars)) }
    case .keywordsFrequency(let keyword, let frequency, let relation):
      return relation.holds(tools.tokenizer.surfaces(value).filter { $0.unicodeScalars.elementsEqual(keyword.unicodeScalars) }.count, frequency)
    case .forbiddenWords(let words):
      let surfaces = Set(tools.tokenizer.surfaces(value).map { Array($0.unicodeScalars) })
      return !words.contains { surfaces.contains(Array($0.unicodeScalars)) }
    case .letterFrequency(let letter, let frequency, let relation):
      let katakana = Unicode.Scalar(letter.value + 96)!
      return relation.holds(value.unicodeScalars.filter { $0 == letter || $0 == katakana }.count, frequency)
    case .numberOfSentences(let threshold, let relation):
      return relation.holds(JapaneseSentenceSegmenter.count(value), threshold)
    case .numberOfLetters(let threshold, let relation):
      return relation.holds(value.unicodeScalars.count, threshold)
    case .nthParagraphFirstWord(let paragraphs, let nth, let firstWord):
      return Self.nthParagraphFirstWord(value, paragraphs: paragraphs, nth: nth, firstWord: firstWord)
    case .postscript(let marker):
      let pattern: String
      switch marker {
      case "P.P.S": pattern = "\\s*p\\.\\s?p\\.\\s?s.*$"
      case "P.S.": pattern = "\\s*p\\.\\s?s\\..*$"
      default: pattern = "\\s*" + FrenchInstruction.escape(marker) + ".*$"
      }
      return PythonRegex.cached(pattern, caseInsensitive: true, multiline: true).count(in: value, limit: 1) > 0
    case .bulletLists(let expected):
      return Self.bullets.count(in: value) == expected
    case .numberedLists(let expected):
      return Self.numbered.count(in: value) == expected
    case .constrainedResponse:
      let stripped = PythonText.strip(value)
      return Self.constrainedAnswers.contains { PythonText.contains(stripped, $0) }
    case .highlightedSections(let minimum):
      let count = Self.highlights.matches(in: value).filter { !PythonText.strip(PythonText.strip($0, "《》")).isEmpty }.count
      return count >= minimum
    case .sections(let splitter, let minimum):
      let pattern = "\\s?第[\\d\\x{FF10}-\\x{FF19}]+" + splitter + "\\s?"
      return PythonRegex.cached(pattern).count(in: value) >= minimum
    case .title:
      return Self.titles.matches(in: value).contains {
        !PythonText.strip(PythonText.strip(PythonText.strip($0, "『", trailing: false), "』", leading: false)).isEmpty
      }
    case .repeatPrompt(let prompt):
      return PythonText.hasPrefix(PythonText.strip(value), PythonText.strip(prompt))
    case .endPhrase(let phrase):
      let text = PythonText.strip(PythonText.strip(value), "」』")
      return PythonText.hasSuffix(text, PythonText.strip(PythonText.strip(phrase), "」』"))
    case .sentenceUnifiedEnd(let ending):
      let pieces = Self.sentenceEnds.split(Self.withoutQuotes(value))
      return pieces.allSatisfy { $0.isEmpty || PythonText.hasSuffix($0, ending) }
    case .nominalEnding(let minimum):
      let tokens = tools.tokenizer.tokenize(Self.withoutQuotes(value))
      var count = 0
      for index in tokens.indices.dropFirst() where Self.isSentenceEnd(tokens[index].surface) && tokens[index - 1].partOfSpeech.hasPrefix("名詞") {
        count += 1
      }
      return count >= minimum
    case .furigana:
      return Self.kanjiRuns.count(in: value) == Self.kanjiWithFurigana.count(in: value)
    case .kansuuji:
      return !value.unicodeScalars.contains { $0.properties.numericType == .decimal }
    case .noKatakana:
      return !value.unicodeScalars.contains { (0x30A1...0x30FA).contains($0.value) || (0xFF66...0xFF9F).contains($0.value) }
    case .katakanaOnly:
      return value.unicodeScalars.allSatisfy {
        (0x30A1...0x30F3).contains($0.value) || $0 == "ー" || $0 == "・" || (0xFF66...0xFF9F).contains($0.value) || !Self.isLetter($0)
      }
    case .noHiragana:
      return !value.unicodeScalars.contains { (0x3041...0x3096).contains($0.value) }
    case .hiraganaOnly:
      return value.unicodeScalars.allSatisfy { (0x3041...0x3093).contains($0.value) || $0 == "ー" || !Self.isLetter($0) }
    case .kanjiLimit(let threshold, let relation):
      return relation.holds(value.unicodeScalars.filter { (0x4E00...0x9FAF).contains($0.value) }.count, threshold)
    case .noComma:
      return !value.unicodeScalars.contains("、")
    case .noPeriod:
      return !value.unicodeScalars.contains("。")
    case .quotation:
      let scalars = Array(PythonText.strip(value).unicodeScalars)
      return scalars.count > 1 && scalars.first == "「" && scalars.last == "」"
    }
  }

  /// `tokens[i].surface in '。！？'`: a substring of it (janome groups symbols, so `！？` is one token).
  static func isSentenceEnd(_ surface: String) -> Bool {
    ["", "。", "！", "？", "。！", "！？", "。！？"].contains(surface)
  }

  /// `unicodedata.category(char).startswith('L')`.
  static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }

  /// The response with `「.*?」` and `『.*?』` removed, in that order.
  static func withoutQuotes(_ value: String) -> String {
    quotes.reduce(value) { $1.replace($0, with: "") }
  }

  /// `ParagraphFirstWordCheck.check_following`: paragraphs split at `\n\n`, blank ones not counted; the nth (by
  /// position) stripped and without leading 「 and 『 must start with the word (code points).
  static func nthParagraphFirstWord(_ value: String, paragraphs expected: Int, nth: Int, firstWord: String) -> Bool {
    let paragraphs = PythonText.split(value, separator: "\n\n")
    let count = paragraphs.filter { !PythonText.strip($0).isEmpty }.count
    guard nth <= count else { return false }
    var paragraph = PythonText.strip(paragraphs[nth - 1])
    if paragraph.isEmpty { return false }
    paragraph = PythonText.strip(paragraph, "「", trailing: false)
    paragraph = PythonText.strip(paragraph, "『", trailing: false)
    let word = Array(firstWord.unicodeScalars)
    return count == expected && Array(paragraph.unicodeScalars.prefix(word.count)) == word
  }
}
