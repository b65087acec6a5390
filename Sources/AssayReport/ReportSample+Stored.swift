import AssayCore

extension ReportSample {
  /// A sample from what a store keeps of it: its answers by pipeline (a pipeline without one extracted nothing), the
  /// server's finish reason (`length`: the answer was cut off), its graded values and their weights, and the error of
  /// a request that failed (kept only when the sample is not scored).
  public init(
    taskID: String, scored: Bool, correct: [String: Bool], answers: [String: String], finishReason: String?,
    values: [String: Double], weights: [String: Double], error: String?, index: Int? = nil
  ) {
    self.init(
      taskID: taskID, scored: scored, correct: correct, extracted: Set(answers.keys), truncated: finishReason == "length",
      values: values, weights: weights, failure: scored ? nil : error, index: index,
      labels: answers.filter { $0.key == SafetyMetric.hazardKey || $0.key == SafetyMetric.violation })
  }
}
