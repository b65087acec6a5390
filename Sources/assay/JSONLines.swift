import AssayCore
import AssaySuites
import Foundation

/// Reads JSON Lines input files (`-` for standard input; gzip-compressed files too): one object per non-blank line, with its line number,
/// naming the file and line of anything that is not a JSON object.
enum JSONLines {
  static func read(_ path: String, fix: String? = nil) throws(AssayError) -> [(line: Int, object: [String: Any])] {
    var data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
    if let compressed = data, Gzip.isGzip(compressed) { data = try Gzip.decompress(compressed, path: path) }
    guard let data, let text = String(data: data, encoding: .utf8) else {
      throw AssayError(.io, "cannot read \(path) (missing or not UTF-8)", fix: "check the path")
    }
    var rows: [(line: Int, object: [String: Any])] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      if line.allSatisfy(\.isWhitespace) { continue }
      guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
        throw AssayError(.invalidData, "\(path), line \(number + 1): not a JSON object", fix: fix)
      }
      rows.append((number + 1, object))
    }
    return rows
  }
}
