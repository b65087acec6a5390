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
        assay validate                 # every suite
        assay validate --suite mgsm --show-prompts
      Exits non-zero when anything fails, after listing every failure.
      """)

  @OptionGroup var suiteOptions: SuiteOptions

  @Option(help: "Only these suites (comma-separated or repeated).")
  var suite: [String] = []

  @Flag(name: .customLong("show-prompts"), help: "Print each rendered first prompt in full.")
  var showPrompts = false

  func run() throws {
    let catalog = try suiteOptions.catalog()
    let ids = suite.isEmpty ? catalog.suites.keys.sorted() : suite.flatMap { $0.split(separator: ",").map(String.init) }
    let loader = TaskLoader(dataRoot: suiteOptions.dataRoot)
    var failures: [String] = []
    var checked = 0
    for id in ids {
      let definition = try catalog.suite(named: id)
      for variant in definition.variants {
        checked += 1
        do {
          let task = try loader.load(suite: definition, variant: variant)
          guard let first = task.samples.first else {
            failures.append("\(task.id): the dataset has no rows")
            continue
          }
          let preview = try task.preview(for: first, options: GenerationOptions(model: "MODEL"))
          print("ok   \(task.id)  \(task.samples.count) samples  target '\(first.target)'")
          if showPrompts { print(preview + "\n") }
        } catch {
          failures.append("\(definition.id)/\(variant.id): \(error.message)" + (error.fix.map { "\n       fix: \($0)" } ?? ""))
          print("FAIL \(definition.id)/\(variant.id)")
        }
      }
    }
    print("\n\(checked - failures.count) of \(checked) variants ok")
    if !failures.isEmpty {
      for failure in failures { FileHandle.standardError.write(Data("error: \(failure)\n".utf8)) }
      throw ExitCode(2)
    }
  }
}
