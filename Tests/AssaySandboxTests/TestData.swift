import AssaySuites
import Foundation

/// Paths to the repository and ../shared, and a reader for the shared JSON Lines (gzip) files.
enum TestData {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let datasets = ProcessInfo.processInfo.environment["ASSAY_DATA"] ?? (repository + "/../shared/datasets")

  /// The rows of a JSON Lines file under ../shared/datasets (gzip allowed), string fields only.
  static func rows(_ relativePath: String) throws -> [[String: String]] {
    let path = datasets + "/" + relativePath
    guard var data = FileManager.default.contents(atPath: path) else { throw Missing(path: path) }
    if Gzip.isGzip(data) { data = try Gzip.decompress(data, path: path) }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
      return object.compactMapValues { $0 as? String }
    }
  }

  struct Missing: Error, CustomStringConvertible {
    let path: String
    var description: String { "missing test data \(path) (../shared beside the repository, or ASSAY_DATA)" }
  }
}
