import AssayCore
import AssayText
import AssaySuites
import Foundation

/// What the Japanese tests share: the resource root (ASSAY_RESOURCES, else ~/.cache/assay/resources, where
/// scripts/setup-metrics-venv.sh puts the IPADIC archive and langdetect's profiles), the fixtures, and janome's
/// dictionary, loaded once per test process. A missing resource fails the tests with what to run.
enum JapaneseFixture {
  static let environment = ProcessInfo.processInfo.environment
  static let resources = TextResources(
    root: environment["ASSAY_RESOURCES"] ?? ((environment["HOME"] ?? "") + "/.cache/assay/resources"),
    origin: environment["ASSAY_RESOURCES"] != nil ? "ASSAY_RESOURCES" : "~/.cache/assay/resources")
  static let fixtures = TestPaths.repository + "/Tests/Fixtures/m-ifeval"

  /// janome's tokenizer over the archive's IPADIC, with the load time in seconds.
  static let janome: Result<(tokenizer: JanomeTokenizer, seconds: Double), AssayError> = {
    let start = Date()
    do throws(AssayError) {
      let dictionary = try resources.janomeDictionary()
      return .success((JanomeTokenizer(dictionary: dictionary), Date().timeIntervalSince(start)))
    } catch {
      return .failure(AssayError(
        error.code, error.message + "; to fix: " + (error.fix ?? "fetch it")
          + " (for tests, scripts/setup-metrics-venv.sh puts it under ~/.cache/assay/resources)", fix: error.fix))
    }
  }()

  static func tokenizer() throws -> JanomeTokenizer { try janome.get().tokenizer }

  static func jsonLines(_ path: String) throws -> [[String: Any]] {
    guard var data = FileManager.default.contents(atPath: path) else {
      throw AssayError(.missingData, "\(path) is missing", fix: "regenerate it with the script its README names")
    }
    if Gzip.isGzip(data) { data = try Gzip.decompress(data, path: path) }
    return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
  }
}
