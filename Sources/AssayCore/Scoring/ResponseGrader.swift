/// Grades responses the pure `Scorer` cannot: by running generated code in a sandbox (`code`), by IFEval's checkers
/// (`instruction_following`), or by asking an LLM judge (`judge`). Never throws: every outcome is a `Grade`, a score
/// or an unscored item with its reason.
public protocol ResponseGrader: Sendable {
  /// The grade of one item's answer (for sampled `code` items, its completions; for multi-turn items, its turns).
  func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade
}
