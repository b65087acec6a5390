import AssayCore
import AssaySuites
import Foundation
import Testing

/// The reference-compatible pipelines of the shipped MGSM and GSM8K suites give the reference's verdict on every
/// response of Tests/Fixtures/math-extraction/reference.jsonl: simple-evals' own parse_answer and score_mgsm, and
/// lm-eval 0.4.13's own filters and exact_match, run on the same hostile and multilingual responses by
/// scripts/math-extraction-reference.py.
@Suite struct ReferenceExtractionTests {
  struct Row: Decodable {
    var suite: String
    var variant: String
    var target: String
    var response: String
    var answers: [String: String]
    var correct: [String: Bool]
  }

  static let rows: [Row] = {
    let path = TestPaths.repository + "/Tests/Fixtures/math-extraction/reference.jsonl"
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map { try! JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
  }()

  /// Scorers by `suite/variant`, for the shipped suite or one whose scorer was changed by `edit`.
  static func scorers(edit: (inout ScorerSpec) -> Void = { _ in }) throws -> [String: Scorer] {
    var scorers: [String: Scorer] = [:]
    for id in ["mgsm", "gsm8k"] {
      var suite = try SuiteFile.load(path: TestPaths.benchmarks + "/\(id)/\(id).yaml")
      edit(&suite.scorer)
      for variant in suite.variants {
        scorers["\(id)/\(variant.id)"] = try Scorer(spec: suite.scorer, params: variant.templateParameters)
      }
    }
    return scorers
  }

  /// Each fixture verdict Assay's pipeline of the same name does not reproduce, described.
  static func mismatches(_ scorers: [String: Scorer]) -> [String] {
    var found: [String] = []
    for row in rows {
      guard let scorer = scorers["\(row.suite)/\(row.variant)"] else {
        found.append("no scorer for \(row.suite)/\(row.variant)")
        continue
      }
      let score = scorer.score(response: row.response, target: row.target)
      for (pipeline, expected) in row.correct.sorted(by: { $0.key < $1.key }) where score.correct[pipeline] != expected {
        found.append(
          "\(row.suite)/\(row.variant) \(pipeline): reference \(expected) (answer \(row.answers[pipeline].map { "'\($0)'" } ?? "long")), "
            + "Assay \(score.correct[pipeline].map(String.init) ?? "absent") (\(score.explanation.prefix(200))); target '\(row.target)', "
            + "response '\(row.response.prefix(80).debugDescription)'")
      }
    }
    return found
  }

  @Test func everyReferenceVerdictIsReproduced() throws {
    #expect(Self.rows.count == 417, "the fixture is missing or changed; regenerate it with scripts/math-extraction-reference.py")
    let found = Self.mismatches(try Self.scorers())
    #expect(found.isEmpty, "\(found.count) verdicts differ:\n\(found.prefix(20).joined(separator: "\n"))")
  }

  @Test func theNormalizedAndReferencePipelinesDisagreeWhereLocaleFormatsMatter() throws {
    let scorers = try Self.scorers()
    var differing: [String: Int] = [:]
    var counts: [String: Int] = [:]
    for row in Self.rows {
      let score = scorers["\(row.suite)/\(row.variant)"]!.score(response: row.response, target: row.target)
      for reference in row.correct.keys {
        for normalized in ["strict", "flexible"] {
          let key = "\(row.suite): \(normalized) vs \(reference)"
          counts[key, default: 0] += 1
          if score.correct[normalized] != score.correct[reference] { differing[key, default: 0] += 1 }
        }
      }
    }
    for key in counts.keys.sorted() { print("\(key): \(differing[key] ?? 0) of \(counts[key]!) verdicts differ") }
    // The normalized pipelines read "7.500" (de), "$6.00" and native digits as the numbers they are; the references
    // do not, and lm-eval's strict regex reads "The answer is 18" at the end of a reply as 1.
    let de = scorers["mgsm/de"]!
    #expect(de.score(response: "Antwort: 7.500", target: "7500").correct == [
      "strict": true, "flexible": true, "simple-evals": false, "lm-eval-flexible": true,
    ])
    #expect(de.score(response: "Antwort: $6.00", target: "6").correct == [
      "strict": true, "flexible": true, "simple-evals": true, "lm-eval-flexible": false,
    ])
    #expect(scorers["mgsm/bn"]!.score(response: "উত্তর: ১৮", target: "18").correct == [
      "strict": true, "flexible": true, "simple-evals": false, "lm-eval-flexible": false,
    ])
    #expect(scorers["gsm8k/main"]!.score(response: "So The answer is 18", target: "18").answers["lm-eval-strict"] == "1")
    #expect(differing.values.allSatisfy { $0 > 0 } && differing.count == counts.count)
  }

  @Test func hugeAnswersScoreInLinearTime() throws {
    // A 100,000-digit answer: lm-eval's "(?s).*#### " retried from every position took 35 s at 60,000 digits.
    let scorers = try Self.scorers()
    let digits = String(repeating: "9", count: 100_000)
    let clock = ContinuousClock()
    var verdicts: [String: Bool] = [:]
    let elapsed = clock.measure {
      verdicts.merge(scorers["gsm8k/main"]!.score(response: "The answer is \(digits).", target: "18").correct) { $1 }
      verdicts.merge(scorers["mgsm/en"]!.score(response: "Answer: \(digits).", target: "18").correct) { $1 }
    }
    #expect(verdicts.values.allSatisfy { !$0 } && verdicts.count == 5)
    #expect(elapsed < .seconds(10), "\(elapsed)")
  }

  @Test func theCheckFailsWithUnicodeEquivalentPrefixesOrICURegularExpressions() throws {
    // after_last finds "Réponse" in "Re\u{301}ponse" (Foundation's canonical equivalence); simple-evals does not.
    let equivalent = Self.mismatches(try Self.scorers { spec in
      spec.extract = spec.extract?.map { pipeline in
        var pipeline = pipeline
        pipeline.steps = pipeline.steps.map { if case .splitLast(let marker) = $0 { .afterLast(marker) } else { $0 } }
        return pipeline
      }
    })
    #expect(equivalent.contains { $0.hasPrefix("mgsm/fr simple-evals") }, "\(equivalent)")
    // ICU's `.` does not match "\r"; Python's does, so lm-eval reads "The answer is 18\r\n" as 18.
    let icu = Self.mismatches(try Self.scorers { spec in
      spec.extract = spec.extract?.map { pipeline in
        var pipeline = pipeline
        pipeline.steps = pipeline.steps.map { if case .findall(let pattern) = $0 { .regex(pattern) } else { $0 } }
        return pipeline
      }
    })
    #expect(icu.contains { $0.hasPrefix("gsm8k/main lm-eval-strict") }, "\(icu)")
  }
}
