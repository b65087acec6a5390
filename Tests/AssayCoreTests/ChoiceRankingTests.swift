import AssayCore
import Foundation
import Testing

@Suite struct ChoiceRankingTests {
  /// Tokens of "Ese sest" + " see." echoed with one generated token, offsets in Unicode scalars.
  let echoed = TokenLogprobs(
    tokens: ["Ese", " sest", " see", ".", " ok"], logprobs: [nil, -1.0, -2.0, -0.5, -9.0], offsets: [0, 3, 8, 12, 13])

  @Test func sumsOnlyTheContinuationAndLeavesOutTheGeneratedToken() throws {
    let result = try #require(ChoiceRanking.continuationLogprob(echoed, contextLength: 8, promptLength: 13))
    #expect(result.logprob == -2.5)
    #expect(result.tokens == 2)
  }

  @Test func aTokenThatStraddlesTheContextEndBelongsToTheContinuation() throws {
    // Context "Ese se" (6 scalars) ends inside " sest": that token is counted with the continuation.
    let result = try #require(ChoiceRanking.continuationLogprob(echoed, contextLength: 6, promptLength: 13))
    #expect(result.logprob == -3.5)
    #expect(result.tokens == 3)
  }

  @Test func missingLogprobsAreNotAScoreOfZero() {
    let broken = TokenLogprobs(tokens: ["a", " b"], logprobs: [nil, nil], offsets: [0, 1])
    #expect(ChoiceRanking.continuationLogprob(broken, contextLength: 1, promptLength: 3) == nil)
    #expect(ChoiceRanking.continuationLogprob(echoed, contextLength: 13, promptLength: 13) == nil)
  }

  @Test func accAndAccNormCanDisagree() {
    // B has the higher total; A the higher log-probability per byte.
    let choices: [ChoiceRanking.ChoiceLikelihood] = [
      .init(logprob: -6, bytes: 3, tokens: 2), .init(logprob: -5, bytes: 2, tokens: 1),
      .init(logprob: -20, bytes: 20, tokens: 5),
    ]
    let score = ChoiceRanking.score(choices, correct: [2], metrics: ["acc", "acc_norm"], primary: "acc_norm")
    #expect(score.answers == ["acc": "B", "acc_norm": "C"])
    #expect(score.correct == ["acc": false, "acc_norm": true])
    #expect(score.value == 1)
  }

  @Test func mc2IsTheProbabilityMassOnTrueAnswers() {
    let choices: [ChoiceRanking.ChoiceLikelihood] = [
      .init(logprob: log(0.2), bytes: 1, tokens: 1), .init(logprob: log(0.3), bytes: 1, tokens: 1),
      .init(logprob: log(0.1), bytes: 1, tokens: 1),
    ]
    let score = ChoiceRanking.score(choices, correct: [0, 2], metrics: ["mc2", "acc"], primary: "mc2")
    // (0.2 + 0.1) / (0.2 + 0.3 + 0.1) = 0.5
    #expect(abs(score.value - 0.5) < 1e-12)
    #expect(score.correct["acc"] == false)
  }

  @Test func scorerReadsStoredLikelihoodsAndRejectsWrongCounts() throws {
    let spec = ScorerSpec(metrics: ["acc", "acc_norm"], primary: "acc")
    let scorer = try Scorer(spec: spec, params: [:], taskType: .rankChoices)
    let sample = Sample(index: 0, fields: [:], target: "B", choices: ["x", "y"], correct: [1])
    let stored = CanonicalJSON.string(RankedChoices(choices: [.init(logprob: -3, bytes: 1, tokens: 1), .init(logprob: -1, bytes: 1, tokens: 1)]))
    #expect(scorer.score(response: stored, sample: sample).correct == ["acc": true, "acc_norm": true])
    let short = CanonicalJSON.string(RankedChoices(choices: [.init(logprob: -3, bytes: 1, tokens: 1)]))
    let bad = scorer.score(response: short, sample: sample)
    #expect(bad.value == 0 && bad.explanation.contains("2 choices"))
  }

  @Test func lettersGoPastZ() {
    #expect(Sample.letter(0) == "A")
    #expect(Sample.letter(9) == "J")
    #expect(Sample.letter(26) == "AA")
  }
}
