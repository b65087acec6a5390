import AssaySuites
import Foundation

@testable import AssayCore
@testable import AssayText
@testable import AssayInstructions

/// What the M-IFEval language tests share: paths to the data, the fixtures and the resources, file reading, the
/// tools for one language, and the reference's strict/loose evaluation loop.
enum MIFEvalFixture {
  static let environment = ProcessInfo.processInfo.environment
  /// The repository's Tests folder.
  static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  static let datasets = environment["ASSAY_DATA"] ?? tests.deletingLastPathComponent().appendingPathComponent("../shared/datasets").path
  static let resources = environment["ASSAY_RESOURCES"] ?? ((environment["HOME"] ?? "") + "/.cache/assay/resources")

  /// The language's dataset file (`es`, `fr`, `ja`).
  static func dataset(_ language: String) -> String { datasets + "/m-ifeval/\(language)_input_data.jsonl" }
  /// The language's fixture of reference verdicts.
  static func fixture(_ language: String) -> String { tests.appendingPathComponent("Fixtures/m-ifeval/\(language).jsonl").path }

  static func text(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw AssayError(.missingData, "\(path) is missing", fix: "set ASSAY_DATA / ASSAY_RESOURCES, or run `assay data fetch --suite m-ifeval`")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Punkt with nltk's parameters for `punkt` (`spanish`, `french`) and langdetect, from the resource root.
  static func tools(punkt language: String) throws -> MIFEvalTools {
    let punkt = resources + "/punkt_tab/\(language)/"
    let parameters = try PunktParameters(
      abbrevTypes: try text(punkt + "abbrev_types.txt"), collocations: try text(punkt + "collocations.tab"),
      sentenceStarters: try text(punkt + "sent_starters.txt"), orthoContext: try text(punkt + "ortho_context.tab"))
    let folder = resources + "/langdetect/profiles"
    let codes = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
    let profiles = try codes.map { (code: $0, json: try text(folder + "/" + $0)) }
    let languages = try LanguageDetector(profiles: profiles, messages: try text(resources + "/langdetect/messages.properties"))
    return MIFEvalTools(sentences: PunktSentenceTokenizer(parameters: parameters), languages: languages)
  }

  /// janome's tokenizer over the IPADIC archive under the resource root, built once per test process.
  static let janome: Result<JanomeTokenizer, AssayError> = {
    do throws(AssayError) {
      return .success(JanomeTokenizer(dictionary: try TextResources(root: resources, origin: "the tests' resource root").janomeDictionary()))
    } catch {
      return .failure(AssayError(
        error.code, error.message + "; to fix: " + (error.fix ?? "fetch it")
          + " (for tests, scripts/setup-metrics-venv.sh puts it under ~/.cache/assay/resources)", fix: error.fix))
    }
  }()

  /// The Japanese checkers' tools: janome and langdetect, from the resource root.
  static func japaneseTools() throws -> JapaneseTools {
    JapaneseTools(tokenizer: try janome.get(), languages: try TextResources(root: resources, origin: "the tests' resource root").languageDetector())
  }

  static func jsonLines(_ path: String) throws -> [[String: Any]] {
    try text(path).split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  /// Strict and loose verdicts as the reference's `evaluation_main` computes them.
  static func verdict(_ response: String, count: Int, follows: (Int, String) -> Bool) -> (strict: [Bool], loose: [Bool]) {
    let verdict = IFEvalChecker.verdict(response: response, count: count, follows: follows)
    return (verdict.strict, verdict.loose)
  }
}
