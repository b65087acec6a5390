import Foundation

/// Synthetic files in the layout of GPQA's official CSVs (made-up questions: the real ones must not be published),
/// for tests of the `gpqa` suite: quoted cells with commas, doubled quotes and newlines, CRLF record ends.
public enum GPQAFixture {
  /// The official header's columns that the suite reads, among others it ignores, in a file-like order.
  public static let columns = [
    "Pre-Revision Question", "Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2",
    "Incorrect Answer 3", "Explanation", "Subdomain", "Record ID", "High-level domain",
  ]

  /// One made-up record: its fields by column.
  public static func record(_ index: Int, recordID: String? = nil) -> [String: String] {
    [
      "Pre-Revision Question": "Draft \(index)",
      "Question": "Synthetic question \(index): which option, \"quoted\" here, is right?\nA second line, with a comma.",
      "Correct Answer": "right answer \(index)",
      "Incorrect Answer 1": "wrong answer \(index)-1",
      "Incorrect Answer 2": "wrong answer \(index)-2, with a comma",
      "Incorrect Answer 3": "wrong answer \(index)-3 \"quoted\"",
      "Explanation": "Because.\r\nIt is made up.",
      "Subdomain": "Synthetic",
      "Record ID": recordID ?? String(format: "recSYN%05d", index),
      "High-level domain": "Physics",
    ]
  }

  /// RFC 4180 text of records under `columns` (every cell quoted, quotes doubled, CRLF between records).
  public static func csv(_ records: [[String: String]], columns: [String] = columns) -> String {
    func quoted(_ cell: String) -> String { "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    let lines = [columns.map(quoted).joined(separator: ",")] + records.map { record in
      columns.map { quoted(record[$0] ?? "") }.joined(separator: ",")
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }
}
