import ArgumentParser
import AssayCore
import AssaySuites
import Foundation

/// Where suites and data come from; shared by every subcommand that reads suites.
struct SuiteOptions: ParsableArguments {
  @Option(name: .customLong("suites-dir"), help: ArgumentHelp(
    "A folder of extra suite YAML files (repeatable); added to the built-in benchmarks/.", valueName: "dir"))
  var suitesDirs: [String] = []

  @Option(name: .customLong("data-dir"), help: ArgumentHelp(
    "Dataset root (default: $ASSAY_DATA, else ~/.local/share/assay/datasets).", valueName: "dir"))
  var dataDir: String?

  /// The built-in suite folder: $ASSAY_SUITES_DIR, else `benchmarks/` in the working directory or beside an
  /// ancestor of the binary.
  static func builtInSuitesDirectory() -> String? {
    CheckoutPath.find("benchmarks", environment: "ASSAY_SUITES_DIR") { path in
      FileManager.default.fileExists(atPath: path + "/README.md") || FileManager.default.fileExists(atPath: path + "/mgsm")
    }
  }

  func catalog(strict: Bool = true) throws(AssayError) -> SuiteCatalog {
    var directories: [String] = []
    if let builtIn = Self.builtInSuitesDirectory() { directories.append(builtIn) }
    for dir in suitesDirs {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw AssayError(.invalidArgument, "--suites-dir \(dir) is not a folder", fix: "pass a folder that holds suite .yaml files")
      }
      directories.append(dir)
    }
    return try SuiteCatalog.load(directories: directories, strict: strict)
  }

  var dataRoot: DataRoot { DataRoot.resolve(flag: dataDir) }

  /// The presets in `benchmarks/presets/`.
  func presets() throws(AssayError) -> [String: Preset] {
    guard let builtIn = Self.builtInSuitesDirectory() else { return [:] }
    return try Preset.loadAll(directory: builtIn + "/presets")
  }

  /// The preset named by `--preset`, or an error listing the known ones.
  func preset(named id: String) throws(AssayError) -> Preset {
    let all = try presets()
    if let preset = all[id] { return preset }
    let close = Suggest.closest(to: id, among: Array(all.keys))
    throw AssayError(
      .invalidArgument, "unknown preset '\(id)' (from --preset)." + (close.isEmpty ? "" : " Did you mean '\(close[0])'?"),
      fix: "use one of: \(all.keys.sorted().joined(separator: ", ")) (`assay presets` describes them)")
  }

  /// Loads the suites of a preset (each entry with its own variants), skipping ids already in `existing` and
  /// variants whose data is absent (returned with the reason, for the message and the report).
  func loadTasks(
    preset: Preset, existing: [EvalTask] = [], catalog given: SuiteCatalog? = nil
  ) throws(AssayError) -> PresetSelection<EvalTask> {
    let catalog: SuiteCatalog
    if let given { catalog = given } else { catalog = try self.catalog() }
    let loader = TaskLoader(dataRoot: dataRoot)
    return try catalog.selectAvailable(preset: preset, existing: Set(existing.map(\.id))) { suite, variant throws(AssayError) in
      try loader.load(suite: suite, variant: variant)
    }
  }

  /// Resolves `--suite` values (comma-separated or repeated) and `--variant` into loaded tasks.
  func loadTasks(suites: [String], variants: [String], catalog given: SuiteCatalog? = nil) throws(AssayError) -> [EvalTask] {
    let catalog: SuiteCatalog
    if let given { catalog = given } else { catalog = try self.catalog() }
    let loader = TaskLoader(dataRoot: dataRoot)
    return try catalog.select(suites: suites, variants: variants) { suite, variant throws(AssayError) in
      try loader.load(suite: suite, variant: variant)
    }
  }
}

/// The results database option.
struct StoreOptions: ParsableArguments {
  @Option(name: .customLong("db"), help: ArgumentHelp("The results database.", valueName: "path"))
  var db: String = "results/assay.sqlite"
}

/// Finds a folder of the Assay checkout (`benchmarks`, `results/reference`): from an environment variable, the
/// working directory, or beside an ancestor of the running binary (`.build/debug/assay` inside the checkout).
enum CheckoutPath {
  static func find(_ relative: String, environment variable: String, isValid: (String) -> Bool) -> String? {
    if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return value }
    var candidates = [FileManager.default.currentDirectoryPath + "/" + relative]
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      candidates.append(url.appendingPathComponent(relative).path)
      url = url.deletingLastPathComponent()
    }
    return candidates.first(where: isValid)
  }
}
