import AssayCore
import Foundation
import Testing

/// JSQuAD's exact match and character F1 against JGLUE's scorer (transformers 4.24.0 `squad_metrics` with JGLUE's
/// patch applied, run by `scripts/jsquad-reference.py` into `Tests/Fixtures/jsquad/reference.json`) on hostile
/// Japanese answers: every case equal to 1e-12, directly and through a generate suite's scorer.
@Suite struct JSQuADCrossCheckTests {
  struct Case: Decodable {
    let name: String
    let prediction: String
    let golds: [String]
    let exact_match: Double
    let char_f1: Double
  }

  struct Reference: Decodable {
    let generated_by: String
    let cases: [Case]
    let exact: Double
    let f1: Double
    let total: Int
  }

  static func reference() throws -> Reference {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    let data = try Data(contentsOf: root.appendingPathComponent("Fixtures/jsquad/reference.json"))
    return try JSONDecoder().decode(Reference.self, from: data)
  }

  @Test func everyCaseMatchesJGLUEsScorer() throws {
    let reference = try Self.reference()
    #expect(reference.cases.count == reference.total && reference.total >= 40)
    var exactSum = 0.0, f1Sum = 0.0
    for item in reference.cases {
      let exact = JSQuADMetric.exactMatch(item.prediction, golds: item.golds)
      let f1 = JSQuADMetric.f1(item.prediction, golds: item.golds)
      #expect(exact == item.exact_match, "\(item.name): exact match \(exact), reference \(item.exact_match)")
      #expect(abs(f1 - item.char_f1) < 1e-12, "\(item.name): F1 \(f1), reference \(item.char_f1)")
      exactSum += exact
      f1Sum += f1
    }
    // The corpus numbers JGLUE reports: the means ×100.
    #expect(abs(100 * exactSum / Double(reference.total) - reference.exact) < 1e-12)
    #expect(abs(100 * f1Sum / Double(reference.total) - reference.f1) < 1e-12)
  }

  /// The same cases as a suite scores them: the reply is the whole response, the golds the sample's answers (the
  /// target when there are none), and the suite's `normalize` left empty, as JGLUE applies its own rules.
  @Test func theScorerGivesJGLUEsNumbers() throws {
    let json = """
      {"extract": [{"name": "answer", "steps": [{"take": "first"}]}],
       "metrics": ["char_f1_jsquad", "exact_match_jsquad"], "primary": "char_f1_jsquad"}
      """
    let scorer = try Scorer(spec: JSONDecoder().decode(ScorerSpec.self, from: Data(json.utf8)), params: [:])
    for item in try Self.reference().cases where !item.golds.isEmpty {
      let score = scorer.score(response: item.prediction, target: item.golds[0], golds: item.golds)
      #expect(score.values["exact_match_jsquad"] == item.exact_match, "\(item.name)")
      #expect(abs((score.values["char_f1_jsquad"] ?? -1) - item.char_f1) < 1e-12, "\(item.name)")
    }
  }

  /// Where JGLUE's rules part from `char_f1` after the Japanese normalizers the docs suggested
  /// (`remove_whitespace`, `strip_punctuation`): a space and a `、` count against the answer, and two empty answers
  /// agree; the reference's numbers for these cases are in the fixture.
  @Test func jsquadRulesDifferFromCharF1() throws {
    let cases = Dictionary(uniqueKeysWithValues: try Self.reference().cases.map { ($0.name, $0) })
    let suggested = ["trim", "remove_whitespace", "strip_punctuation"]
    for name in ["a space inside counts", "comma stays", "empty prediction, empty gold"] {
      let item = try #require(cases[name])
      let charF1 = CharacterF1.f1(
        TextNormalizer.apply(suggested, to: item.prediction), golds: item.golds.map { TextNormalizer.apply(suggested, to: $0) })
      #expect(charF1 != item.char_f1, "\(name): char_f1 \(charF1) equals JGLUE's \(item.char_f1)")
    }
  }
}
