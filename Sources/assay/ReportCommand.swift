import ArgumentParser
import AssayCore
import AssayReport
import AssayStore
import Foundation

/// Output formats of reports.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case markdown, json
}

/// `assay report`: the report of a stored run.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Print a stored run's report (Markdown or JSON).",
    discussion: """
      Examples:
        assay report                    # the latest run
        assay report 20261128-134501    # a run by id (a unique prefix is enough)
        assay report latest --format json
        assay report --list             # all runs in the database
        assay report --samples | jq -c 'select(.correct.strict == false) | {task, sample, response}'

      """)

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "Run id, or `latest`.")
  var runReference: String = "latest"

  @Option(help: "markdown or json.")
  var format: ReportFormat = .markdown

  @Flag(help: "List the runs in the database instead.")
  var list = false

  @Flag(help: "Print one JSON line per sample (prompt, response, answers, verdicts, errors) instead.")
  var samples = false

  func run() throws {
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    if list {
      print("| run | model | status | started | finished |\n|---|---|---|---|---|")
      for run in try store.runs() {
        print("| \(run.id) | \(run.model) | \(run.status) | \(run.startedAt) | \(run.finishedAt ?? "—") |")
      }
      return
    }
    if samples {
      let run = try store.run(runReference)
      for sample in try store.samples(runID: run.id) {
        let object: [String: Any] = [
          "task": sample.taskID, "sample": sample.index, "status": sample.status, "target": sample.target,
          "answers": sample.answers, "correct": sample.correct, "finish_reason": sample.finishReason ?? NSNull(),
          "response": sample.response ?? NSNull(), "error": sample.error ?? NSNull(), "prompt": sample.prompt,
          "attempts": sample.attempts, "latency_ms": sample.latencyMs ?? NSNull(),
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
      }
      return
    }
    print(try ReportBuilder.render(store: store, run: runReference, format: format), terminator: "")
  }
}

/// Builds a `RunReport` from the store and renders it.
enum ReportBuilder {
  static func report(store: SQLiteStore, run reference: String) throws(AssayError) -> RunReport {
    let run = try store.run(reference)
    let tasks = try store.tasks(runID: run.id).map { task in
      ReportTask(
        taskID: task.taskID, suiteID: task.suiteID, variantID: task.variantID, language: task.language,
        primary: task.primary, pipelines: task.pipelines, planned: task.planned)
    }
    let samples = try store.samples(runID: run.id).map { sample in
      ReportSample(
        taskID: sample.taskID, scored: sample.status == "scored", correct: sample.correct,
        extracted: Set(sample.answers.keys), truncated: sample.finishReason == "length")
    }
    return RunReport(runID: run.id, model: run.model, status: run.status, tasks: tasks, samples: samples)
  }

  static func render(store: SQLiteStore, run: String, format: ReportFormat) throws(AssayError) -> String {
    let report = try report(store: store, run: run)
    switch format {
    case .markdown: return MarkdownRenderer.render(report)
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      return String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self) + "\n"
    }
  }
}
