import AssayCore
import Foundation

/// The sha256 of a model file, read once in 4 MiB pieces and remembered (by path, size, modification time and
/// inode) in `model-sha256.json` in Assay's cache folder, so a multi-gigabyte GGUF is hashed once, not per run.
public enum ModelFileHash {
  /// One remembered hash.
  struct Entry: Codable, Equatable {
    var size: Int64
    var modifiedNanoseconds: Int64
    var inode: UInt64
    var sha256: String
  }

  /// The cache file (`$ASSAY_CACHE` or `~/.cache/assay`).
  public static var cacheFile: String {
    let environment = ProcessInfo.processInfo.environment
    let root = environment["ASSAY_CACHE"] ?? ((environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache/assay")
    return root + "/model-sha256.json"
  }

  /// The file's sha256 (hex); throws naming the file when it cannot be read.
  public static func sha256(path: String) throws(AssayError) -> String {
    let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    var info = stat()
    guard stat(resolved, &info) == 0 else {
      throw AssayError(.runtimeLaunch, "cannot read model file \(path) to identify the run: \(String(cString: strerror(errno)))",
        fix: "pass the path of a readable .gguf file with --model")
    }
    let key = Entry(
      size: Int64(info.st_size), modifiedNanoseconds: Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec),
      inode: UInt64(info.st_ino), sha256: "")
    var known = (try? JSONDecoder().decode([String: Entry].self, from: Data(contentsOf: URL(fileURLWithPath: cacheFile)))) ?? [:]
    if let entry = known[resolved], entry.size == key.size, entry.modifiedNanoseconds == key.modifiedNanoseconds,
      entry.inode == key.inode, entry.sha256.count == 64
    {
      return entry.sha256
    }
    if key.size > 1 << 30 {
      FileHandle.standardError.write(Data("hashing \(path) (\(key.size >> 20) MiB) once to identify its runs ...\n".utf8))
    }
    guard let handle = FileHandle(forReadingAtPath: resolved) else {
      throw AssayError(.runtimeLaunch, "cannot open model file \(path) to identify the run", fix: "check its permissions")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    do {
      while let piece = try handle.read(upToCount: 4 << 20), !piece.isEmpty { hasher.update(piece) }
    } catch {
      throw AssayError(.runtimeLaunch, "cannot read model file \(path) to identify the run: \(error.localizedDescription)",
        fix: "check the file and the disk")
    }
    var entry = key
    entry.sha256 = hasher.finalizeHex()
    known[resolved] = entry
    // Best effort: a cache that cannot be written only means hashing again next time.
    try? FileManager.default.createDirectory(
      atPath: (cacheFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    if let data = try? JSONEncoder().encode(known) {
      try? data.write(to: URL(fileURLWithPath: cacheFile), options: .atomic)
    }
    return entry.sha256
  }
}
