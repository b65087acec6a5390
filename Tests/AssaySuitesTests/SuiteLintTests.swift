import AssayCore
import AssaySuites
import Testing

/// Suites that load but say something their author did not mean: each warning, and none on the built-in suites.
@Suite struct SuiteLintTests {
  func warnings(_ replacements: [(String, String)]) throws -> [String] {
    var yaml = SuiteFileTests.valid
    for (old, new) in replacements { yaml = yaml.replacingOccurrences(of: old, with: new) }
    return SuiteLint.warnings(for: try SuiteFile.parse(yaml, path: "toy.yaml"))
  }

  @Test func aCleanSuiteHasNoWarnings() throws {
    #expect(try warnings([]) == [])
  }

  @Test func eachSlipIsNamed() throws {
    let language = try warnings([("language: en", "language: japanese")])
    #expect(language.count == 1 && language[0].contains("'japanese' is not a BCP-47 tag"), "\(language)")
    let id = try warnings([("id: toy", "id: My_Toy")])
    #expect(id.count == 1 && id[0].contains("not kebab-case") && id[0].contains("'my-toy'"), "\(id)")
    let continuation = try warnings([("  generate: {", "  continuation: \" {{answer}}\"\n  generate: {")])
    #expect(continuation.count == 1 && continuation[0].hasPrefix("solver.continuation"), "\(continuation)")
  }

  @Test func languageTagsOfTheUsualShapes() {
    for tag in ["en", "yue", "pt-BR", "zh-Hant", "sr-Latn-RS", "es-419", "de-CH-1996", "zh-hant"] {
      #expect(SuiteLint.isLanguageTag(tag), "\(tag)")
    }
    for tag in ["japanese", "en_US", "", "e", "english-us"] { #expect(!SuiteLint.isLanguageTag(tag), "\(tag)") }
  }

  @Test func theBuiltInSuitesLintClean() throws {
    let catalog = try SuiteCatalog.load(directories: [TestPaths.benchmarks])
    let all = catalog.suites.values.flatMap { suite in SuiteLint.warnings(for: suite).map { "\(suite.id): \($0)" } }
    #expect(all.isEmpty, "\(all.prefix(20))")
  }
}
