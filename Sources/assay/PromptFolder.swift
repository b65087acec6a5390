import AssayCore
import Foundation

/// Folds the few-shot exemplars out of stored prompts for `assay pairs create`: each run task's suite is loaded
/// once to render a sample's bare question; a task whose suite or data cannot be loaded is left unfolded, with one
/// warning.
final class PromptFolder {
  private let suiteOptions: SuiteOptions
  private var tasks: [String: EvalTask?] = [:]

  /// A folder loading suites as `--suites-dir` and `--data-dir` say.
  init(suiteOptions: SuiteOptions) {
    self.suiteOptions = suiteOptions
  }

  /// The exemplars and the question of a stored prompt (already reduced to its text), or the prompt whole.
  func fold(_ prompt: String, taskID: String, index: Int) -> (context: String?, question: String) {
    if tasks[taskID] == nil {
      do {
        tasks[taskID] = try suiteOptions.loadTasks(suites: [taskID], variants: []).first
      } catch {
        tasks[taskID] = .some(nil)
        FileHandle.standardError.write(Data(
          "warning: the prompts of \(taskID) are shown whole (few-shot exemplars not folded): \(error.message)\n".utf8))
      }
    }
    guard let task = tasks[taskID] ?? nil, let sample = task.samples.first(where: { $0.index == index }),
      let question = try? task.question(for: sample)
    else { return (nil, prompt) }
    return PairItem.fold(prompt, question: question)
  }
}
