import AssayCore
import AssayText
import AssayTesting
import Foundation
import Testing

/// `LanguageDetector` (the langdetect 1.0.9 port behind IFEval's language checks) against langdetect itself with
/// `DetectorFactory.seed = 0` (scripts/langdetect-reference.py in the metrics virtualenv), on Tatoeba sentences in
/// about fifty languages (alone and five to a text), English model outputs as written, upper- and lowercased, and
/// texts for the corners: URLs, e-mail addresses, Vietnamese combining marks, the 10,000-character cut, capitals,
/// mixed scripts, numbers and empty text.
@Suite(.tags(.slow)) struct LanguageDetectorCrossCheckTests {
  static let folder = CLI.resources + "/langdetect"

  static func detector() throws -> LanguageDetector {
    let profiles = folder + "/profiles"
    let codes = try FileManager.default.contentsOfDirectory(atPath: profiles).filter { !$0.hasPrefix(".") }.sorted()
    return try LanguageDetector(
      profiles: try codes.map { (code: $0, json: try String(contentsOfFile: profiles + "/" + $0, encoding: .utf8)) },
      messages: try String(contentsOfFile: folder + "/messages.properties", encoding: .utf8))
  }

  /// Tatoeba languages (the last three have no langdetect profile: still inputs). The Tatoeba set has no Kannada,
  /// Punjabi, Gujarati or Nepali file; `corners` has a sentence in each.
  static let tatoebaLanguages = [
    "hin", "mar", "vie", "kor", "swh", "deu", "pes", "rus", "bul", "por", "tel", "ita", "ara", "tam", "fin", "urd",
    "tha", "ben", "fra", "spa", "jpn", "cmn", "yue", "afr", "ces", "ell", "heb", "hun", "ind", "lit", "lvs", "mkd",
    "nld", "pol", "ron", "slk", "slv", "sqi", "swe", "tgl", "tur", "ukr", "dan", "est", "cym", "hrv", "cat", "nob",
    "mal", "kat", "hye", "bel",
  ]

  static func lines(_ path: String) -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
    return text.split(separator: "\n").map(String.init)
  }

  static func corpus() throws -> [String] {
    var texts: [String] = []
    var english: [String] = []
    for language in tatoebaLanguages {
      let base = CLI.datasets + "/tatoeba/v1/tatoeba.\(language)-eng"
      let sentences = lines(base + ".\(language)")
      texts += sentences.prefix(30)
      let rest = Array(sentences.dropFirst(30).prefix(50))
      texts += stride(from: 0, to: rest.count, by: 5).map { rest[$0..<min($0 + 5, rest.count)].joined(separator: " ") }
      english += lines(base + ".eng").prefix(4)
    }
    #expect(texts.count > 1500, "expected Tatoeba under \(CLI.datasets)/tatoeba/v1")
    texts += english
    // Model outputs in English (IFEval's english_capital / english_lowercase checks call detect on such texts).
    let outputs = try JSONSerialization.jsonObject(
      with: Data(contentsOf: URL(fileURLWithPath: CLI.datasets + "/alpaca_eval/results/gpt4/model_outputs.json")))
    let answers = try #require(outputs as? [[String: Any]]).prefix(150).compactMap { $0["output"] as? String }
    texts += answers + answers.map { $0.uppercased() } + answers.map { $0.lowercased() }
    texts += english.prefix(100).map { $0.uppercased() } + english.prefix(100).map { $0.lowercased() }
    // Upper case in other scripts; Vietnamese and others decomposed (combining marks: normalize_vi).
    for language in ["deu", "rus", "ell", "tur", "fra", "vie", "pol"] {
      let sentences = lines(CLI.datasets + "/tatoeba/v1/tatoeba.\(language)-eng.\(language)")
      texts += sentences.dropFirst(100).prefix(15).map { $0.uppercased() }
      texts += sentences.dropFirst(120).prefix(15).map { $0.decomposedStringWithCanonicalMapping }
    }
    // Long texts: the 10,000 code point cut (German first, then French past the cut; and the reverse).
    let german = lines(CLI.datasets + "/tatoeba/v1/tatoeba.deu-eng.deu").joined(separator: " ")
    let french = lines(CLI.datasets + "/tatoeba/v1/tatoeba.fra-eng.fra").joined(separator: " ")
    texts.append(String(german.prefix(9990)) + " " + french)
    texts.append(String(french.prefix(9_000)) + " " + german)
    texts.append(String(repeating: "https://example.com/a ", count: 600) + "Das ist ein Haus.")
    texts += Self.corners
    return texts
  }

  /// Scripts Tatoeba lacks here, and the corners of cleaning, normalization and the regular expressions.
  static let corners: [String] = [
    "", " ", "\n\n\t", "12345", "3.14159 2.71828 1,000,000", "!!! ??? ... ;-)", "😀😀😀 🎉", "___ [] ^^ ``",
    // Kannada, Gujarati, Punjabi, Nepali, Somali, Malayalam.
    "ಕನ್ನಡ ಭಾಷೆಯು ದಕ್ಷಿಣ ಭಾರತದ ಪ್ರಮುಖ ಭಾಷೆಗಳಲ್ಲಿ ಒಂದಾಗಿದೆ.",
    "ગુજરાતી ભારતના ગુજરાત રાજ્યની મુખ્ય ભાષા છે.",
    "ਪੰਜਾਬੀ ਭਾਸ਼ਾ ਪੰਜਾਬ ਦੀ ਮੁੱਖ ਬੋਲੀ ਹੈ।",
    "नेपाली भाषा नेपालको आधिकारिक भाषा हो।",
    "Af Soomaaliga waa luuqadda rasmiga ah ee Soomaaliya.",
    "മലയാളം കേരളത്തിലെ ഭാഷയാണ്.",
    // Kana, Bopomofo, Hangul, CJK classes and the Latin-vs-non-Latin cleaning.
    "ひらがな と カタカナ だけ", "ㄅㄆㄇㄈ ㄉㄊㄋㄌ", "한국어 문장입니다", "ᄀᄁᄂ ᅡᅢ", "我喜欢Python编程", "這是繁體中文的句子。",
    "这是一个 test of the cleaning rule 中文中文中文中文中文中文", "Hello мир 世界 مرحبا שלום",
    // Vietnamese precomposed and with combining marks; Romanian comma below; Farsi yeh; Latin-1 and punctuation.
    "Tôi yêu Việt Nam và tiếng Việt", "Toi yeu Vie\u{0323}\u{0302}t Nam",
    "A\u{0300}E\u{0301}I\u{0303}O\u{0309}U\u{0323}y\u{0300}",
    "Tiếng Việt có dấu: à á ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ", "e\u{0301}te\u{0301} fran\u{0327}ais",
    "și țară, Școala și Țara Românească", "این یک جمله فارسی است که ی دارد", "«Bonjour» à 20° C\u{00A0}!",
    "Em — dash – and … “quotes” ‘single’", "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ",
    // Capitals (titlecase, Greek, Cyrillic, mathematical; letters newer than Python 3.11's Unicode 14).
    "ǅemal ǈubav ǋegoš", "ΑΘΗΝΑ ΕΙΝΑΙ ΠΟΛΗ", "МОСКВА — СТОЛИЦА РОССИИ", "𝐇𝐞𝐥𝐥𝐨 𝐖𝐨𝐫𝐥𝐝", "𠀀𠀁𠀂 中文",
    "\u{A7CB}\u{A7CB}ab \u{10D50}\u{10D51}cd", "ab\u{0000}cd ef", "I", "A", "a", "Ok", "ok OK Ok oK",
    "THIS IS ALL CAPS", "Hello World", "hello world", "a    b     c   the   end",
    "Το ελληνικό αλφάβητο έχει είκοσι τέσσερα γράμματα.", "Український текст з ї та є.",
    "This is English text. Это русский текст. Das ist Deutsch.",
    // URL_RE and MAIL_RE.
    "http://example.com/path?x=1&y=2#frag", "Visit https://foo.bar/baz?q=1 or http://x.y today, please.",
    "HTTP://EXAMPLE.COM is written in capitals", "httpss://bad.example and https:// and http://", "https://-",
    "Contact john.doe@example.com or jane_doe-99@mail.example.org for details.", "a@b", "a@bc", "a@.b", "a@-.",
    "x@y.z and .@-a and @@@ and foo@@bar.com", "me@" + String(repeating: "d", count: 300) + ".com trailing words",
    String(repeating: "l", count: 70) + "@example.com is a long local part", "first.last@sub.domain.example.co.uk",
    "mail: test@example.com, web: https://example.com/test@example.com/page",
    "https://" + String(repeating: "a", count: 2100) + " Der Rest ist Deutsch.",
  ]

  /// One line of the reference's output. (Read with JSONDecoder: JSONSerialization on Linux can miss a double's
  /// last bit.)
  struct Reference: Decodable {
    var detect: String?
    var pairs: [Pair]
    var probabilities: [(code: String, probability: Double)] { pairs.map { ($0.code, $0.probability) } }

    struct Pair: Decodable {
      var code: String
      var probability: Double

      init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        code = try container.decode(String.self)
        probability = try container.decode(Double.self)
      }
    }

    enum CodingKeys: String, CodingKey {
      case detect
      case pairs = "probabilities"
    }
  }

  /// scripts/langdetect-reference.py on the texts (input and output through files, so no pipe can fill up).
  static func reference(_ texts: [String], arguments: [String] = []) throws -> [Reference] {
    let dir = CLI.temporaryDirectory()
    var input = Data()
    for text in texts {
      input += try JSONSerialization.data(withJSONObject: ["text": text])
      input += Data("\n".utf8)
    }
    try input.write(to: URL(fileURLWithPath: dir + "/texts.jsonl"))
    _ = FileManager.default.createFile(atPath: dir + "/results.jsonl", contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: MetricCrossCheckTests.venvPython)
    process.arguments = [CLI.repository + "/scripts/langdetect-reference.py"] + arguments
    process.standardInput = FileHandle(forReadingAtPath: dir + "/texts.jsonl")
    process.standardOutput = FileHandle(forWritingAtPath: dir + "/results.jsonl")
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "langdetect-reference.py failed")
    let output = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8)
    return try output.split(separator: "\n").map { try JSONDecoder().decode(Reference.self, from: Data($0.utf8)) }
  }

  static func describe(_ probabilities: [(code: String, probability: Double)]) -> String {
    "[" + probabilities.map { "\($0.code): \($0.probability)" }.joined(separator: ", ") + "]"
  }

  /// Compares the port with the reference on every text; returns (agreeing, bit-identical) counts.
  static func compare(_ texts: [String], _ detector: LanguageDetector, _ expected: [Reference], label: String)
    -> (agree: Int, identical: Int)
  {
    var agree = 0
    var identical = 0
    var shown = 0
    for (text, reference) in zip(texts, expected) {
      let detected = detector.detect(text)
      let probabilities = detector.probabilities(text)
      let sameList = probabilities.map(\.code) == reference.probabilities.map(\.code)
      let close = sameList && zip(probabilities, reference.probabilities).allSatisfy {
        abs($0.probability - $1.probability) <= 1e-9
      }
      if detected == reference.detect && close {
        agree += 1
        let same = zip(probabilities, reference.probabilities).allSatisfy { $0.probability == $1.probability }
        if same { identical += 1 }
      } else if shown < 5 {
        shown += 1
        print("""
          langdetect (\(label)) disagreement on \(String(reflecting: text)):
            assay:     \(detected ?? "nil") \(describe(probabilities))
            reference: \(reference.detect ?? "nil") \(describe(reference.probabilities))
          """)
      }
    }
    return (agree, identical)
  }

  @Test func matchesLangdetectWithSeedZero() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: MetricCrossCheckTests.venvPython),
      "the reference virtualenv is missing: run scripts/setup-metrics-venv.sh (scripts/test.sh does)")
    let clock = ContinuousClock()
    let started = clock.now
    let detector = try Self.detector()
    let buildTime = clock.now - started
    let texts = try Self.corpus()
    let expected = try Self.reference(texts)
    try #require(
      expected.count == texts.count, "the reference printed \(expected.count) lines for \(texts.count) texts")
    var counts = (agree: 0, identical: 0)
    let detectTime = clock.measure { counts = Self.compare(texts, detector, expected, label: "os.listdir order") }
    let featureless = expected.filter { $0.detect == nil }.count
    print(
      "langdetect: \(counts.agree)/\(texts.count) agree (same detect, probabilities within 1e-9), "
        + "\(counts.identical) bit-identical under langdetect's os.listdir profile order, "
        + "\(featureless) without features; "
        + String(
          format: "detector built in %.0f ms, %.3f ms per detection", buildTime.milliseconds,
          detectTime.milliseconds / Double(2 * texts.count)))
    #expect(counts.agree == texts.count)
  }

  /// In the same language order (sorted file names) the port reproduces every probability to the last bit.
  @Test func bitIdenticalInTheSameProfileOrder() throws {
    let python = MetricCrossCheckTests.venvPython
    try #require(FileManager.default.isExecutableFile(atPath: python), "run scripts/setup-metrics-venv.sh")
    let detector = try Self.detector()
    let texts = try Self.corpus().enumerated().filter { $0.offset % 4 == 0 }.map(\.element)
    let expected = try Self.reference(texts, arguments: ["--sorted-profiles"])
    try #require(expected.count == texts.count)
    let counts = Self.compare(texts, detector, expected, label: "sorted order")
    print("langdetect (sorted profile order): \(counts.identical)/\(texts.count) bit-identical")
    #expect(counts.identical == texts.count)
  }
}
