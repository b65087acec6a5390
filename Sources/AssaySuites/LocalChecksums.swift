import AssayCore
import Foundation

/// The sha256 pinned in the data root for data Assay cannot publish checksums of (a suite's `local_checksums`): a
/// `sha256sum` file (`<hex>  <name>`, names relative to its folder, so `sha256sum -c` checks it too), written by
/// `assay data fetch` when it first extracts the files and checked on every load. It proves a file has not changed
/// since it was pinned; it cannot prove the pinned copy is the publisher's.
public struct LocalChecksums: Sendable, Equatable {
  /// The checksum file, relative to the data root (`gpqa/SHA256SUMS`).
  public let relative: String
  /// Its absolute path.
  public let path: String
  /// Pinned sha256 by path relative to the data root (`gpqa/gpqa_main.csv`).
  public private(set) var pinned: [String: String]

  /// The checksums of a suite with `local_checksums` (an empty set when the file does not exist yet); nil for other
  /// suites.
  public static func of(_ suite: SuiteDefinition, dataRoot: DataRoot) throws(AssayError) -> LocalChecksums? {
    guard let relative = suite.localChecksums else { return nil }
    return try load(relative: relative, dataRoot: dataRoot)
  }

  /// Reads the checksum file at `relative` under the data root; no file is an empty set.
  public static func load(relative: String, dataRoot: DataRoot) throws(AssayError) -> LocalChecksums {
    let path = dataRoot.file(relative)
    var checksums = LocalChecksums(relative: relative, path: path, pinned: [:])
    guard let data = FileManager.default.contents(atPath: path) else { return checksums }
    guard let text = String(data: data, encoding: .utf8) else {
      throw AssayError(.invalidData, "checksum file \(path) is not UTF-8 text",
        fix: "delete it and run `assay data fetch` again, which writes it anew")
    }
    for (number, line) in DatasetReader.lines(text).enumerated() where !line.allSatisfy(\.isWhitespace) {
      // `sha256sum` writes "<64 hex><space><space or *><name>".
      guard let match = line.wholeMatch(of: /([0-9a-fA-F]{64}) [ *](.+)/) else {
        throw AssayError(
          .invalidData, "checksum file \(path), line \(number + 1): not a `sha256sum` line (<sha256>  <file name>)",
          fix: "correct or delete the line; `assay data fetch` writes the file in this format")
      }
      checksums.pinned[checksums.dataPath(String(match.2))] = match.1.lowercased()
    }
    return checksums
  }

  /// The folder the names are relative to (relative to the data root; "" for the root itself).
  var folder: String { (relative as NSString).deletingLastPathComponent }

  /// The data-root path of a name in the file.
  func dataPath(_ name: String) -> String { folder.isEmpty ? name : folder + "/" + name }

  /// The name in the file of a data-root path (nil when the path is not under the file's folder).
  func name(of dataPath: String) -> String? {
    if folder.isEmpty { return dataPath }
    guard dataPath.hasPrefix(folder + "/") else { return nil }
    return String(dataPath.dropFirst(folder.count + 1))
  }

  /// Whether a data file can be pinned here (it lies under the checksum file's folder).
  public func covers(_ dataPath: String) -> Bool { name(of: dataPath) != nil }

  /// Checks a data file's sha256 against its pin; throws when it is unpinned or changed.
  public func verify(_ dataPath: String, sha256 actual: String, suite: SuiteDefinition) throws(AssayError) {
    let name = name(of: dataPath) ?? dataPath
    let archive = suite.archive.map { ($0.url as NSString).lastPathComponent }
    let fetch = "assay data fetch --suite \(suite.id)" + (archive.map { " --from \($0)" } ?? "")
    guard let expected = pinned[dataPath] else {
      throw AssayError(
        .invalidData,
        "dataset file \(dataPathOnDisk(dataPath)) is not pinned: suite '\(suite.id)' reads your own copy, of which "
          + "Assay publishes no sha256, and \(path) has no line for \(name); its sha256 now is \(actual)",
        fix: "`\(fetch)` extracts the published files and pins them; for a copy you extracted yourself, check where it "
          + "came from and add the line `\(actual)  \(name)` to \(path)")
    }
    guard expected == actual else {
      throw AssayError(
        .checksumMismatch,
        "dataset file \(dataPathOnDisk(dataPath)) has sha256 \(actual), but \(path) pinned it as \(expected) (suite "
          + "'\(suite.id)'): the file changed after it was pinned",
        fix: "restore the copy you pinned (`\(fetch)`); to replace your copy on purpose, delete its line from \(path) "
          + "and fetch again")
    }
  }

  private func dataPathOnDisk(_ dataPath: String) -> String {
    ((path as NSString).deletingLastPathComponent as NSString)
      .appendingPathComponent(name(of: dataPath) ?? dataPath)
  }

  /// Pins a data file's sha256 (in memory; `write()` saves).
  public mutating func pin(_ dataPath: String, sha256: String) {
    pinned[dataPath] = sha256
  }

  /// The file's text: one `sha256sum` line per pinned file under its folder, sorted by name.
  public var text: String {
    pinned.compactMap { dataPath, sha in name(of: dataPath).map { (name: $0, sha: sha) } }
      .sorted { $0.name < $1.name }
      .map { "\($0.sha)  \($0.name)\n" }.joined()
  }

  /// Writes the file (through a temporary file renamed into place).
  public func write() throws(AssayError) {
    do {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw AssayError(.io, "cannot write the checksum file \(path): \(error.localizedDescription)",
        fix: "check that the data root is writable")
    }
  }
}
