import AssayCore
import Foundation
import Yams

/// All suites found in the suite directories, by id.
public struct SuiteCatalog: Sendable {
  /// Suites by id.
  public let suites: [String: SuiteDefinition]
  /// The file each suite came from.
  public let files: [String: String]
  /// Suite files that could not be read, with the error; the other suites stay usable.
  public let failures: [(path: String, error: AssayError)]

  /// Every `*.yaml` / `*.yml` file below the directories (a later directory may not redefine an id). Strict (the
  /// default for commands that run suites): a file that cannot be read is an error, naming it and the line. Lenient
  /// (`validate`): such files are collected in `failures` and the other suites load.
  public static func load(directories: [String], strict: Bool = true) throws(AssayError) -> SuiteCatalog {
    var suites: [String: SuiteDefinition] = [:]
    var files: [String: String] = [:]
    var failures: [(path: String, error: AssayError)] = []
    for directory in directories {
      for file in yamlFiles(below: directory) {
        let suite: SuiteDefinition
        do {
          suite = try SuiteFile.load(path: file)
        } catch {
          failures.append((file, error))
          continue
        }
        if let other = files[suite.id] {
          throw AssayError(
            .invalidSuite, "suite id '\(suite.id)' is defined twice: in \(other) and in \(file)",
            fix: "give one of them another id")
        }
        suites[suite.id] = suite
        files[suite.id] = file
      }
    }
    if strict, let first = failures.first {
      let others = failures.count > 1 ? " (and \(failures.count - 1) more broken suite file(s); `assay validate` lists them)" : ""
      throw AssayError(first.error.code, first.error.message + others, fix: first.error.fix)
    }
    return SuiteCatalog(suites: suites, files: files, failures: failures)
  }

  /// The suite with this id, or an error with the closest names.
  public func suite(named id: String) throws(AssayError) -> SuiteDefinition {
    if let suite = suites[id] { return suite }
    // A broken file that holds this suite (named after it, or in a folder named after it) is the real cause: its
    // error comes first, not a guess at another suite's name.
    if let broken = failures.first(where: { Self.mayDefine(id, path: $0.path) }) {
      throw AssayError(
        broken.error.code, "suite '\(id)' (from --suite) could not be loaded: \(broken.error.message)",
        fix: broken.error.fix)
    }
    let close = Suggest.closest(to: id, among: Array(suites.keys))
    let hint = close.isEmpty ? "" : " Did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?"
    let broken = failures.isEmpty ? "" : " \(failures.count) suite file(s) could not be read: "
      + failures.map { "\($0.error.message)" }.joined(separator: "; ")
    throw AssayError(
      .unknownSuite, "unknown suite '\(id)' (from --suite).\(hint)\(broken)",
      fix: failures.isEmpty
        ? "run `assay suites` to list the \(suites.count) known suites, or add a directory with --suites-dir"
        : "correct the broken suite file(s) (`assay validate` lists them), or pick one of the \(suites.count) known suites")
  }

  /// Only the suites (and broken files) below these folders: what `assay validate --suites-dir DIR` checks.
  ///
  ///     let mine = try SuiteCatalog.load(directories: [builtIn, "my-suites"], strict: false).limited(to: ["my-suites"])
  public func limited(to directories: [String]) -> SuiteCatalog {
    let roots = directories.map { URL(fileURLWithPath: $0).standardizedFileURL.path + "/" }
    func inside(_ path: String) -> Bool {
      let full = URL(fileURLWithPath: path).standardizedFileURL.path
      return roots.contains { full.hasPrefix($0) }
    }
    let kept = files.filter { inside($0.value) }
    return SuiteCatalog(
      suites: suites.filter { kept[$0.key] != nil }, files: kept, failures: failures.filter { inside($0.path) })
  }

  /// Whether the file at `path` is where suite `id` would be defined: `id.yaml`, or any file in a folder `id/`.
  static func mayDefine(_ id: String, path: String) -> Bool {
    let url = URL(fileURLWithPath: path)
    let stem = url.deletingPathExtension().lastPathComponent
    return stem == id || url.deletingLastPathComponent().lastPathComponent == id
  }

  /// The variants of a suite selected by `--variant` (all when nil), or an error naming the valid ones.
  public func variants(of suite: SuiteDefinition, selected: [String]?) throws(AssayError) -> [VariantSpec] {
    guard let selected, !selected.isEmpty else { return suite.variants }
    var result: [VariantSpec] = []
    for id in selected {
      guard let variant = suite.variants.first(where: { $0.id == id }) else {
        let ids = suite.variants.map(\.id)
        let close = Suggest.closest(to: id, among: ids)
        let hint = close.isEmpty ? "" : " Did you mean '\(close[0])'?"
        throw AssayError(
          .unknownSuite, "suite '\(suite.id)' has no variant '\(id)' (from --variant).\(hint)",
          fix: "use one of: \(ids.joined(separator: ", "))")
      }
      result.append(variant)
    }
    return result
  }

  /// Suite files below a folder, following symbolic links (a family folder may be a link), skipping `presets/`.
  private static func yamlFiles(below directory: String) -> [String] {
    let manager = FileManager.default
    var found: [String] = []
    func walk(_ path: String, depth: Int) {
      guard depth < 8, let names = try? manager.contentsOfDirectory(atPath: path) else { return }
      for name in names where !name.hasPrefix(".") {
        let full = (path as NSString).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }
        if isDirectory.boolValue {
          if depth == 0 && name == "presets" { continue }
          walk(full, depth: depth + 1)
        } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
          found.append(full)
        }
      }
    }
    walk(directory, depth: 0)
    return found.sorted()
  }
}
