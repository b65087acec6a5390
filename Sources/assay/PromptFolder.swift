import AssayCore
import AssaySuites
import Foundation

/// Folds the few-shot exemplars out of stored prompts for `assay pairs create`: the suite catalog is read once, each
/// run task's suite and data once, to render a sample's bare question; a task whose suite or data cannot be loaded
/// is left unfolded, with one warning.
final class PromptFolder {
  private let suiteOptions: SuiteOptions
  private var catalog: SuiteCatalog??
  /// Per task id: its samples by dataset row, or nil when it could not be loaded.
  private var tasks: [String: (task: EvalTask, samples: [Int: Sample])?] = [:]

  /// A folder loading suites as `--suites-dir` and `--data-dir` say.
  init(suiteOptions: SuiteOptions) {
    self.suiteOptions = suiteOptions
  }

  /// The exemplars and the question of a stored prompt (already reduced to its text), or the prompt whole.
  func fold(_ prompt: String, taskID: String, index: Int) -> (context: String?, question: String) {
    if tasks[taskID] == nil { tasks[taskID] = .some(load(taskID)) }
    guard let loaded = tasks[taskID] ?? nil, let sample = loaded.samples[index],
      let question = try? loaded.task.question(for: sample)
    else { return (nil, prompt) }
    return PairItem.fold(prompt, question: question)
  }

  private func load(_ taskID: String) -> (task: EvalTask, samples: [Int: Sample])? {
    do {
      if catalog == nil { catalog = .some(try suiteOptions.catalog(strict: false)) }
      guard let catalog = catalog ?? nil,
        let task = try suiteOptions.loadTasks(suites: [taskID], variants: [], catalog: catalog).first
      else { return nil }
      return (task, Dictionary(task.samples.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first }))
    } catch {
      if catalog == nil { catalog = .some(nil) }
      FileHandle.standardError.write(Data(
        "warning: the prompts of \(taskID) are shown whole (few-shot exemplars not folded): \(error.message)\n".utf8))
      return nil
    }
  }
}
