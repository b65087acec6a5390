import ArgumentParser
import AssayCore
import AssaySuites
import Foundation

/// `assay suites`: list suites and their variants.
struct SuitesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "suites",
    abstract: "List suites and variants (id, language, task type, license, samples).",
    discussion: """
      Examples:
        assay suites
        assay suites --json | jq '.[] | select(.language == "de")'
        assay suites --suites-dir my-suites    # include your own YAML suites
      """)

  @OptionGroup var suiteOptions: SuiteOptions

  @Flag(help: "Print a JSON array.")
  var json = false

  func run() throws {
    let catalog = try suiteOptions.catalog()
    let loader = TaskLoader(dataRoot: suiteOptions.dataRoot)
    var pairs: [(SuiteDefinition, VariantSpec)] = []
    for id in catalog.suites.keys.sorted() {
      for variant in catalog.suites[id]!.variants { pairs.append((catalog.suites[id]!, variant)) }
    }
    let loaded: [(count: Int?, data: String)] = parallelMap(pairs) { pair in
      do throws(AssayError) {
        return (try loader.load(suite: pair.0, variant: pair.1).samples.count, "ok")
      } catch {
        // "absent": data that is the user's own copy (Assay ships none), not there; "missing": shipped data not there.
        return (nil, error.code == .missingData ? (pair.0.dataIsUsersCopy ? "absent" : "missing") : "invalid")
      }
    }
    var entries: [[String: Any]] = []
    for ((suite, variant), (count, data)) in zip(pairs, loaded) {
      var entry: [String: Any] = [
        "id": "\(suite.id)/\(variant.id)", "suite": suite.id, "variant": variant.id, "family": suite.family,
        "language": variant.language, "task_type": suite.taskType.rawValue, "license": suite.license,
        "n_samples": count.map { $0 as Any } ?? NSNull(), "data": data,
        "runnable": suite.isRunnable(variant) && data == "ok",
        "content_hash": try EvalTask.contentHash(suite: suite, variant: variant),
      ]
      if let name = variant.params["name"] { entry["name"] = name }
      if let reproduces = suite.reproduces { entry["reproduces"] = reproduces }
      if let warning = suite.warning { entry["warning"] = warning }
      entries.append(entry)
    }
    if json {
      let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
      Output.json(String(decoding: data, as: UTF8.self))
      return
    }
    print("| id | language | task | license | samples |\n|---|---|---|---|---:|")
    for entry in entries {
      let count = (entry["n_samples"] as? Int).map(String.init) ?? "data \(entry["data"]!)"
      Output.text("| \(entry["id"]!) | \(entry["language"]!) | \(entry["task_type"]!) | \(entry["license"]!) | \(count) |")
    }
    let languages = Set(entries.map { $0["language"] as! String })
    let runnable = entries.filter { $0["runnable"] as? Bool == true }.count
    print("\n\(catalog.suites.count) suites, \(entries.count) variants (\(runnable) runnable), \(languages.count) languages. Data root: \(suiteOptions.dataRoot.path)")
    // Content warnings (the safety suites' prompts are harmful by design), once per suite.
    let warned = catalog.suites.values.filter { $0.warning != nil && $0.taskType == .safety }.map(\.id).sorted()
    if !warned.isEmpty {
      print("Content warning: the safety suites (\(warned.joined(separator: ", "))) hold harmful prompts by design; reports show none of their text unless --show-text.")
    }
  }
}
