import AssayCore
import Foundation

/// Gets a suite's data files out of its archive (`archive:` in the suite file) into the data root: every listed
/// entry is read (decrypted, inflated within bounds, CRC-checked) and checked against the suite's sha256 or the
/// copy already pinned in `local_checksums` before any file is written; then the files are written and pinned.
public enum ArchiveExtractor {
  /// One extracted file.
  public struct Extracted: Sendable, Equatable {
    /// Path relative to the data root (`gpqa/gpqa_main.csv`).
    public var path: String
    /// Its sha256.
    public var sha256: String
    /// Its size in bytes.
    public var bytes: Int
    /// Whether it was written (else the same bytes were already there).
    public var written: Bool
    /// Whether its sha256 was pinned now (first extraction) rather than checked against an earlier pin or the
    /// suite's own sha256.
    public var newlyPinned: Bool
  }

  /// Extracts every file of `suite.archive` from the archive bytes into `dataRoot`; `archivePath` names it in
  /// messages. All or nothing: any refusal leaves the data root as it was.
  public static func extract(
    suite: SuiteDefinition, archive data: Data, archivePath: String, dataRoot: DataRoot,
    sizeLimit: Int = ZipArchive.defaultSizeLimit
  ) throws(AssayError) -> [Extracted] {
    guard let spec = suite.archive else {
      throw AssayError(.invalidArgument, "suite '\(suite.id)' names no archive to extract",
        fix: "fetch its files with `assay data fetch --suite \(suite.id)` (no --from)")
    }
    let zip = try ZipArchive(data: data, path: archivePath)
    var pins = try LocalChecksums.of(suite, dataRoot: dataRoot)
    var planned: [(path: String, contents: Data, sha256: String, pinned: Bool)] = []
    for (entryName, destination) in spec.files.sorted(by: { $0.value < $1.value }) {
      guard let entry = zip.entry(named: entryName), !entry.isDirectory else {
        let files = zip.entries.filter { !$0.isDirectory }.map(\.name)
        throw AssayError(
          .invalidData,
          "\(archivePath) has no entry '\(entryName)' (for \(destination)); its files are: "
            + (files.prefix(20).map { "'\($0)'" }.joined(separator: ", ")) + (files.count > 20 ? ", ..." : ""),
          fix: "check that this is the archive suite '\(suite.id)' names (\(spec.url))")
      }
      let contents = try zip.contents(of: entry, password: spec.password, limit: sizeLimit)
      let sha = SHA256.hex(contents)
      if let expected = suite.sha256[destination] {
        guard expected == sha else {
          throw AssayError(
            .checksumMismatch,
            "\(archivePath): entry '\(entryName)' has sha256 \(sha), but suite '\(suite.id)' expects \(expected) for \(destination)",
            fix: "use the archive as published (\(spec.url)); nothing was written")
        }
        planned.append((destination, contents, sha, false))
      } else if let pins, pins.covers(destination) {
        if let pinned = pins.pinned[destination], pinned != sha {
          throw AssayError(
            .checksumMismatch,
            "\(archivePath): entry '\(entryName)' has sha256 \(sha), but your copy of \(destination) was pinned as \(pinned) "
              + "in \(pins.path): this archive holds other data than the one you fetched before",
            fix: "use the archive you fetched before; to replace your copy on purpose, delete the line for "
              + "\((destination as NSString).lastPathComponent) from \(pins.path) and fetch again (nothing was written)")
        }
        planned.append((destination, contents, sha, pins.pinned[destination] == nil))
      } else {
        throw AssayError(
          .invalidSuite, "suite '\(suite.id)' lists no sha256 for '\(destination)' and no local_checksums file that covers it",
          fix: "add its sha256 under `sha256:`, or set `local_checksums:` to a file in a folder that holds it")
      }
    }
    var extracted: [Extracted] = []
    for file in planned {
      let path = dataRoot.file(file.path)
      let unchanged = FileManager.default.contents(atPath: path).map { SHA256.hex($0) == file.sha256 } ?? false
      if !unchanged {
        do {
          try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
          // Written beside and renamed into place: a link at the path is replaced, never followed.
          try file.contents.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
          throw AssayError(.io, "cannot write \(path): \(error.localizedDescription)", fix: "check that the data root is writable")
        }
      }
      if file.pinned { pins?.pin(file.path, sha256: file.sha256) }
      extracted.append(
        Extracted(path: file.path, sha256: file.sha256, bytes: file.contents.count, written: !unchanged, newlyPinned: file.pinned))
    }
    if let pins, extracted.contains(where: \.newlyPinned) { try pins.write() }
    return extracted
  }
}
