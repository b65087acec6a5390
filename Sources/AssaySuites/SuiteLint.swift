import AssayCore
import Foundation

/// Warnings about a suite that loads but is probably not what its author meant: a language that is not a BCP-47
/// tag, an id that is not kebab-case, keys its task type ignores. `assay validate` prints them; they never stop a run.
///
///     for warning in SuiteLint.warnings(for: try SuiteFile.load(path: "my-suites/nli.yaml")) { print(warning) }
public enum SuiteLint {
  /// Every warning for the suite, each naming the key and the fix.
  public static func warnings(for suite: SuiteDefinition) -> [String] {
    var found: [String] = []
    if suite.id.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) == nil {
      found.append("id '\(suite.id)' is not kebab-case (lowercase letters and digits joined by '-'); "
        + "`--suite` and report rows are easier to type and sort with e.g. '\(kebab(suite.id))'")
    }
    for variant in suite.variants where !isLanguageTag(variant.language) {
      found.append("variant '\(variant.id)': language '\(variant.language)' is not a BCP-47 tag; "
        + "use a tag such as en, ja, pt-BR or zh-Hant (reports group languages by this tag)")
    }
    for key in ignoredKeys(suite) {
      found.append("\(key) is ignored by a \(suite.taskType.rawValue) suite; remove it (or change task_type)")
    }
    if let shuffle = suite.dataset.shuffle, shuffle.seed.allSatisfy({ Template.fieldNames(in: $0).isEmpty }) {
      found.append("dataset.shuffle.seed names no row field (\(shuffle.seed)), so every item gets the same order; "
        + "seed it by a field each row has, e.g. \"{{id}}\"")
    }
    if suite.localChecksums != nil && suite.archive == nil {
      found.append("local_checksums without archive: `assay data fetch` cannot extract and pin these files, so users "
        + "must pin their copies by hand; name the archive they come in under `archive:`")
    }
    if let archive = suite.archive {
      let read = Set(suite.variants.flatMap { variant in
        ((try? TaskLoader.dataFiles(suite: suite, variant: variant)) ?? []).map(\.path)
      })
      for destination in archive.files.values.sorted() where !read.contains(destination) {
        found.append("archive.files extracts '\(destination)', which no variant reads")
      }
      for path in read.sorted() where !archive.files.values.contains(path) && suite.sha256[path] == nil {
        found.append("'\(path)' is neither extracted from the archive nor listed under sha256; `assay data fetch` cannot get it")
      }
    }
    return found
  }

  /// A BCP-47 tag's usual shape: a 2-3 letter language, then optional script (4 letters), region (2 letters or 3
  /// digits) and variants (5-8 characters), e.g. `en`, `sr-Latn`, `es-419`, `de-CH-1996`; case-insensitive, as
  /// BCP-47 is.
  public static func isLanguageTag(_ tag: String) -> Bool {
    tag.wholeMatch(of: /[a-z]{2,3}(-[a-z]{4})?(-([a-z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*/.ignoresCase()) != nil
  }

  /// The keys set in the suite that its task type does not read.
  static func ignoredKeys(_ suite: SuiteDefinition) -> [String] {
    var keys: [String] = []
    switch suite.taskType {
    case .generate:
      if suite.solver.continuation != nil { keys.append("solver.continuation (rank_choices only)") }
      if suite.scorer.accNorm != nil { keys.append("scorer.acc_norm (rank_choices only)") }
      if suite.scorer.execute != nil { keys.append("scorer.execute (code only)") }
      if suite.scorer.judge != nil { keys.append("scorer.judge (judge only)") }
      if suite.scorer.safety != nil { keys.append("scorer.safety (safety only)") }
    case .safety:
      if suite.scorer.extract != nil { keys.append("scorer.extract (safety answers are judged whole)") }
      if suite.scorer.match != nil { keys.append("scorer.match (safety answers are judged, not matched)") }
    case .rankChoices:
      if suite.scorer.extract != nil { keys.append("scorer.extract (the choices are ranked, not extracted)") }
      if suite.scorer.match != nil { keys.append("scorer.match (the choices are ranked, not matched)") }
      if suite.scorer.normalize != nil { keys.append("scorer.normalize (the choices are ranked, not matched)") }
      if suite.scorer.preprocess != nil { keys.append("scorer.preprocess (no response text to preprocess)") }
    default:
      break
    }
    return keys
  }

  private static func kebab(_ id: String) -> String {
    id.lowercased().replacing(/[^a-z0-9]+/, with: "-").trimmingCharacters(in: CharacterSet(charactersIn: "-"))
  }
}
