import Foundation
import Testing

@testable import AssayCore
@testable import AssayText
@testable import AssayInstructions

/// IFEval's pieces that the cross-check against the reference (IFEvalCrossCheckTests) does not isolate: bad rows,
/// Python's JSON grammar, Python's string predicates, and the clustered statistics of instruction-level accuracy.
@Suite struct IFEvalCheckerTests {
  /// Tools that fail the test if a check needs them when it should not.
  static let noTools = IFEvalTextTools(
    countSentences: { _ in Issue.record("sentence count not expected"); return 0 },
    wordTokens: { _ in Issue.record("word tokens not expected"); return [] },
    detectLanguage: { _ in Issue.record("language detection not expected"); return nil })

  @Test func badRowsAreErrorsThatNameTheInstructionAndTheFix() {
    #expect(throws: AssayError.self) { try IFEvalInstruction(id: "keywords:frequency", kwargs: ["keyword": "cat", "relation": "at least"]) }
    #expect(throws: AssayError.self) { try IFEvalInstruction(id: "keywords:frequency", kwargs: ["keyword": "cat", "frequency": 2, "relation": "more than"]) }
    #expect(throws: AssayError.self) { try IFEvalInstruction(id: "keywords:letter_frequency", kwargs: ["letter": "ab", "let_frequency": 2, "let_relation": "at least"]) }
    let hashes = try? IFEvalInstruction(id: "keywords:letter_frequency", kwargs: ["letter": "#", "let_frequency": 2, "let_relation": "at least"])
    #expect(hashes?.isRandomInReference == true)
    #expect(IFEvalChecker(tools: Self.noTools).follows(hashes!, "#one #two") && !IFEvalChecker(tools: Self.noTools).follows(hashes!, "#one"))
    do {
      _ = try IFEvalInstruction(id: "ja:letters:furigana", kwargs: [:])
      Issue.record("an M-IFEval id must not be accepted")
    } catch {
      #expect(error.message.contains("M-IFEval") && error.fix?.contains("--suite ifeval") == true)
    }
    do {
      _ = try IFEvalInstruction(id: "keywords:existance", kwargs: [:])
      Issue.record("a misspelled id must not be accepted")
    } catch {
      #expect(error.message.contains("keywords:existance") && error.fix?.contains("keywords:existence") == true)
    }
    // A zero is falsy in Python: the reference would draw a random threshold instead, so it cannot be reproduced.
    #expect(throws: AssayError.self) { try IFEvalInstruction(id: "detectable_format:number_bullet_lists", kwargs: ["num_bullets": 0]) }
  }

  @Test func everyRegisteredIdParsesWithItsArguments() throws {
    let datasets = ProcessInfo.processInfo.environment["ASSAY_DATA"]
      ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/../../../shared/datasets"
    let rows = try String(contentsOfFile: datasets + "/ifeval/input_data.jsonl", encoding: .utf8).split(separator: "\n")
    var seen: Set<String> = []
    for line in rows {
      let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let ids = try #require(row["instruction_id_list"] as? [String])
      let kwargs = try #require(row["kwargs"] as? [[String: Any]])
      for (id, arguments) in zip(ids, kwargs) {
        _ = try IFEvalInstruction(id: id, kwargs: arguments)
        seen.insert(id)
      }
    }
    #expect(seen == Set(IFEvalInstruction.ids))
  }

  /// Each verdict was checked with `json.loads` in CPython 3.11.
  @Test(arguments: [
    ("{}", true), ("[1, 2]", true), ("NaN", true), ("-Infinity", true), ("\"a\\ud800\"", true), ("01", false),
    ("1.", false), ("1.5e", false), ("1e+", false), ("{\"a\":1,}", false), ("[1,]", false), ("\"tab\there\"", false),
    (" {\"a\": [true, false, null]} ", true), ("\u{FEFF}{}", false), ("{\"a\" 1}", false), ("-", false),
    ("2.5E-3", true), ("{'a': 1}", false), ("\"\\x\"", false), ("[] []", false), ("", false),
  ])
  func pythonJSONGrammar(text: String, valid: Bool) {
    #expect(PythonJSON.isValid(text) == valid)
  }

  @Test func pythonCasePredicatesAndLowercase() {
    #expect(PythonText.isUpper("HELLO, WORLD 42"))
    #expect(!PythonText.isUpper("42 !"))
    #expect(!PythonText.isUpper("HELLO ǅ"))  // a titlecase letter
    #expect(PythonText.isLower("hello ß"))
    #expect(PythonText.lower("ΟΔΟΣ ΣΑ") == "οδος σα")  // final sigma only at a word's end
    #expect(PythonText.lower("İ").unicodeScalars.count == 2)
    #expect(PythonText.wordCount("don't stop-me 3.14 naïve_x") == 7)
  }

  @Test func strictAndLooseVerdicts() throws {
    let checker = IFEvalChecker(tools: Self.noTools)
    let instructions = [
      try IFEvalInstruction(id: "startend:quotation", kwargs: [:]),
      try IFEvalInstruction(id: "punctuation:no_comma", kwargs: [:]),
    ]
    // The first line breaks the quotation; loose drops it.
    let verdict = checker.verdict(response: "Sure, here you go:\n\"A quoted answer\"", instructions: instructions)
    #expect(verdict.strict == [false, false])
    #expect(verdict.loose == [true, true])
    #expect(!verdict.promptStrict && verdict.promptLoose)
    // An empty response follows nothing, even "no commas".
    #expect(checker.verdict(response: "  \n", instructions: instructions).loose == [false, false])
  }

  @Test func instructionLevelAccuracyIsARatioOfSumsWithStandardErrorsClusteredByPrompt() {
    // Three prompts with 1, 2 and 3 instructions; followed 1, 1 and 0 of them.
    let shares = [1.0, 0.5, 0.0]
    let counts = [1.0, 2.0, 3.0]
    let summary = ScoreSummary(scores: shares, weights: counts)
    #expect(abs(summary.mean - 2.0 / 6.0) < 1e-12)
    // Cluster residuals y_i - mean * m_i = 2/3, 1/3, -1, over the total 6; variance n/(n-1) * sum of squares.
    let residuals = [1 - 2.0 / 6.0 * 1, 1 - 2.0 / 6.0 * 2, 0 - 2.0 / 6.0 * 3].map { $0 / 6 }
    let expected = (3.0 / 2.0 * residuals.map { $0 * $0 }.reduce(0, +)).squareRoot()
    #expect(abs(summary.stderr - expected) < 1e-12)
    // Unweighted, the clustered form is the usual standard error of the mean.
    let plain = ScoreSummary(scores: [1, 0, 1, 1])
    let averaged = ScoreSummary(averaging: [.init(scores: [1, 0, 1, 1])])
    #expect(abs(plain.mean - averaged.mean) < 1e-12 && abs(plain.stderr - averaged.stderr) < 1e-12)
    // The average of two metrics is the mean of their totals.
    let both = ScoreSummary(averaging: [.init(scores: [1, 0, 0]), .init(scores: shares, weights: counts)])
    #expect(abs(both.mean - (1.0 / 3.0 + 2.0 / 6.0) / 2) < 1e-12)
  }
}
