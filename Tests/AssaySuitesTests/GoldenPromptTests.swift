import AssayCore
import AssaySuites
import Foundation
import Testing

/// The rendered prompt of the first sample of every suite (its first variant), pinned in `Tests/Golden/prompts/`,
/// so that any change to a prompt, a few-shot file or a template rule shows up as a diff in review.
/// After an intended change: `ASSAY_UPDATE_GOLDEN=1 swift test --filter GoldenPromptTests`, then review the diff.
@Suite struct GoldenPromptTests {
  static let goldenDirectory = TestPaths.repository + "/Tests/Golden/prompts"

  /// Suites whose data is the user's own copy (GPQA: Assay ships none) render a synthetic record in the same layout.
  static let usersCopyDataRoot = TestPaths.repository + "/Tests/Fixtures/gpqa-synthetic"

  static func render(_ suite: SuiteDefinition) throws -> String {
    let variant = suite.variants[0]
    let root = suite.dataIsUsersCopy ? usersCopyDataRoot : TestPaths.datasets
    let task = try TaskLoader(dataRoot: DataRoot(path: root, origin: "test")).load(suite: suite, variant: variant)
    let sample = try #require(task.samples.first)
    let preview = try task.preview(for: sample, options: GenerationOptions(model: "MODEL"))
    return """
      # \(task.id) sample 0 (\(suite.taskType.rawValue), \(task.promptMode(GenerationOptions(model: "MODEL")).rawValue) mode)
      # target: \(sample.target)
      \(preview)

      """
  }

  @Test func everySuitesFirstPromptMatchesItsGoldenFile() throws {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    let update = ProcessInfo.processInfo.environment["ASSAY_UPDATE_GOLDEN"] == "1"
    if update { try FileManager.default.createDirectory(atPath: Self.goldenDirectory, withIntermediateDirectories: true) }
    var checked = 0
    for id in catalog.suites.keys.sorted() {
      let rendered = try Self.render(catalog.suites[id]!)
      let path = Self.goldenDirectory + "/\(id).txt"
      if update {
        try rendered.write(toFile: path, atomically: true, encoding: .utf8)
        continue
      }
      let golden = try? String(contentsOfFile: path, encoding: .utf8)
      #expect(golden != nil, "no golden prompt for suite '\(id)': run with ASSAY_UPDATE_GOLDEN=1 and review \(path)")
      if let golden, golden != rendered {
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let renderedLines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(goldenLines, renderedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
          ?? min(goldenLines.count, renderedLines.count)
        Issue.record("""
          the prompt of suite '\(id)' changed at line \(first + 1) of \(path):
            golden:   \(first < goldenLines.count ? String(goldenLines[first]) : "<end>")
            rendered: \(first < renderedLines.count ? String(renderedLines[first]) : "<end>")
          if intended, run with ASSAY_UPDATE_GOLDEN=1 and review the diff
          """)
      }
      checked += 1
    }
    if !update { #expect(checked == catalog.suites.count) }
    // No stale golden files for suites that no longer exist.
    let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory)) ?? []
    let stale = files.filter { $0.hasSuffix(".txt") && catalog.suites[String($0.dropLast(4))] == nil }
    #expect(stale.isEmpty, "golden files without a suite: \(stale)")
  }

  @Test func aChangedPromptIsCaught() throws {
    // The check above compares text exactly: a one-character change to a suite's template changes the rendering.
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    var suite = try #require(catalog.suites["gsm8k"])
    let before = try Self.render(suite)
    suite.solver.prompt.template += " "
    #expect(try Self.render(suite) != before)
  }
}
