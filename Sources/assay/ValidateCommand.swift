import ArgumentParser
import AssayCore
import AssaySuites
import Foundation

/// `assay validate`: check every suite file, its data and checksums, and render one prompt per variant.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check suites, data presence and sha256, and render the first prompt of every variant.",
    discussion: """
      Examples:
        assay validate                          # every built-in suite
        assay validate --suite mgsm --show-prompts
        assay validate --suite mgsm/de,xcopa    # suite/variant picks one variant, as in `run`
        assay validate --suites-dir my-suites   # only the suites in my-suites (add --all for the built-in ones too)
      Exits 2 when anything fails, after listing every failure.
      """)

  @OptionGroup var suiteOptions: SuiteOptions

  @Option(help: "Only these suites (comma-separated or repeated).")
  var suite: [String] = []

  @Flag(name: .customLong("show-prompts"), help: "Print each rendered first prompt in full.")
  var showPrompts = false

  @Flag(help: "With --suites-dir: also validate the built-in suites (by default only the folders' own).")
  var all = false

  func run() throws {
    var catalog = try suiteOptions.catalog(strict: false)
    let requested = suite.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
    if requested.isEmpty && !suiteOptions.suitesDirs.isEmpty && !all {
      catalog = catalog.limited(to: suiteOptions.suitesDirs)
    }
    let ids = requested.isEmpty ? catalog.suites.keys.sorted() : requested
    let loader = TaskLoader(dataRoot: suiteOptions.dataRoot)
    // `suite/variant` is resolved as `run` resolves it.
    let pairs: [(SuiteDefinition, VariantSpec)] = ids.isEmpty ? [] : try catalog.select(suites: ids, variants: []) { ($0, $1) }
    let started = ContinuousClock.now
    let outcomes: [Result<(line: String, preview: String), AssayError>] = parallelMap(pairs) { pair in
      let (definition, variant) = pair
      do throws(AssayError) {
        let task = try loader.load(suite: definition, variant: variant)
        guard let first = task.samples.first else {
          return .failure(AssayError(.invalidData, "\(task.id): the dataset has no rows"))
        }
        let preview = try task.preview(for: first, options: GenerationOptions(model: "MODEL"))
        let leaveOneOut = task.exemplarRows == nil ? "" : "  exemplars from this file, each item's own row left out"
        return .success(("ok   \(task.id)  \(task.samples.count) samples  target '\(first.target)'\(leaveOneOut)", preview))
      } catch {
        return .failure(AssayError(error.code, "\(definition.id)/\(variant.id): \(error.message)", fix: error.fix))
      }
    }
    var failures: [String] = catalog.failures.map { $0.error.message + ($0.error.fix.map { "\n       fix: \($0)" } ?? "") }
    for failure in catalog.failures { print("FAIL \(failure.path)") }
    var checked = pairs.count + catalog.failures.count
    var absent: [String] = []
    var fixShown: Set<String> = []
    for (pair, outcome) in zip(pairs, outcomes) {
      switch outcome {
      case .success(let result):
        Output.text(result.line)
        if showPrompts { Output.text(result.preview + "\n") }
      case .failure(let error) where error.code == .missingData && pair.0.dataIsUsersCopy:
        // Data Assay cannot ship (the user's own copy, e.g. GPQA): its absence is expected, not a failure.
        Output.text("skip \(pair.0.id)/\(pair.1.id)  data not present (the user's own copy; Assay ships none)")
        absent.append("\(pair.0.id)/\(pair.1.id)")
        checked -= 1
        if let fix = error.fix, fixShown.insert(pair.0.id).inserted { Output.text("     to get it: \(fix)") }
      case .failure(let error):
        failures.append(error.message + (error.fix.map { "\n       fix: \($0)" } ?? ""))
        print("FAIL \(pair.0.id)/\(pair.1.id)")
      }
    }
    var warnings = 0
    for id in Set(pairs.map { $0.0.id }).sorted() {
      guard let definition = catalog.suites[id] else { continue }
      for warning in SuiteLint.warnings(for: definition) {
        print("WARN \(catalog.files[id] ?? id): \(warning)")
        warnings += 1
      }
    }
    let elapsed = ContinuousClock.now - started
    FileHandle.standardError.write(Data("validated \(checked) variants in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))\n".utf8))
    let skipped = absent.isEmpty ? "" : ", \(absent.count) skipped (data not present: the user's own copy)"
    print("\n\(checked - failures.count) of \(checked) variants ok\(skipped)\(warnings > 0 ? ", \(warnings) warning(s)" : "")")
    if !failures.isEmpty {
      for failure in failures { Output.error("error: \(failure)\n") }
      throw ExitCode(2)
    }
  }
}
