import AssayCore
import AssayTesting
import Testing

@Suite struct ScorerTests {
  let scorer = try! SuiteFixtures.mathTask(count: 1).scorer

  @Test func strictNeedsTheAnswerPhraseFlexibleTakesTheLastNumber() {
    let score = scorer.score(response: "5 + 4 = 9. The answer is 9.", target: "9")
    #expect(score.answers == ["strict": "9", "flexible": "9"])
    #expect(score.correct == ["strict": true, "flexible": true])
    let loose = scorer.score(response: "5 + 4 = 9", target: "9")
    #expect(loose.answers["strict"] == nil)
    #expect(loose.correct == ["strict": false, "flexible": true])
    #expect(loose.explanation.contains("strict: no answer extracted"))
  }

  @Test func comparesNumbersNotStrings() {
    #expect(scorer.score(response: "The answer is 1,000.00", target: "1000").value == 1)
    #expect(scorer.score(response: "The answer is ১০০০", target: "1000").value == 1)
    #expect(scorer.score(response: "The answer is 18", target: "19").value == 0)
  }

  @Test func emptyResponseIsWrongNotAnError() {
    let score = scorer.score(response: "", target: "3")
    #expect(score.correct == ["strict": false, "flexible": false])
    #expect(score.answers.isEmpty)
  }
}
