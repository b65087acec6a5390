import Foundation
import Testing

/// `assay score` against independently read targets from the dataset file.
@Suite struct ScoreCommandTests {
  func targets(_ language: String) throws -> [String] {
    try String(contentsOfFile: CLI.datasets + "/mgsm/mgsm_\(language).tsv", encoding: .utf8)
      .split(separator: "\n").map { String($0.split(separator: "\t").last!) }
  }

  @Test func perItemVerdictsFollowTheStrictAndFlexibleRules() throws {
    let t = try targets("de")
    let lines = [
      ["sample": 0, "response": "Rechnung ... Antwort: \(t[0])"],  // strict and flexible right
      ["sample": 1, "response": "Das Ergebnis ist \(t[1])"],  // no prefix: strict fails, flexible right
      ["sample": 2, "response": "Antwort: \(Int(t[2])! + 1)"],  // wrong
      ["sample": 3, "response": "7 Äpfel ... Antwort: \(t[3]). Fertig!"],  // both right: the last number
      ["sample": 4, "response": "Antwort: 7\nNein, doch \(t[4])"],  // the last number after the prefix
    ]
    let dir = CLI.temporaryDirectory()
    let file = dir + "/responses.jsonl"
    try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
      .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)

    let result = try CLI.run(["score", "--suite", "mgsm", "--variant", "de", "--responses", file, "--per-item"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let items = result.stdout.split(separator: "\n").map {
      try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    #expect(items.count == 5)
    #expect(items.map { $0["sample"] as! Int } == [0, 1, 2, 3, 4])
    #expect(items.map { $0["correct_strict"] as! Bool } == [true, false, false, true, true])
    #expect(items.map { $0["correct_flexible"] as! Bool } == [true, true, false, true, true])
    #expect(items[1]["answer_strict"] is NSNull)
    #expect(items[0]["answer_strict"] as? String == t[0])

    let totals = try CLI.run(["score", "--suite", "mgsm", "--variant", "de", "--responses", file], in: dir)
    let summary = try JSONSerialization.jsonObject(with: Data(totals.stdout.utf8)) as! [String: Any]
    #expect(summary["n"] as? Int == 5)
    #expect(summary["accuracy_strict"] as? Double == 0.6)
    #expect(summary["accuracy_flexible"] as? Double == 0.8)
  }

  @Test func outOfRangeSampleNamesTheLine() throws {
    let dir = CLI.temporaryDirectory()
    let file = dir + "/r.jsonl"
    try "{\"sample\": 0, \"response\": \"x\"}\n{\"sample\": 250, \"response\": \"x\"}\n".write(toFile: file, atomically: true, encoding: .utf8)
    let result = try CLI.run(["score", "--suite", "gsm8k", "--responses", file], in: dir)
    #expect(result.status == 0, "gsm8k has 1319 rows, so 250 is in range: \(result.stderr)")
    let bad = try CLI.run(["score", "--suite", "mgsm", "--variant", "ja", "--responses", file], in: dir)
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("\(file), line 2: sample 250 is out of range"))
  }

  /// Sample ids that are not whole numbers, or given twice, and a file without lines are refused with the file
  /// and line (exit 2); they used to be read as sample 1, scored twice, or reported as n=0 with exit 0.
  @Test(arguments: [
    ("{\"sample\": 0, \"response\": \"x\"}\n{\"sample\": 1.9, \"response\": \"x\"}\n", "line 2: `sample` must be a whole number, not 1.9"),
    ("{\"sample\": true, \"response\": \"x\"}\n", "line 1: `sample` must be a whole number, not the boolean true"),
    ("{\"sample\": \"3\", \"response\": \"x\"}\n", "line 1: `sample` must be a whole number, not the string \"3\""),
    ("{\"sample\": 2, \"response\": \"x\"}\n\n{\"sample\": 2, \"response\": \"y\"}\n", "line 3: sample 2 appears again (first on line 1)"),
    ("", "has no responses"),
    ("\n  \n", "has no responses"),
  ])
  func badSampleIdsAndEmptyFilesAreRefused(content: String, message: String) throws {
    let dir = CLI.temporaryDirectory()
    let file = dir + "/r.jsonl"
    try content.write(toFile: file, atomically: true, encoding: .utf8)
    let result = try CLI.run(["score", "--suite", "mgsm", "--variant", "de", "--responses", file], in: dir)
    #expect(result.status == 2, "\(result.stdout)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  /// Several responses per sample are scored when asked for, each counted.
  @Test func repeatedSamplesAreScoredWhenAllowed() throws {
    let t = try targets("de")
    let dir = CLI.temporaryDirectory()
    let file = dir + "/r.jsonl"
    try ("{\"sample\": 0, \"response\": \"Antwort: \(t[0])\"}\n{\"sample\": 0, \"response\": \"Antwort: 1\"}\n")
      .write(toFile: file, atomically: true, encoding: .utf8)
    let result = try CLI.run(
      ["score", "--suite", "mgsm", "--variant", "de", "--responses", file, "--allow-duplicate-samples"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    #expect(summary["n"] as? Int == 2)
    #expect(summary["accuracy_strict"] as? Double == 0.5)
  }

  /// A file written on Windows (CRLF line ends) scores like the same file with LF.
  @Test func crlfLineEndsAreRead() throws {
    let t = try targets("de")
    let dir = CLI.temporaryDirectory()
    let lines = (0..<4).map { #"{"sample": \#($0), "response": "Antwort: \#($0 == 2 ? "0" : t[$0])"}"# }
    try (lines.joined(separator: "\r\n") + "\r\n").write(toFile: dir + "/crlf.jsonl", atomically: true, encoding: .utf8)
    try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/lf.jsonl", atomically: true, encoding: .utf8)
    let crlf = try CLI.run(["score", "--suite", "mgsm", "--variant", "de", "--responses", dir + "/crlf.jsonl"], in: dir)
    let lf = try CLI.run(["score", "--suite", "mgsm", "--variant", "de", "--responses", dir + "/lf.jsonl"], in: dir)
    #expect(crlf.status == 0, "\(crlf.stderr)")
    #expect(crlf.stdout == lf.stdout)
    let summary = try JSONSerialization.jsonObject(with: Data(crlf.stdout.utf8)) as! [String: Any]
    #expect(summary["n"] as? Int == 4)
    #expect(summary["accuracy_strict"] as? Double == 0.75)
  }
}
