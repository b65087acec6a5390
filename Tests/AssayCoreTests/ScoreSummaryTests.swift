import AssayCore
import Testing

@Suite struct ScoreSummaryTests {
  @Test func meanStandardErrorAndInterval() {
    // 3 of 4 correct: mean .75, sample variance .25, se = .5 / 2 = .25.
    let summary = ScoreSummary(scores: [1, 1, 0, 1])
    #expect(summary.n == 4)
    #expect(summary.mean == 0.75)
    #expect(abs(summary.stderr - 0.25) < 1e-12)
    #expect(abs(summary.ciLow - (0.75 - 1.959963984540054 * 0.25)) < 1e-12)
    #expect(summary.ciHigh == 1)  // clamped
  }

  @Test func emptyAndSingletonAreFinite() {
    #expect(ScoreSummary(scores: []).mean == 0)
    #expect(ScoreSummary(scores: [1]).stderr == 0)
  }
}
