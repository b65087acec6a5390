import ArgumentParser
import AssayCore
import AssayStore
import Foundation

/// `assay export`: a run's per-item scores as JSONL, the input of `assay compare`.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a run's per-item scores as JSONL ({\"suite\", \"sample\", \"score\"}).",
    discussion: """
      Examples:
        assay export latest --per-item > candidate.jsonl
        assay export 20261128-134501 --per-item --out results/exports/baseline.jsonl
      Only scored samples are exported; `suite` is the task id (suite/variant).
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Argument(help: "Run id, or `latest`.")
  var runReference: String = "latest"

  @Flag(name: .customLong("per-item"), help: "One line per scored sample (the only format so far).")
  var perItem = false

  @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
  var out: String?

  func validate() throws {
    if !perItem { throw ValidationError("pass --per-item (the only export format so far)") }
  }

  func run() throws {
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    let run = try store.run(runReference)
    var lines: [String] = []
    let lowerIsBetter = try store.lowerIsBetterTasks(runID: run.id)
    for (key, score) in try store.scores(runID: run.id).sorted(by: { ($0.key.taskID, $0.key.index) < ($1.key.taskID, $1.key.index) }) {
      var object: [String: Any] = ["suite": key.taskID, "sample": key.index, "score": score]
      if lowerIsBetter.contains(key.taskID) { object["lower_is_better"] = true }
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      lines.append(String(decoding: data, as: UTF8.self))
    }
    let text = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    if let out {
      let directory = (out as NSString).deletingLastPathComponent
      if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
      try text.write(toFile: out, atomically: true, encoding: .utf8)
      FileHandle.standardError.write(Data("wrote \(lines.count) items of run \(run.id) to \(out)\n".utf8))
    } else {
      Output.json(text, terminator: "")
    }
  }
}
