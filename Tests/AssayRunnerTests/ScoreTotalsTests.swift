import AssayCore
import AssayReport
import AssayTesting
import Testing

/// `assay score`'s item lines and totals, computed directly (ScoreCommandTests runs them through the binary).
@Suite struct ScoreTotalsTests {
  @Test func totalsGiveEachPipelinesMeanAndExtractionFailures() throws {
    let task = try SuiteFixtures.mathTask(count: 4)
    let responses = ["The answer is 0", "I think 1", "The answer is 5", "no idea"]
    let scores = zip(responses, task.samples).map { task.scorer.score(response: $0, sample: $1) }
    let totals = ScoreTotals.totals(suite: "toy-math", variant: "main", scorer: task.scorer, scores: scores)
    #expect(totals["n"] as? Int == 4)
    #expect(totals["primary"] as? String == "strict")
    #expect(totals["accuracy_strict"] as? Double == 0.25)
    #expect(totals["accuracy_flexible"] as? Double == 0.5)
    #expect(totals["extraction_failed_strict"] as? Double == 0.5)
    #expect(totals["extraction_failed_flexible"] as? Double == 0.25)
    #expect((totals["stderr_strict"] as? Double ?? 0) > 0)
    #expect(ScoreTotals.json(["sample": 1, "path": "a/b"]) == #"{"path":"a/b","sample":1}"#)
  }

  @Test func anItemLineHasEachPipelinesAnswerAndVerdict() throws {
    let task = try SuiteFixtures.mathTask(count: 2)
    let score = task.scorer.score(response: "I think 1", sample: task.samples[1])
    let line = ScoreTotals.json(ScoreTotals.item(sample: 1, score: score, scorer: task.scorer))
    #expect(line == #"{"answer_flexible":"1","answer_strict":null,"correct_flexible":true,"correct_strict":false,"sample":1}"#)
  }

  @Test func instructionFollowingTotalsAverageTheFourAccuracies() {
    let scores = [
      SampleScore(
        answers: [:], correct: [:], primary: "prompt_strict", explanation: "",
        values: ["prompt_strict": 1, "inst_strict": 1, "prompt_loose": 1, "inst_loose": 1],
        weights: ["inst_strict": 2, "inst_loose": 2]),
      SampleScore(
        answers: [:], correct: [:], primary: "prompt_strict", explanation: "",
        values: ["prompt_strict": 0, "inst_strict": 0.5, "prompt_loose": 1, "inst_loose": 1],
        weights: ["inst_strict": 2, "inst_loose": 2]),
    ]
    let totals = ScoreTotals.instructionFollowing(suite: "ifeval", variant: "main", primary: "prompt_strict", scores: scores)
    #expect(totals["prompt_level_strict_acc"] as? Double == 0.5)
    #expect(totals["inst_level_strict_acc"] as? Double == 0.75)
    #expect(totals["prompt_level_loose_acc"] as? Double == 1)
    #expect(totals["inst_level_loose_acc"] as? Double == 1)
    #expect(totals["average"] as? Double == 0.8125)
    #expect(totals["n"] as? Int == 2)
  }
}
