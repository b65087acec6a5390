import AssayCore
import Foundation
import Yams

/// All suites found in the suite directories, by id.
public struct SuiteCatalog: Sendable {
  /// Suites by id.
  public let suites: [String: SuiteDefinition]
  /// The file each suite came from.
  public let files: [String: String]

  /// Every `*.yaml` / `*.yml` file below the directories (a later directory may not redefine an id).
  public static func load(directories: [String]) throws(AssayError) -> SuiteCatalog {
    var suites: [String: SuiteDefinition] = [:]
    var files: [String: String] = [:]
    for directory in directories {
      for file in yamlFiles(below: directory) {
        let suite = try SuiteFile.load(path: file)
        if let other = files[suite.id] {
          throw AssayError(
            .invalidSuite, "suite id '\(suite.id)' is defined twice: in \(other) and in \(file)",
            fix: "give one of them another id")
        }
        suites[suite.id] = suite
        files[suite.id] = file
      }
    }
    return SuiteCatalog(suites: suites, files: files)
  }

  /// The suite with this id, or an error with the closest names.
  public func suite(named id: String) throws(AssayError) -> SuiteDefinition {
    if let suite = suites[id] { return suite }
    let close = Suggest.closest(to: id, among: Array(suites.keys))
    let hint = close.isEmpty ? "" : " Did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?"
    throw AssayError(
      .unknownSuite, "unknown suite '\(id)' (from --suite).\(hint)",
      fix: "run `assay suites` to list the \(suites.count) known suites, or add a directory with --suites-dir")
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

  private static func yamlFiles(below directory: String) -> [String] {
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: directory) else { return [] }
    var found: [String] = []
    while let relative = enumerator.nextObject() as? String {
      // `presets/` holds preset files, not suites.
      if relative == "presets" || relative.hasPrefix("presets/") { continue }
      if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
        found.append((directory as NSString).appendingPathComponent(relative))
      }
    }
    return found.sorted()
  }
}
