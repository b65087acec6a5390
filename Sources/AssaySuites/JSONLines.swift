import AssayCore
import Foundation

/// Reads JSON Lines input files (`-` for standard input; gzip-compressed files too): one object per non-blank line, with its line number,
/// naming the file and line of anything that is not a JSON object. Lines end in LF or CRLF.
public enum JSONLines {
  /// The JSON objects of a file, each with its 1-based line number; `fix` is the fix named when a line is not one.
  public static func read(_ path: String, fix: String? = nil) throws(AssayError) -> [(line: Int, object: [String: Any])] {
    var rows: [(line: Int, object: [String: Any])] = []
    for (number, line) in try lines(path) {
      guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
        throw AssayError(.invalidData, "\(path), line \(number): not a JSON object", fix: fix)
      }
      rows.append((number, object))
    }
    return rows
  }

  /// The non-blank lines of a file with their 1-based numbers, without their line ends.
  public static func lines(_ path: String) throws(AssayError) -> [(line: Int, text: Substring)] {
    var data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
    if let compressed = data, Gzip.isGzip(compressed) { data = try Gzip.decompress(compressed, path: path) }
    guard let data, let text = String(data: data, encoding: .utf8) else {
      throw AssayError(.io, "cannot read \(path) (missing or not UTF-8)", fix: "check the path")
    }
    // "\r\n" is one Character in Swift: splitting on "\n" alone would leave a CRLF file as one line.
    return text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated()
      .compactMap { number, line in line.allSatisfy(\.isWhitespace) ? nil : (number + 1, line) }
  }
}
