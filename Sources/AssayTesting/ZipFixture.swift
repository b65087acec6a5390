import Foundation

/// Zip archives written for a test by `Tests/Fixtures/zip/make_zip.py` (Python's standard library): stored or
/// deflated entries, ZipCrypto-encrypted with a password, and hostile ones (wrong CRC, symbolic links, declared
/// sizes other than the real ones).
public enum ZipFixture {
  /// Writes an archive of `entries` (each a `make_zip.py` entry: `name`, `text`/`file`/`zeros`, `password`,
  /// `method`, `descriptor`, `symlink`, `declared_size`, `crc_xor`) to `path`, which it returns.
  @discardableResult
  public static func write(_ entries: [[String: Any]], to path: String) throws -> String {
    let spec = path + ".spec.json"
    let json = try JSONSerialization.data(withJSONObject: ["path": path, "entries": entries], options: [.sortedKeys])
    try json.write(to: URL(fileURLWithPath: spec))
    defer { try? FileManager.default.removeItem(atPath: spec) }
    _ = try PythonProcess.runScript([PythonProcess.repository + "/Tests/Fixtures/zip/make_zip.py", spec])
    return path
  }
}
