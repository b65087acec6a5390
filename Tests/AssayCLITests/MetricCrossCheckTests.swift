import Foundation
import Testing

/// `assay metric` against the reference implementations (sacrebleu, rouge-score, the SQuAD v1.1 logic) run from
/// PyPI in a throwaway virtualenv (`scripts/setup-metrics-venv.sh`), on real sentences in eight languages and
/// writing systems with deterministic damage, plus lines that exercise the tokenizers' corners.
@Suite struct MetricCrossCheckTests {
  static let venvPython = (ProcessInfo.processInfo.environment["ASSAY_CACHE"]
    ?? ((ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay")) + "/metrics-venv/bin/python"

  /// Hypotheses and references: Tatoeba sentences, each damaged by its index (a code point dropped, punctuation
  /// added, words reversed, lowercased, a word doubled, or left alone).
  static func fixture() throws -> (hypotheses: [String], references: [String]) {
    var hypotheses: [String] = []
    var references: [String] = []
    for language in ["deu", "fra", "rus", "ara", "hin", "cmn", "jpn", "tha"] {
      let path = CLI.datasets + "/tatoeba/v1/tatoeba.\(language)-eng.\(language)"
      let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").prefix(80).map(String.init)
      for (index, line) in lines.enumerated() {
        references.append(line)
        var scalars = Array(line.unicodeScalars)
        var words = line.split(separator: " ").map(String.init)
        switch index % 6 {
        case 0 where scalars.count > 3: scalars.remove(at: (index * 7) % scalars.count)
        case 1: scalars += "!".unicodeScalars
        case 2: words.reverse(); scalars = Array(words.joined(separator: " ").unicodeScalars)
        case 3: scalars = Array(line.lowercased().unicodeScalars)
        case 4 where !words.isEmpty: words.insert(words[0], at: 0); scalars = Array(words.joined(separator: " ").unicodeScalars)
        default: break
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        hypotheses.append(text)
      }
    }
    let corners: [(String, String)] = [
      ("It costs 3.5 dollars, i.e. 1,000 cents - ok?", "It costs 3.5 dollars, i.e. 1,000 cents-ok?"),
      ("A &amp; B &lt;x&gt; &quot;q&quot;", "A & B <x> \"q\""),
      ("2-3 items (hi) [x] {y}", "2 - 3 items ( hi ) [x] {y}"),
      ("The the a an answer", "an answer"),
      ("", "nothing was said"),
      ("x", "y"),
      ("naïve café", "naive cafe"),
    ]
    for (hypothesis, reference) in corners {
      hypotheses.append(hypothesis)
      references.append(reference)
    }
    return (hypotheses, references)
  }

  /// The reference implementation's score of dir/hyp.txt against dir/ref.txt.
  static func referenceScore(_ name: String, directory dir: String, language: String? = nil) throws -> Double {
    let reference = Process()
    reference.executableURL = URL(fileURLWithPath: venvPython)
    reference.arguments = [CLI.repository + "/scripts/metrics-reference.py", name, dir + "/hyp.txt", dir + "/ref.txt"]
      + (language.map { [$0] } ?? [])
    let pipe = Pipe()
    reference.standardOutput = pipe
    try reference.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    reference.waitUntilExit()
    return try #require((try JSONSerialization.jsonObject(with: output) as? [String: Double])?["score"])
  }

  @Test func everyMetricMatchesItsReferenceImplementation() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: Self.venvPython),
      "the reference virtualenv is missing: run scripts/setup-metrics-venv.sh (scripts/test.sh does)")
    let dir = CLI.temporaryDirectory()
    let (hypotheses, references) = try Self.fixture()
    try Data((hypotheses.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/hyp.txt"))
    try Data((references.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/ref.txt"))
    for name in ["chrf", "chrf++", "bleu", "rouge_l", "squad_em", "squad_f1"] {
      let ours = try CLI.run(["metric", "--name", name, "--hyp", dir + "/hyp.txt", "--ref", dir + "/ref.txt", "--json"], in: dir)
      #expect(ours.status == 0, "\(ours.stderr)")
      let expected = try Self.referenceScore(name, directory: dir)
      let got = try #require((try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Double])?["score"])
      print("\(name): assay \(got), reference \(expected) (\(hypotheses.count) lines)")
      #expect(abs(got - expected) < 1e-6, "\(name): assay \(got) vs reference \(expected)")
    }
  }

  @Test func misalignedFilesAreRefused() throws {
    let dir = CLI.temporaryDirectory()
    try Data("a\nb\n".utf8).write(to: URL(fileURLWithPath: dir + "/hyp.txt"))
    try Data("a\n".utf8).write(to: URL(fileURLWithPath: dir + "/ref.txt"))
    let result = try CLI.run(["metric", "--name", "bleu", "--hyp", dir + "/hyp.txt", "--ref", dir + "/ref.txt"], in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.contains("--hyp has 2 lines but --ref has 1"), "\(result.stderr)")
  }

  @Test func xquadPerItemScoresAreSQuADExactMatchAndF1() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Self.venvPython), "run scripts/setup-metrics-venv.sh")
    let dir = CLI.temporaryDirectory()
    // The German file's first 40 questions, in file order (the `sample` index), answered with the gold answer,
    // a longer span, a lowercased one with an article, or a wrong word.
    let data = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.datasets + "/xquad/xquad.de.json")))
      as! [String: Any]
    var golds: [String] = []
    for article in data["data"] as! [[String: Any]] {
      for paragraph in article["paragraphs"] as! [[String: Any]] {
        for qa in paragraph["qas"] as! [[String: Any]] {
          golds.append(((qa["answers"] as! [[String: Any]])[0]["text"] as! String).trimmingCharacters(in: .whitespaces))
        }
      }
    }
    golds = Array(golds.prefix(40))
    let responses = golds.enumerated().map { index, gold -> String in
      switch index % 4 {
      case 0: return gold
      case 1: return "etwa " + gold + " oder so"
      case 2: return "The " + gold.lowercased() + "."
      default: return "Zebra"
      }
    }
    let lines = try responses.enumerated().map { index, response in
      String(decoding: try JSONSerialization.data(withJSONObject: ["sample": index, "response": response]), as: UTF8.self)
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/responses.jsonl"))
    let result = try CLI.run(
      ["score", "--suite", "xquad", "--variant", "de", "--responses", dir + "/responses.jsonl", "--per-item"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let items = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    #expect(items.count == 40)
    #expect(items.allSatisfy { Set($0.keys) == ["sample", "exact_match", "f1", "f1_mlqa"] })
    // The same pairs through the reference logic, as corpus means.
    try Data((responses.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/hyp.txt"))
    try Data((golds.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/ref.txt"))
    for (name, key) in [("squad_em", "exact_match"), ("squad_f1", "f1")] {
      let expected = try Self.referenceScore(name, directory: dir)
      let ours = 100 * items.map { $0[key] as! Double }.reduce(0, +) / Double(items.count)
      print("xquad/de \(key): assay \(ours), reference \(expected)")
      #expect(abs(ours - expected) < 1e-6)
    }
    #expect(items[0]["exact_match"] as? Double == 1 && items[3]["f1"] as? Double == 0)
  }

  /// Chinese XQuAD answers with the marks and spaces Python's `str.split()` and `string.punctuation` treat their own
  /// way (a leading U+FEFF stays part of the token; U+3000 and U+001C separate; U+200B and full-width punctuation do
  /// not), per item through `assay score` and as corpus means through the official v1.1 logic.
  @Test func xquadChineseAnswersWithUnicodeMarksScoreAsTheOfficialScript() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Self.venvPython), "run scripts/setup-metrics-venv.sh")
    let dir = CLI.temporaryDirectory()
    let data = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.datasets + "/xquad/xquad.zh.json")))
      as! [String: Any]
    var golds: [String] = []
    for article in data["data"] as! [[String: Any]] {
      for paragraph in article["paragraphs"] as! [[String: Any]] {
        for qa in paragraph["qas"] as! [[String: Any]] {
          golds.append(((qa["answers"] as! [[String: Any]])[0]["text"] as! String).trimmingCharacters(in: .whitespaces))
        }
      }
    }
    golds = Array(golds.prefix(48))
    let responses = golds.enumerated().map { index, gold -> String in
      switch index % 8 {
      case 0: return gold
      case 1: return "\u{FEFF}" + gold + " 是"
      case 2: return gold + "\u{3000}年"
      case 3: return "\u{200B}" + gold
      case 4: return gold + "\u{1C}" + gold
      case 5: return "答案：" + gold + "。"
      case 6: return "\u{00A0}" + gold + " 的"
      default: return "\u{FEFF}" + gold
      }
    }
    let lines = try responses.enumerated().map { index, response in
      String(decoding: try JSONSerialization.data(withJSONObject: ["sample": index, "response": response]), as: UTF8.self)
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/responses.jsonl"))
    let result = try CLI.run(
      ["score", "--suite", "xquad", "--variant", "zh", "--responses", dir + "/responses.jsonl", "--per-item"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let items = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    #expect(items.count == 48)
    try Data((responses.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/hyp.txt"))
    try Data((golds.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/ref.txt"))
    for (name, key) in [("squad_em", "exact_match"), ("squad_f1", "f1")] {
      let expected = try Self.referenceScore(name, directory: dir)
      let ours = 100 * items.map { $0[key] as! Double }.reduce(0, +) / Double(items.count)
      print("xquad/zh with marks \(key): assay \(ours), reference \(expected)")
      #expect(abs(ours - expected) < 1e-6)
    }
  }

  /// XQuAD's answers in MLQA's seven languages, damaged by index, through `assay metric --name mlqa_em|mlqa_f1 --lang`
  /// and lm-eval's MLQA code.
  @Test func mlqaExactMatchAndF1MatchTheReferenceInItsSevenLanguages() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Self.venvPython), "run scripts/setup-metrics-venv.sh")
    let articles = ["en": "the ", "es": "la ", "de": "der ", "vi": "những ", "ar": "ال", "hi": "", "zh": ""]
    for language in ["en", "es", "de", "vi", "ar", "hi", "zh"] {
      let dir = CLI.temporaryDirectory()
      let data = try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: CLI.datasets + "/xquad/xquad.\(language).json"))) as! [String: Any]
      var golds: [String] = []
      for article in data["data"] as! [[String: Any]] {
        for paragraph in article["paragraphs"] as! [[String: Any]] {
          for qa in paragraph["qas"] as! [[String: Any]] { golds.append((qa["answers"] as! [[String: Any]])[0]["text"] as! String) }
        }
      }
      golds = Array(golds.prefix(60))
      let hypotheses = golds.enumerated().map { index, gold -> String in
        switch index % 6 {
        case 0: return gold
        case 1: return "«" + gold + "»!"
        case 2: return articles[language, default: ""] + gold.uppercased() + "。"
        case 3: return String(gold.unicodeScalars.prefix(max(1, gold.unicodeScalars.count / 2)).map(Character.init))
        case 4: return gold + " " + gold.split(separator: " ").first.map(String.init)!
        default: return "Zebra 42"
        }
      }
      try Data((hypotheses.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/hyp.txt"))
      try Data((golds.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/ref.txt"))
      for name in ["mlqa_em", "mlqa_f1"] {
        let ours = try CLI.run(
          ["metric", "--name", name, "--lang", language, "--hyp", dir + "/hyp.txt", "--ref", dir + "/ref.txt", "--json"], in: dir)
        #expect(ours.status == 0, "\(ours.stderr)")
        let got = try #require((try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Double])?["score"])
        let expected = try Self.referenceScore(name, directory: dir, language: language)
        print("\(name) \(language): assay \(got), reference \(expected) (\(golds.count) answers)")
        #expect(abs(got - expected) < 1e-6, "\(name) \(language)")
      }
    }
  }

  /// MasakhaNER's gold entity lists, damaged by index (an entity dropped, relabelled, lowercased, punctuated,
  /// "$$"-separated, with an article, invented), through `assay metric --name span_f1` and AfroBench's span F1.
  @Test func masakhanerSpanF1MatchesAfroBench() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Self.venvPython), "run scripts/setup-metrics-venv.sh")
    let dir = CLI.temporaryDirectory()
    var golds: [String] = []
    for language in ["swa", "yor", "hau", "pcm"] {
      let text = try String(contentsOfFile: CLI.datasets + "/masakhaner2/\(language)/test.txt", encoding: .utf8)
      for sentence in text.components(separatedBy: "\n\n").prefix(60) {
        var entities: [(String, [String])] = []
        for line in sentence.split(separator: "\n") {
          let parts = line.split(separator: " ")
          guard parts.count == 2 else { continue }
          let (word, tag) = (String(parts[0]), String(parts[1]))
          if tag.hasPrefix("B-") {
            entities.append((String(tag.dropFirst(2)), [word]))
          } else if tag.hasPrefix("I-"), !entities.isEmpty, entities[entities.count - 1].0 == String(tag.dropFirst(2)) {
            entities[entities.count - 1].1.append(word)
          }
        }
        golds.append(entities.map { "\($0.0): \($0.1.joined(separator: " "))" }.joined(separator: " $ "))
      }
    }
    let hypotheses = golds.enumerated().map { index, gold -> String in
      let spans = gold.components(separatedBy: " $ ")
      switch index % 7 {
      case 0: return gold
      case 1: return spans.dropFirst().joined(separator: " $ ")
      case 2: return spans.map { $0.replacingOccurrences(of: "PER:", with: "ORG:") }.joined(separator: " $ ")
      case 3: return gold.lowercased() + "."
      case 4: return spans.joined(separator: " $$ ")
      case 5: return spans.map { $0.replacingOccurrences(of: ": ", with: ": the ") }.joined(separator: ", ")
      default: return gold.isEmpty ? "LOC: Lagos" : gold + " $ DATE: jana"
      }
    }
    try Data((hypotheses.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/hyp.txt"))
    try Data((golds.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/ref.txt"))
    let ours = try CLI.run(["metric", "--name", "span_f1", "--hyp", dir + "/hyp.txt", "--ref", dir + "/ref.txt", "--json"], in: dir)
    #expect(ours.status == 0, "\(ours.stderr)")
    let got = try #require((try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Double])?["score"])
    let expected = try Self.referenceScore("span_f1", directory: dir)
    print("span_f1: assay \(got), reference \(expected) (\(golds.count) sentences)")
    // AfroBench adds 1e-13 to each denominator; Assay's ratio of sums is exact.
    #expect(abs(got - expected) < 1e-6)
  }

  /// A Tatoeba variant's suite score through `assay score`: corpus chrF++ from the items' summed statistics, as
  /// sacrebleu scores the same lines.
  @Test func tatoebaSuiteScoreIsSacrebleusCorpusChrFPlusPlus() throws {
    try #require(FileManager.default.isExecutableFile(atPath: Self.venvPython), "run scripts/setup-metrics-venv.sh")
    let dir = CLI.temporaryDirectory()
    let references = try String(contentsOfFile: CLI.datasets + "/tatoeba/v1/tatoeba.deu-eng.eng", encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: false).prefix(200).map(String.init)
    // Damaged "translations": the reference with words dropped or reordered, case changed, or a wrong sentence.
    let hypotheses = references.enumerated().map { index, reference -> String in
      let words = reference.split(separator: " ").map(String.init)
      switch index % 4 {
      case 0: return reference
      case 1: return words.dropLast().joined(separator: " ")
      case 2: return words.reversed().joined(separator: " ").lowercased()
      default: return "I do not know."
      }
    }
    let lines = try hypotheses.enumerated().map { index, hypothesis in
      String(decoding: try JSONSerialization.data(withJSONObject: ["sample": index, "response": hypothesis]), as: UTF8.self)
    }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/responses.jsonl"))
    let result = try CLI.run(["score", "--suite", "tatoeba", "--variant", "deu-eng", "--responses", dir + "/responses.jsonl"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let totals = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let ours = 100 * (try #require(totals["accuracy_chrf++"] as? Double))
    try Data((hypotheses.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/hyp.txt"))
    try Data((references.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/ref.txt"))
    let expected = try Self.referenceScore("chrf++", directory: dir)
    print("tatoeba/deu-eng chrF++ (suite score): assay \(ours), sacrebleu \(expected) (\(references.count) sentences)")
    #expect(abs(ours - expected) < 1e-6)
    #expect((totals["stderr_chrf++"] as? Double ?? 0) > 0)
  }
}
