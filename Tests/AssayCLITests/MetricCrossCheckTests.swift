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
      let reference = Process()
      reference.executableURL = URL(fileURLWithPath: Self.venvPython)
      reference.arguments = [CLI.repository + "/scripts/metrics-reference.py", name, dir + "/hyp.txt", dir + "/ref.txt"]
      let pipe = Pipe()
      reference.standardOutput = pipe
      try reference.run()
      let output = pipe.fileHandleForReading.readDataToEndOfFile()
      reference.waitUntilExit()
      let expected = try #require((try JSONSerialization.jsonObject(with: output) as? [String: Double])?["score"])
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
}
