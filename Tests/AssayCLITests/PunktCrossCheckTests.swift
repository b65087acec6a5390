import AssayCore
import AssayText
import AssayTesting
import Foundation
import Testing

/// Assay's ports of nltk's English Punkt sentence splitter and `word_tokenize` (what IFEval's checkers count)
/// against nltk 3.10.4 itself (`scripts/punkt-reference.py` in the metrics virtualenv), on every AlpacaEval model
/// output and on hand-written corners: both must give the same strings, code point for code point.
@Suite(.tags(.slow)) struct PunktCrossCheckTests {
  static let environment = ProcessInfo.processInfo.environment
  static let cache = environment["ASSAY_CACHE"] ?? ((environment["HOME"] ?? "") + "/.cache/assay")
  static let resources = environment["ASSAY_RESOURCES"] ?? (cache + "/resources")

  /// Abbreviations, initials, ellipses, numbers, quotes and brackets after periods, URLs, lists, contractions,
  /// non-ASCII text and unusual whitespace.
  static let corners = [
    "", " ", "   \n\t\n ", "x", ".", "?!", "...", "'", "\"", "Hello.",
    "Mr. Smith went to Washington. He arrived at 3 p.m. on Jan. 5. Dr. Jones met him.",
    "J. R. R. Tolkien wrote it. Johann S. Bach composed. A. Lincoln spoke.",
    "The U.S.A. is large. So is the U.K. I live in the U.S. now.",
    "Wait... what? Really?! Yes!!! OK.. Fine.",
    "Ellipsis . . . then more. . . . End. And . . . done.",
    "Pi is 3.14. E is 2.718. It costs $3.88, i.e. 1,000.5 cents. Version 2.0.1 is out.",
    "He said, \"Stop.\" Then she left. 'Go.' (Quietly.) [Done.] {End.} <Tag.> Next.",
    "“Curly quotes.” ‘Single ones.’ «Guillemets.» „Low.“ Next.",
    "Visit https://example.com/a.b?c=d. Or www.google.com. Email me at a.b@c.com. Call 555-1234.",
    "1. First item.\n2. Second item.\n3. Third item.\n\n10. Tenth.",
    "Step 1. Do this. Step 2. Do that. See No. 5 and Fig. 3. Approx. 5 km.",
    "Café au lait. Naïve résumé. İstanbul is big. ΟΔΟΣ ΣΟΦΟΣ. Straße. ǅemal. ſt. e\u{301}te\u{301}.",
    "日本語の文です。これは二つ目。Ceci est français. Это русский. Done.",
    "Don't can't won't I'm you're we've they'll he'd. Cannot gonna gimme lemme wanna go. 'Tis 'twas d'ye more'n.",
    "She said -- wait -- no. A—B – C ‒ D ― E. x--y.",
    "(How does it deal with this parenthesis?)  \"It should be part of the\nprevious sentence.\" "
      + "\"(And the same with this one.)\" ('And this one!')\n\"('(And (this)) '?)\" [(and this. )]",
    "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.  And sometimes "
      + "sentences\ncan start with non-capitalized words.  i is a good variable\nname.",
    "etc. etc. e.g. vs. No. 5 is here. Dr. Who? I.e., this is it.  E.g. that.",
    "Hello!How are you?I am fine.Thanks",
    "A sentence ending with a number 42. Next sentence. In 1990. He moved.",
    "**Bold.** *Italic.* `code.` ```block``` ``quoted'' text.",
    "Line one\r\nLine two. Line three.\r\n\r\nNew para.\rOld Mac.",
    "Non-breaking\u{A0}space. Next\u{2028}line. Ideographic\u{3000}space. Thin\u{2009}space. Zero\u{200B}width.",
    "Tab\tseparated. Vertical\u{0B}tab. Form\u{0C}feed. File\u{1C}separator. Next\u{85}line.",
    "The temp. was 20°C. Approx. 5 km. Sept. 5, 2020: a date; a list: x, y, z.",
    "It's 5 o'clock. 'Hello,' she said. The dogs' bowls. Rock 'n' roll. '90s music.",
    "Is it? Yes. Is it! No. Hmm.) (Then.",
    "trailing spaces.   ",
    "   leading spaces. Second.",
    "Emoji 😀. Flags 🇺🇸. Done 👍🏽.",
  ]

  /// Every AlpacaEval model output (about 6,400 texts) and the corners.
  static func texts() throws -> [String] {
    let folder = CLI.datasets + "/alpaca_eval/results"
    var texts: [String] = []
    for model in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
      let path = folder + "/" + model + "/model_outputs.json"
      guard FileManager.default.fileExists(atPath: path) else { continue }
      let rows = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: Any]])
      texts += rows.compactMap { $0["output"] as? String }
    }
    return texts + corners
  }

  /// Starts `scripts/punkt-reference.py` on the texts, in two processes (one per half) that run while Assay works.
  static func startReference(_ texts: [String]) throws -> [(process: Process, output: String)] {
    let dir = CLI.temporaryDirectory()
    let halves = [texts[..<(texts.count / 2)], texts[(texts.count / 2)...]]
    var running: [(process: Process, output: String)] = []
    for (index, half) in halves.enumerated() {
      let input = dir + "/texts-\(index).jsonl"
      let output = dir + "/reference-\(index).jsonl"
      let lines = try half.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0]), as: UTF8.self) }
      try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: input))
      _ = FileManager.default.createFile(atPath: output, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: MetricCrossCheckTests.venvPython)
      process.arguments = [CLI.repository + "/scripts/punkt-reference.py"]
      var environment = ProcessInfo.processInfo.environment
      environment["NLTK_DATA"] = cache + "/nltk_data"
      process.environment = environment
      process.standardInput = FileHandle(forReadingAtPath: input)
      process.standardOutput = FileHandle(forWritingAtPath: output)
      try process.run()
      running.append((process, output))
    }
    return running
  }

  /// nltk's sentences and words for each text, in order, once the reference processes are done.
  static func collect(_ running: [(process: Process, output: String)]) throws -> [(sentences: [String], words: [String])] {
    var results: [(sentences: [String], words: [String])] = []
    for (process, output) in running {
      process.waitUntilExit()
      try #require(process.terminationStatus == 0, "punkt-reference.py failed (status \(process.terminationStatus))")
      for line in try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n") {
        let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [String]])
        results.append((try #require(row["sentences"]), try #require(row["words"])))
      }
    }
    return results
  }

  /// Equal as Python compares strings: code point by code point (Swift's `==` also equates canonical equivalents).
  static func same(_ ours: [String], _ theirs: [String]) -> Bool {
    ours.count == theirs.count && zip(ours, theirs).allSatisfy { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }
  }

  static func json(_ value: Any) -> String {
    (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
      .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
  }

  @Test func sentencesAndWordsMatchNLTK() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: MetricCrossCheckTests.venvPython),
      "the reference virtualenv is missing: run scripts/setup-metrics-venv.sh (scripts/test.sh does)")
    let folder = Self.resources + "/punkt_tab/english/"
    let read = { (name: String) in try String(contentsOfFile: folder + name, encoding: .utf8) }
    let sentences = PunktSentenceTokenizer(
      parameters: try PunktParameters(
        abbrevTypes: try read("abbrev_types.txt"), collocations: try read("collocations.tab"),
        sentenceStarters: try read("sent_starters.txt"), orthoContext: try read("ortho_context.tab")))
    let words = NLTKWordTokenizer(sentences: sentences)
    let texts = try Self.texts()
    #expect(texts.count > 6000, "expected the AlpacaEval outputs under \(CLI.datasets)/alpaca_eval/results")
    let running = try Self.startReference(texts)
    let start = Date()
    let ours = texts.map { (sentences: sentences.tokenize($0), words: words.tokenize($0)) }
    let elapsed = Date().timeIntervalSince(start)
    let expected = try Self.collect(running)
    try #require(expected.count == texts.count, "the reference answered \(expected.count) of \(texts.count) texts")
    var sentenceAgreements = 0
    var wordAgreements = 0
    var shown = 0
    for (index, text) in texts.enumerated() {
      let sentencesAgree = Self.same(ours[index].sentences, expected[index].sentences)
      let wordsAgree = Self.same(ours[index].words, expected[index].words)
      if sentencesAgree { sentenceAgreements += 1 }
      if wordsAgree { wordAgreements += 1 }
      if !(sentencesAgree && wordsAgree) && shown < 5 {
        shown += 1
        print("disagreement on text #\(index): \(Self.json(text))")
        if !sentencesAgree {
          print("  assay sentences: \(Self.json(ours[index].sentences))\n  nltk sentences:  \(Self.json(expected[index].sentences))")
        }
        if !wordsAgree {
          print("  assay words: \(Self.json(ours[index].words))\n  nltk words:  \(Self.json(expected[index].words))")
        }
      }
    }
    print(
      "punkt: \(sentenceAgreements)/\(texts.count) texts agree; word_tokenize: \(wordAgreements)/\(texts.count) agree "
        + "(\(Self.corners.count) of them hand-written corners; both tokenizers took \(Int(elapsed * 1000)) ms)")
    #expect(sentenceAgreements == texts.count)
    #expect(wordAgreements == texts.count)
  }
}
