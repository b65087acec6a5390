import Foundation

/// Paths to the repository and to ../shared, found from this file's location.
enum TestPaths {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path
  static let benchmarks = repository + "/benchmarks"
  static let datasets = ProcessInfo.processInfo.environment["ASSAY_DATA"] ?? (repository + "/../shared/datasets")

  static func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "assay-test-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
