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

/// What a preset run can load: the loaded variants, and those left out because their data is absent, each with the
/// error that says where it was looked for and how to get it.
public struct PresetSelection<Loaded> {
  /// One preset variant whose data is missing.
  public struct Skipped: Sendable {
    /// The preset entry it belongs to.
    public var entry: Preset.Entry
    /// The variant id.
    public var variant: String
    /// The missing-data error (`AssayError.Code.missingData`).
    public var error: AssayError
  }

  /// The variants loaded, in preset order.
  public var loaded: [Loaded]
  /// The variants whose data is absent.
  public var skipped: [Skipped]
}

extension SuiteCatalog {
  /// The suite variants of a preset, as `select(preset:existing:load:)` gives them, except that a variant whose data
  /// is absent (`missingData`: GPQA when the user has no copy) is skipped and returned with its error instead of
  /// stopping the selection. Every other error (damaged or changed data, a bad suite) still throws.
  public func selectAvailable<Loaded>(
    preset: Preset, existing: Set<String> = [], load: (SuiteDefinition, VariantSpec) throws(AssayError) -> Loaded
  ) throws(AssayError) -> PresetSelection<Loaded> {
    try preset.validate(against: self)
    var selection = PresetSelection<Loaded>(loaded: [], skipped: [])
    var seen = existing
    for entry in preset.suites {
      let suite = try self.suite(named: entry.suite)
      for variant in try self.variants(of: suite, selected: entry.variants) where !seen.contains("\(suite.id)/\(variant.id)") {
        seen.insert("\(suite.id)/\(variant.id)")
        do {
          selection.loaded.append(try load(suite, variant))
        } catch where error.code == .missingData {
          selection.skipped.append(.init(entry: entry, variant: variant.id, error: error))
        }
      }
    }
    return selection
  }
}
