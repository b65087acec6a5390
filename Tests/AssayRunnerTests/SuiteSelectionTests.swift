import AssayCore
import AssaySuites
import Foundation
import Testing

/// How `--suite`, `--variant` and `--preset` pick suite variants (BadInputTests runs the messages through the binary).
@Suite struct SuiteSelectionTests {
  static let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path + "/benchmarks"

  func select(_ suites: [String], variants: [String] = []) throws(AssayError) -> [String] {
    let catalog = try SuiteCatalog.load(directories: [Self.benchmarks])
    return try catalog.select(suites: suites, variants: variants) { suite, variant throws(AssayError) in "\(suite.id)/\(variant.id)" }
  }

  @Test func suitesAndVariantsAreSplitOnCommasAndTakenOnce() throws {
    #expect(try select(["mgsm"], variants: ["de, fr", "de"]) == ["mgsm/de", "mgsm/fr"])
    #expect(try select(["xcopa/et,mgsm/de", "xcopa/et", " piqa "]) == ["xcopa/et", "mgsm/de", "piqa/dev"])
    #expect(try select(["mgsm"]).count > 5)
  }

  @Test func badSelectionsSayWhatToDo() throws {
    let many = #expect(throws: AssayError.self) { try select(["mgsm,piqa"], variants: ["de"]) }
    #expect(many?.message == "--variant applies to one suite, but 2 suites were given")
    let none = #expect(throws: AssayError.self) { try select([","]) }
    #expect(none?.message == "no suite given")
    let unknown = #expect(throws: AssayError.self) { try select(["mgsn"]) }
    #expect(unknown?.message.hasPrefix("unknown suite 'mgsn' (from --suite). Did you mean 'mgsm'") == true)
    let variant = #expect(throws: AssayError.self) { try select(["mgsm/xx"]) }
    #expect(variant?.message.hasPrefix("suite 'mgsm' has no variant 'xx' (from --variant).") == true)
  }

  @Test func aPresetSkipsWhatIsAlreadySelected() throws {
    let catalog = try SuiteCatalog.load(directories: [Self.benchmarks])
    let preset = try #require(try Preset.loadAll(directory: Self.benchmarks + "/presets")["smollm2-instruct"])
    let picked = try catalog.select(preset: preset, existing: ["piqa/dev"]) { suite, variant throws(AssayError) in "\(suite.id)/\(variant.id)" }
    #expect(picked.contains("arc/easy") && picked.contains("arc/challenge"))
    #expect(!picked.contains("piqa/dev"))
    #expect(Set(picked).count == picked.count)
  }
}
