/// Scores responses by doing something outside the process, such as running generated code in a sandbox; used for
/// the task types the pure `Scorer` cannot score (`code`). Never throws: every outcome is a stored score.
public protocol ResponseGrader: Sendable {
  /// The score of one item's stored response (for sampled `code` items, a `CodeCompletions` object).
  func grade(task: EvalTask, sample: Sample, response: String) async -> SampleScore
}
