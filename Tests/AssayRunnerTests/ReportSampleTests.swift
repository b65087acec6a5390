import AssayReport
import Testing

/// A stored sample becomes a report sample: extracted pipelines, truncation, and the error only of a failed one.
@Suite struct StoredReportSampleTests {
  @Test func storedFactsMapToReportFacts() {
    let scored = ReportSample(
      taskID: "t/v", scored: true, correct: ["strict": true, "flexible": true], answers: ["flexible": "3"],
      finishReason: "length", values: ["f1": 0.5], weights: [:], error: "an earlier attempt failed")
    #expect(scored == ReportSample(
      taskID: "t/v", scored: true, correct: ["strict": true, "flexible": true], extracted: ["flexible"], truncated: true,
      values: ["f1": 0.5]))
    let failed = ReportSample(
      taskID: "t/v", scored: false, correct: [:], answers: [:], finishReason: nil, values: [:], weights: [:],
      error: "HTTP 500")
    #expect(failed.failure == "HTTP 500" && !failed.truncated && failed.extracted.isEmpty)
  }
}
