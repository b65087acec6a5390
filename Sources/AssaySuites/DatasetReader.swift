import AssayCore
import Foundation

/// Reads dataset files (JSONL, TSV without header, JSON arrays) into rows of string fields, naming the file and
/// line of anything it cannot read.
public enum DatasetReader {
  /// Parses the bytes of a dataset file.
  public static func rows(
    from data: Data, format: DatasetFormat, columns: [String]?, path: String
  ) throws(AssayError) -> [[String: String]] {
    guard let text = String(data: data, encoding: .utf8) else {
      throw AssayError(.invalidData, "dataset file \(path) is not valid UTF-8", fix: "re-download the file")
    }
    switch format {
    case .tsv: return try tsvRows(text, columns: columns ?? [], path: path)
    case .jsonl: return try jsonlRows(text, path: path)
    case .json: return try jsonArrayRows(data, path: path)
    }
  }

  private static func lines(_ text: String) -> [Substring] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  private static func tsvRows(_ text: String, columns: [String], path: String) throws(AssayError) -> [[String: String]] {
    var rows: [[String: String]] = []
    for (number, rawLine) in lines(text).enumerated() {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard cells.count == columns.count else {
        throw AssayError(
          .invalidData,
          "dataset file \(path), line \(number + 1): expected \(columns.count) tab-separated fields (\(columns.joined(separator: ", "))), found \(cells.count)",
          fix: "the file is damaged or not the expected version; compare its sha256 with the suite's and re-download it")
      }
      var row: [String: String] = [:]
      for (name, cell) in zip(columns, cells) { row[name] = String(cell) }
      rows.append(row)
    }
    return rows
  }

  private static func jsonlRows(_ text: String, path: String) throws(AssayError) -> [[String: String]] {
    var rows: [[String: String]] = []
    for (number, line) in lines(text).enumerated() {
      if line.allSatisfy(\.isWhitespace) { continue }
      let object: Any
      do {
        object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
      } catch {
        throw AssayError(
          .invalidData, "dataset file \(path), line \(number + 1): not valid JSON (\(error.localizedDescription))",
          fix: "the file is damaged or not the expected version; compare its sha256 with the suite's and re-download it")
      }
      guard let dictionary = object as? [String: Any] else {
        throw AssayError(
          .invalidData, "dataset file \(path), line \(number + 1): expected a JSON object, found \(type(of: object))",
          fix: "each line of a JSONL dataset must be one JSON object")
      }
      rows.append(stringFields(dictionary))
    }
    return rows
  }

  private static func jsonArrayRows(_ data: Data, path: String) throws(AssayError) -> [[String: String]] {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw AssayError(.invalidData, "dataset file \(path): not valid JSON (\(error.localizedDescription))")
    }
    guard let array = object as? [[String: Any]] else {
      throw AssayError(.invalidData, "dataset file \(path): expected a JSON array of objects")
    }
    return array.map(stringFields)
  }

  private static func stringFields(_ dictionary: [String: Any]) -> [String: String] {
    var row: [String: String] = [:]
    for (key, value) in dictionary {
      if let string = value as? String {
        row[key] = string
      } else if let number = value as? NSNumber {
        row[key] = number.stringValue
      } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
        row[key] = String(decoding: data, as: UTF8.self)
      }
    }
    return row
  }
}
