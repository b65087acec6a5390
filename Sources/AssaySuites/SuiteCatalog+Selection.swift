import AssayCore
import Foundation

extension SuiteCatalog {
  /// Resolves `--suite` values (comma-separated or repeated; `suite/variant` picks one variant, as in
  /// `mmlu/anatomy,xcopa/sw`) and `--variant` (of the one suite) into suite variants, in order and each once, calling
  /// `load` on each as it is resolved (so the first problem met is the one reported).
  ///
  /// ```swift
  /// let tasks = try catalog.select(suites: ["mgsm"], variants: ["de,fr"]) { suite, variant throws(AssayError) in
  ///   try loader.load(suite: suite, variant: variant)
  /// }
  /// ```
  public func select<Loaded>(
    suites: [String], variants: [String], load: (SuiteDefinition, VariantSpec) throws(AssayError) -> Loaded
  ) throws(AssayError) -> [Loaded] {
    let suiteIDs = suites.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    let variantIDs = variants.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    guard !suiteIDs.isEmpty else {
      throw AssayError(.invalidArgument, "no suite given", fix: "pass --suite ID (see `assay suites`)")
    }
    if !variantIDs.isEmpty && suiteIDs.count > 1 {
      throw AssayError(
        .invalidArgument, "--variant applies to one suite, but \(suiteIDs.count) suites were given",
        fix: "run one suite with --variant, or drop --variant to run every variant")
    }
    var loaded: [Loaded] = []
    var seen: Set<String> = []
    for id in suiteIDs {
      let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
      let suite = try self.suite(named: parts[0])
      let selected = parts.count == 2 ? [parts[1]] : (variantIDs.isEmpty ? nil : variantIDs)
      for variant in try self.variants(of: suite, selected: selected) where !seen.contains("\(suite.id)/\(variant.id)") {
        seen.insert("\(suite.id)/\(variant.id)")
        loaded.append(try load(suite, variant))
      }
    }
    return loaded
  }

  /// The suite variants of a preset (each entry with its own variants), in order, skipping the ids (`suite/variant`)
  /// in `existing`, calling `load` on each; the preset is checked against the catalog first.
  public func select<Loaded>(
    preset: Preset, existing: Set<String> = [], load: (SuiteDefinition, VariantSpec) throws(AssayError) -> Loaded
  ) throws(AssayError) -> [Loaded] {
    try preset.validate(against: self)
    var loaded: [Loaded] = []
    var seen = existing
    for entry in preset.suites {
      let suite = try self.suite(named: entry.suite)
      for variant in try self.variants(of: suite, selected: entry.variants) where !seen.contains("\(suite.id)/\(variant.id)") {
        seen.insert("\(suite.id)/\(variant.id)")
        loaded.append(try load(suite, variant))
      }
    }
    return loaded
  }
}
