/// The graders of one run, by task type: `code` items go to the sandbox grader, `instruction_following` items to
/// IFEval's checkers, `judge` items to the LLM judge; other types never reach a grader (the suite's scorer scores them).
public struct TaskGraders: ResponseGrader {
  /// Grader per task type.
  public let graders: [TaskType: any ResponseGrader]

  /// Graders by task type.
  public init(_ graders: [TaskType: any ResponseGrader]) { self.graders = graders }

  public func grade(task: EvalTask, sample: Sample, response: ResponsePayload) async -> Grade {
    guard let grader = graders[task.suite.taskType] else {
      return .scored(SampleScore(
        answers: [:], correct: [task.scorer.primary: false], primary: task.scorer.primary,
        explanation: "no grader for \(task.suite.taskType.rawValue) tasks in this run"))
    }
    return await grader.grade(task: task, sample: sample, response: response)
  }
}
