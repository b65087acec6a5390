import AssayCore
import AssayText
import Foundation
import Testing

/// The Python-faithful steps (`split_last`, `findall`, `sub`) and a pipeline's own preprocess, normalize and match.
@Suite struct PipelineStepTests {
  func extract(_ steps: [ExtractStep], _ text: String) throws -> String? {
    try AnswerExtractor(steps: steps).extract(from: text)
  }

  @Test func splitLastIsPythonsSplit() throws {
    // "aaa".split("aa") == ["", "a"]: occurrences found left to right, not the last one's start.
    #expect(try extract([.splitLast("aa")], "aaa") == "a")
    #expect(try extract([.afterLast("aa")], "aaa") == "")
    #expect(try extract([.splitLast("Answer")], "no prefix here") == nil)
    #expect(try extract([.splitLast("")], "text") == nil)
    // Code points compared exactly: a decomposed é is not the precomposed one.
    #expect(try extract([.splitLast("Réponse")], "Re\u{301}ponse: 5") == nil)
    #expect(try extract([.splitLast("Réponse")], "Réponse: 5 ; Réponse: 6") == ": 6")
  }

  @Test func findallReadsGroupsAsLmEvalDoes() throws {
    let flexible = ExtractStep.findall("(-?[$0-9.,]{2,})|(-?[0-9]+)")
    #expect(try extract([flexible, .takeLast], "9 eggs, $18.00.") == "$18.00.")
    #expect(try extract([flexible, .takeLast], "it is 7") == "7")
    #expect(try extract([.findall("x(y?)"), .takeFirst], "x") == "")
    #expect(try extract([.findall("\\d+"), .takeLast], "১৮ and 3") == "3")
    #expect(try extract([.findall("\\d+"), .takeFirst], "১৮ and 3") == "১৮")
    // Python's `.` matches "\r" (only "\n" ends a line); ICU's does not.
    #expect(try extract([.findall("is (\\d+)."), .takeFirst], "is 18\r\n") == "18")
    #expect(try extract([.regex("is (\\d+)."), .takeFirst], "is 18\r\n") == "1")
  }

  @Test func subReplacesAsPythonDoes() throws {
    let zeros = ExtractStep.sub(pattern: "(\\.(?:\\d*(?!0)\\d)?)0+$", replacement: "\\1")
    #expect(try extract([zeros], "6.00") == "6.")
    #expect(try extract([zeros], "6.50") == "6.5")
    #expect(try extract([zeros], "600") == "600")
    #expect(try extract([.sub(pattern: "(a)(b)", replacement: "\\g<2>\\1\\\\n\\n")], "ab") == "ba\\n\n")
    #expect(throws: AssayError.self) { try AnswerExtractor(steps: [.sub(pattern: "a", replacement: "\\1")]) }
  }

  @Test func aPipelinesOwnRulesReplaceTheScorers() throws {
    let spec = ScorerSpec(
      preprocess: ["native_digits"],
      extract: [
        NamedPipeline(name: "normalized", steps: [.numbers, .takeLast]),
        NamedPipeline(
          name: "raw", steps: [.findall("\\d+\\.?\\d*"), .takeLast], preprocess: [],
          normalize: [.sub(pattern: ",", replacement: ""), .named("trim")], match: "exact"),
      ],
      normalize: ["trim"], match: "number", primary: "normalized")
    let scorer = try Scorer(spec: spec, params: [:])
    let native = scorer.score(response: "উত্তর: ১৮", target: "18")
    #expect(native.correct == ["normalized": true, "raw": false])
    #expect(native.answers["raw"] == "১৮")
    let decimal = scorer.score(response: "18.0", target: "1,8")
    #expect(decimal.correct == ["normalized": false, "raw": false])
    #expect(scorer.score(response: "18", target: "1,8").correct == ["normalized": false, "raw": true])
  }

  @Test func hugeResponsesScoreInLinearTime() throws {
    // A 200,000-digit number after the prefix: the reference rules' regular expressions must not backtrack
    // quadratically (the trailing-zeros rule scans one run of digits).
    let spec = ScorerSpec(
      extract: [
        NamedPipeline(
          name: "ref", steps: [.splitLast("Answer"), .findall("\\d+\\.?\\d*"), .takeLast], preprocess: [],
          normalize: [.sub(pattern: "(\\.(?:\\d*(?!0)\\d)?)0+$", replacement: "\\1"), .sub(pattern: "\\.$", replacement: "")],
          match: "exact")
      ], match: "exact", primary: "ref")
    let scorer = try Scorer(spec: spec, params: [:])
    let clock = ContinuousClock()
    let zeros = String(repeating: "0", count: 200_000)
    var verdicts: [Bool] = []
    let elapsed = clock.measure {
      verdicts.append(scorer.score(response: "Answer: 1." + zeros, target: "1").correct["ref"] == true)
      verdicts.append(scorer.score(response: "Answer: 1." + zeros + "5", target: "1").correct["ref"] == true)
      verdicts.append(scorer.score(response: "Answer: 1" + zeros, target: "1").correct["ref"] == true)
    }
    #expect(verdicts == [true, false, false])
    #expect(elapsed < .seconds(20), "\(elapsed)")
  }
}
