import AssayCore
import AssaySuites

/// Loads IFEval's checkers for `assay run` and `assay score`: the resources they read, and every item's
/// instructions parsed up front, so a bad row stops the command before any request is sent.
enum InstructionFollowingSetup {
  static func grader(tasks: [EvalTask], dataRoot: DataRoot) throws(AssayError) -> InstructionFollowingGrader {
    for task in tasks where task.suite.taskType == .instructionFollowing {
      for sample in task.samples {
        do {
          _ = try InstructionFollowingGrader.instructions(of: sample)
        } catch {
          throw AssayError(error.code, "\(task.id), \(error.message)", fix: error.fix)
        }
      }
    }
    var resources = TextResources.resolve(dataRoot: dataRoot)
    for task in tasks where task.suite.taskType == .instructionFollowing {
      resources.checksums.merge(task.suite.sha256) { first, _ in first }
    }
    let tools = try resources.ifevalTools()
    return InstructionFollowingGrader(checker: IFEvalChecker(tools: tools))
  }
}
