import AssayCore
import Foundation

/// Reads dataset files (JSONL, TSV, CSV, JSON, plain text, CoNLL, SQuAD) into rows of string fields, naming the
/// file and line of anything it cannot read.
public enum DatasetReader {
  /// Parses the bytes of a dataset file (gzip is decompressed first).
  public static func rows(
    from data: Data, format: DatasetFormat, columns: [String]?, path: String, header: Bool? = nil,
    records: String? = nil
  ) throws(AssayError) -> [[String: String]] {
    let bytes = Gzip.isGzip(data) ? try Gzip.decompress(data, path: path) : data
    guard var text = String(data: bytes, encoding: .utf8) else {
      throw AssayError(.invalidData, "dataset file \(path) is not valid UTF-8", fix: "re-download the file")
    }
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    switch format {
    case .tsv: return try tsvRows(text, columns: columns, header: header ?? false, path: path)
    case .csv: return try delimitedRows(text, delimiter: ",", columns: columns, header: header ?? true, path: path)
    case .qtsv: return try delimitedRows(text, delimiter: "\t", columns: columns, header: header ?? true, path: path)
    case .jsonl: return try jsonlRows(text, path: path)
    case .json: return try jsonArrayRows(bytes, records: records, path: path)
    case .text: return lines(text).map { ["text": String($0)] }
    case .conll: return conllRows(text)
    case .squad: return try squadRows(bytes, path: path)
    }
  }

  /// The column names of a delimited file (csv, qtsv, tsv) in file order: `columns` when given, else its header
  /// row; nil for other formats or a file without a header.
  public static func header(of data: Data, format: DatasetFormat, columns: [String]?, header: Bool?) -> [String]? {
    if let columns, !columns.isEmpty { return columns }
    guard [.csv, .qtsv, .tsv].contains(format), header ?? (format != .tsv) else { return nil }
    let bytes = Gzip.isGzip(data) ? ((try? Gzip.decompress(data, path: "")) ?? Data()) : data
    var text = String(decoding: bytes, as: UTF8.self)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    if format == .tsv { return lines(text).first.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) } }
    return (try? delimitedRecords(text, delimiter: format == .csv ? "," : "\t", path: ""))?.first?.cells
  }

  /// The lines of a text file (no trailing empty line), for line-aligned side files.
  public static func lines(of data: Data, path: String) throws(AssayError) -> [String] {
    guard let text = String(data: data, encoding: .utf8) else {
      throw AssayError(.invalidData, "file \(path) is not valid UTF-8", fix: "re-download the file")
    }
    return lines(text).map(String.init)
  }

  /// Lines without their `\n` or `\r\n` (no trailing empty line).
  static func lines(_ text: String) -> [Substring] {
    // Split on the UTF-8 newline byte: Character iteration (where "\r\n" is one Character) is far slower.
    var lines: [Substring] = []
    let utf8 = text.utf8
    var start = utf8.startIndex
    var index = start
    while index != utf8.endIndex {
      if utf8[index] == 0x0A {
        lines.append(text[start..<index])
        start = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    lines.append(text[start..<utf8.endIndex])
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines.map { $0.utf8.last == 0x0D ? $0.dropLast() : $0 }
  }

  private static func damaged(_ path: String, _ line: Int, _ what: String) -> AssayError {
    AssayError(
      .invalidData, "dataset file \(path), line \(line): \(what)",
      fix: "the file is damaged or not the expected version; compare its sha256 with the suite's and re-download it")
  }

  private static func tsvRows(
    _ text: String, columns: [String]?, header: Bool, path: String
  ) throws(AssayError) -> [[String: String]] {
    var rows: [[String: String]] = []
    var names = columns ?? []
    for (number, line) in lines(text).enumerated() {
      let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      if number == 0 && header {
        if columns == nil { names = cells }
        continue
      }
      guard cells.count == names.count else {
        throw damaged(path, number + 1, "expected \(names.count) tab-separated fields (\(names.joined(separator: ", "))), found \(cells.count)")
      }
      rows.append(Dictionary(zip(names, cells), uniquingKeysWith: { first, _ in first }))
    }
    return rows
  }

  /// RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and newlines (read byte by byte); a
  /// quote opened and never closed (a cut-off file) is an error naming the line where it opened.
  static func delimitedRecords(_ text: String, delimiter: Character, path: String) throws(AssayError) -> [(line: Int, cells: [String])] {
    let separator = delimiter.asciiValue ?? 0x2C
    let quote: UInt8 = 0x22
    let bytes = Array(text.utf8)
    var records: [(line: Int, cells: [String])] = []
    var cells: [String] = []
    var cell: [UInt8] = []
    var inQuotes = false
    var atCellStart = true
    var line = 1
    var recordLine = 1
    var quoteLine = 1
    var index = 0
    func endRecord() {
      cells.append(String(decoding: cell, as: UTF8.self))
      records.append((recordLine, cells))
      cells = []
      cell = []
      atCellStart = true
    }
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if inQuotes {
        if byte == quote {
          if index < bytes.count && bytes[index] == quote {
            cell.append(quote)
            index += 1
          } else {
            inQuotes = false
          }
        } else {
          if byte == 0x0A { line += 1 }
          cell.append(byte)
        }
        continue
      }
      switch byte {
      case quote where atCellStart:
        inQuotes = true
        atCellStart = false
        quoteLine = line
      case separator:
        cells.append(String(decoding: cell, as: UTF8.self))
        cell = []
        atCellStart = true
      case 0x0D where index < bytes.count && bytes[index] == 0x0A:
        continue
      case 0x0A, 0x0D:
        endRecord()
        line += 1
        recordLine = line
      default:
        cell.append(byte)
        atCellStart = false
      }
    }
    if inQuotes {
      throw damaged(path, quoteLine, "a quoted field opens here and is never closed (the file ends inside it)")
    }
    if !cell.isEmpty || !cells.isEmpty { endRecord() }
    return records.filter { !($0.cells.count == 1 && $0.cells[0].isEmpty) }
  }

  private static func delimitedRows(
    _ text: String, delimiter: Character, columns: [String]?, header: Bool, path: String
  ) throws(AssayError) -> [[String: String]] {
    var records = try delimitedRecords(text, delimiter: delimiter, path: path)
    var names = columns ?? []
    if header, !records.isEmpty {
      let first = records.removeFirst()
      if columns == nil { names = first.cells }
    }
    guard !names.isEmpty else {
      throw AssayError(.invalidSuite, "dataset file \(path) has no header row and the suite gives no `columns`",
        fix: "list the column names under dataset.columns")
    }
    var rows: [[String: String]] = []
    rows.reserveCapacity(records.count)
    for record in records {
      guard record.cells.count == names.count else {
        throw damaged(path, record.line, "expected \(names.count) fields (\(names.joined(separator: ", "))), found \(record.cells.count)")
      }
      var row: [String: String] = [:]
      for (name, value) in zip(names, record.cells) where row[name] == nil { row[name] = value }
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
        // A JSON document (an array or an object spread over lines) read as JSONL: the format is wrong, not the file.
        if let whole = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
          throw AssayError(
            .invalidData,
            "dataset file \(path), line \(number + 1): not one JSON object per line; the file is one JSON \(whole is [Any] ? "array" : "document") (format: jsonl was set)",
            fix: "set `format: json` in the suite's dataset (with `records: KEY` when the rows are under a key)")
        }
        throw damaged(path, number + 1, "not valid JSON (\(error.localizedDescription))")
      }
      guard let dictionary = object as? [String: Any] else {
        if object is [Any] {
          throw AssayError(
            .invalidData, "dataset file \(path), line \(number + 1): a JSON array where JSONL has one object per line",
            fix: "set `format: json` in the suite's dataset: the file is one JSON array")
        }
        throw AssayError(
          .invalidData, "dataset file \(path), line \(number + 1): expected a JSON object, found \(type(of: object))",
          fix: "each line of a JSONL dataset must be one JSON object")
      }
      rows.append(stringFields(dictionary))
    }
    return rows
  }

  private static func jsonArrayRows(_ data: Data, records: String?, path: String) throws(AssayError) -> [[String: String]] {
    var object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw AssayError(.invalidData, "dataset file \(path): not valid JSON (\(error.localizedDescription))",
        fix: "re-download the file")
    }
    if let records {
      for key in records.split(separator: ".") {
        guard let next = (object as? [String: Any])?[String(key)] else {
          throw AssayError(.invalidData, "dataset file \(path): no key '\(records)' holding the records",
            fix: "set dataset.records to the key of the array of records")
        }
        object = next
      }
    }
    guard let array = object as? [[String: Any]] else {
      throw AssayError(.invalidData, "dataset file \(path): expected a JSON array of objects"
        + (records.map { " under '\($0)'" } ?? ""), fix: "set dataset.records to the key of the array of records")
    }
    return array.map(stringFields)
  }

  /// CoNLL sentences: tokens and tags joined by spaces, and the entities as `TYPE: words` joined by ` $ `.
  private static func conllRows(_ text: String) -> [[String: String]] {
    var rows: [[String: String]] = []
    var tokens: [String] = []
    var tags: [String] = []
    func flush() {
      guard !tokens.isEmpty else { return }
      var entities: [String] = []
      var current: (type: String, words: [String])? = nil
      for (token, tag) in zip(tokens, tags) {
        if tag.hasPrefix("B-") || (tag.hasPrefix("I-") && current?.type != String(tag.dropFirst(2))) {
          if let entity = current { entities.append("\(entity.type): \(entity.words.joined(separator: " "))") }
          current = (String(tag.dropFirst(2)), [token])
        } else if tag.hasPrefix("I-") {
          current?.words.append(token)
        } else {
          if let entity = current { entities.append("\(entity.type): \(entity.words.joined(separator: " "))") }
          current = nil
        }
      }
      if let entity = current { entities.append("\(entity.type): \(entity.words.joined(separator: " "))") }
      rows.append([
        "tokens": tokens.joined(separator: " "), "tags": tags.joined(separator: " "),
        "entities": entities.joined(separator: " $ "),
      ])
      tokens = []
      tags = []
    }
    for rawLine in lines(text) {
      let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty { flush(); continue }
      let parts = line.split(separator: " ")
      tokens.append(parts.dropLast().joined(separator: " ").isEmpty ? String(parts[0]) : parts.dropLast().joined(separator: " "))
      tags.append(parts.count > 1 ? String(parts.last!) : "O")
    }
    flush()
    return rows
  }

  private static func squadRows(_ data: Data, path: String) throws(AssayError) -> [[String: String]] {
    guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
      let articles = root["data"] as? [[String: Any]]
    else {
      throw AssayError(.invalidData, "dataset file \(path): not SQuAD v1.1 JSON ({data: [{title, paragraphs}]})",
        fix: "re-download the file")
    }
    var rows: [[String: String]] = []
    for article in articles {
      let title = article["title"] as? String ?? ""
      for paragraph in article["paragraphs"] as? [[String: Any]] ?? [] {
        let context = paragraph["context"] as? String ?? ""
        for qa in paragraph["qas"] as? [[String: Any]] ?? [] {
          let answers = (qa["answers"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
          let answersJSON = (try? JSONSerialization.data(withJSONObject: answers, options: [.withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "[]"
          rows.append([
            "id": qa["id"] as? String ?? "", "title": title, "context": context,
            "question": qa["question"] as? String ?? "", "answers": answersJSON, "answer": answers.first ?? "",
          ])
        }
      }
    }
    return rows
  }

  static func stringFields(_ dictionary: [String: Any]) -> [String: String] {
    var row: [String: String] = [:]
    for (key, value) in dictionary {
      if let string = value as? String {
        row[key] = string
      } else if let number = value as? NSNumber {
        row[key] = number.stringValue
      } else if let data = try? JSONSerialization.data(
        withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
      {
        row[key] = String(decoding: data, as: UTF8.self)
      }
      // Nested objects are also reachable as `parent.child` (CommonsenseQA's `choices.text`), and array elements
      // as `parent.0` (MT-Bench's `turns.0`, unescaped when they are strings).
      if let nested = value as? [String: Any] {
        for (child, childValue) in stringFields(nested) { row["\(key).\(child)"] = childValue }
      } else if let array = value as? [Any] {
        for (index, element) in array.enumerated() {
          if let string = element as? String {
            row["\(key).\(index)"] = string
          } else if let number = element as? NSNumber {
            row["\(key).\(index)"] = number.stringValue
          } else if let nested = element as? [String: Any] {
            for (child, childValue) in stringFields(nested) { row["\(key).\(index).\(child)"] = childValue }
          }
        }
      }
    }
    return row
  }
}
