import ArgumentParser
import AssayCore
import AssaySuites
import Foundation

/// `assay presets`: list the presets and the published rows each suite reproduces.
struct PresetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "presets",
    abstract: "List presets: the suites and configurations behind published tables.",
    discussion: """
      Examples:
        assay presets
        assay run --preset llama3.1-instruct --base-url http://127.0.0.1:8000/v1 --model meta-llama/Llama-3.1-8B-Instruct
      A preset run prints the comparison with its reference model's published scores at the end.
      """)

  @OptionGroup var suiteOptions: SuiteOptions

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    let presets = try suiteOptions.presets()
    let catalog = try suiteOptions.catalog()
    for preset in presets.values { try preset.validate(against: catalog) }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      print(String(decoding: try encoder.encode(presets.keys.sorted().map { presets[$0]! }), as: UTF8.self))
      return
    }
    for id in presets.keys.sorted() {
      let preset = presets[id]!
      print("## \(id)\n\n\(preset.description)\n")
      print("prompt mode: \(preset.promptMode?.rawValue ?? "the suites' own") · reference model: \(preset.referenceModel ?? "none")\n")
      print("| suite | variants | reproduces | note |\n|---|---|---|---|")
      for entry in preset.suites {
        let variants = entry.variants?.joined(separator: ", ") ?? "all \(catalog.suites[entry.suite]?.variants.count ?? 0)"
        print("| \(entry.suite) | \(variants) | \(entry.reproduces.joined(separator: "; ")) | \(entry.note ?? "") |")
      }
      print("")
    }
  }
}
