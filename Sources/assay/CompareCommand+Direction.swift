import AssayCore
import AssayRuntime
import AssayStore
import AssaySuites
import Foundation

extension CompareCommand {
  /// The tasks of a run or per-item file whose score is better lower (safety violation and false-refusal rates):
  /// from a run's tasks, or the `"lower_is_better": true` that `assay export --per-item` writes on their lines.
  func lowerIsBetterTasks(_ reference: String) throws(AssayError) -> Set<String> {
    if FileManager.default.fileExists(atPath: reference) { return try Self.lowerIsBetterTasks(inFile: reference) }
    let store = try SQLiteStore.openExisting(path: storeOptions.db)
    return try store.lowerIsBetterTasks(runID: try store.run(reference).id)
  }

  /// The suites of a per-item file marked `"lower_is_better": true`; a suite marked on some lines and not on
  /// others is refused, naming the line.
  static func lowerIsBetterTasks(inFile path: String) throws(AssayError) -> Set<String> {
    var marked: [String: Bool] = [:]
    for (line, text) in try JSONLines.lines(path) {
      guard let object = try? JSONValue.parse(Array(text.utf8)), let suite = object["suite"]?.string else { continue }
      var lower = false
      if case .bool(let value)? = object["lower_is_better"] { lower = value }
      if let earlier = marked[suite], earlier != lower {
        throw AssayError(
          .invalidData, "\(path), line \(line): suite \(suite) is marked lower_is_better on some lines and not on others",
          fix: "mark every line of a suite alike (`assay export RUN --per-item` does)")
      }
      marked[suite] = lower
    }
    return Set(marked.filter(\.value).keys)
  }
}
