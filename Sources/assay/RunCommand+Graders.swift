import AssayCore
import AssayReport
import AssaySandbox
import AssaySuites
import Foundation

extension RunCommand {
  /// The sandbox grader for the run's code tasks (nil when there are none), with every toolchain they need ready.
  func makeGrader(_ tasks: [EvalTask]) throws -> CodeGrader? {
    guard tasks.contains(where: { $0.suite.taskType == .code }) else { return nil }
    var languages: [CodeLanguage] = []
    for task in tasks where task.suite.taskType == .code {
      guard let execution = task.scorer.execution, let language = CodeLanguage(name: execution.language) else {
        throw AssayError(.invalidSuite, "\(task.id): unknown language '\(task.scorer.execution?.language ?? "")'",
          fix: "use one of: \(CodeLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      languages.append(language)
    }
    let checker = try CodeChecker(
      workers: execWorkers ?? ProcessInfo.processInfo.activeProcessorCount, allowUnisolated: allowUnisolatedCode)
    for warning in checker.sandbox.isolation.warnings {
      FileHandle.standardError.write(Data("warning: sandbox: \(warning)\n".utf8))
    }
    do {
      try checker.prepare(languages)
    } catch {
      checker.shutdown()
      throw error
    }
    return CodeGrader(checker: checker)
  }

  /// How each entry of a preset fared: the variants loaded into `tasks`, and those skipped with their reasons.
  static func outcomes(
    of preset: Preset, tasks: [EvalTask], skipped: [PresetSelection<EvalTask>.Skipped]
  ) -> [PresetEntryOutcome] {
    preset.suites.map { entry in
      PresetEntryOutcome(
        suite: entry.suite, reproduces: entry.reproduces,
        variantsRun: tasks.filter { $0.suite.id == entry.suite && (entry.variants?.contains($0.variant.id) ?? true) }
          .map(\.variant.id),
        skipped: skipped.filter { $0.entry == entry }.map {
          .init(variant: $0.variant, reason: $0.error.message, fix: $0.error.fix)
        })
    }
  }
}
