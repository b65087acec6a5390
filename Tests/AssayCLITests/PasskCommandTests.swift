import AssayTesting
import Foundation
import Testing

/// `assay passk` reads openai/human-eval's files and writes its results format.
@Suite(.tags(.slow)) struct PasskCommandTests {
  let problems = CLI.datasets + "/humaneval/HumanEval.jsonl.gz"

  func humanEvalRows() throws -> [[String: Any]] {
    // The first three problems (gzip(1) decompresses; the CLI reads the .gz itself).
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", problems]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").prefix(3).map {
      try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
  }

  func write(_ lines: [[String: Any]], to path: String) throws {
    let text = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
      .joined(separator: "\n") + "\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }

  @Test func computesPassAtKAndWritesHumanEvalResults() throws {
    let dir = CLI.temporaryDirectory()
    let rows = try humanEvalRows()
    // Per problem: the reference, a wrong answer, and (problem 0 only) a syntax error, so c/n = 1/3, 1/2, 1/2.
    var samples: [[String: Any]] = []
    for (index, row) in rows.enumerated() {
      samples.append(["task_id": row["task_id"]!, "completion": row["canonical_solution"]!])
      samples.append(["task_id": row["task_id"]!, "completion": "    return None\n"])
      if index == 0 { samples.append(["task_id": row["task_id"]!, "completion": "    return (\n"]) }
    }
    try write(samples, to: dir + "/samples.jsonl")
    let result = try CLI.run(
      ["passk", "--problems", problems, "--samples", dir + "/samples.jsonl", "--k", "1,2", "--json",
       "--results-out", dir + "/results.jsonl"], in: dir)
    #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    let values = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Double]
    // pass@1 = mean(1/3, 1/2, 1/2); pass@2 = mean(1 - C(2,2)/C(3,2), 1, 1) = mean(2/3, 1, 1).
    #expect(abs(values["pass@1"]! - (1.0 / 3 + 0.5 + 0.5) / 3) < 1e-12)
    #expect(abs(values["pass@2"]! - (2.0 / 3 + 1 + 1) / 3) < 1e-12)
    let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n")
    #expect(lines.count == samples.count)
    for (line, sample) in zip(lines, samples) {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      #expect(object["task_id"] as? String == sample["task_id"] as? String)
      #expect(object["completion"] as? String == sample["completion"] as? String)
      let passed = try #require(object["passed"] as? Bool)
      #expect(passed == ((sample["completion"] as! String) == (rows.first { $0["task_id"] as? String == sample["task_id"] as? String }!["canonical_solution"] as! String)))
      #expect((object["result"] as? String).map { passed ? $0 == "passed" : $0.hasPrefix("failed: ") } == true)
    }
  }

  @Test func badSamplesAreRefusedNamingTheLine() throws {
    let dir = CLI.temporaryDirectory()
    try write([["task_id": "HumanEval/0", "completion": "    return 1\n"], ["task_id": "HumanEval/999", "completion": ""]],
      to: dir + "/samples.jsonl")
    let unknown = try CLI.run(["passk", "--problems", problems, "--samples", dir + "/samples.jsonl"], in: dir)
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("samples.jsonl, line 2"), "\(unknown.stderr)")
    #expect(unknown.stderr.contains("HumanEval/999"))
    let badK = try CLI.run(["passk", "--problems", problems, "--samples", dir + "/samples.jsonl", "--k", "1,x"], in: dir)
    #expect(badK.status != 0)
    #expect(badK.stderr.contains("--k"))
  }

  @Test func humanEvalXFilesRunInTheirLanguage() throws {
    let dir = CLI.temporaryDirectory()
    let cpp = CLI.datasets + "/humaneval-x/cpp/humaneval_cpp.jsonl.gz"
    try write(
      [["task_id": "CPP/0", "completion": "    return false;\n}\n"], ["task_id": "CPP/0", "completion": "    return (;\n}\n"]],
      to: dir + "/cpp.jsonl")
    let result = try CLI.run(
      ["passk", "--problems", cpp, "--language", "cpp", "--samples", dir + "/cpp.jsonl", "--k", "1",
       "--results-out", dir + "/out.jsonl"], in: dir)
    #expect(result.status == 0, "\(result.stderr.suffix(2000))")
    #expect(result.stdout.contains("pass@1: 0.0000"), "\(result.stdout)")
    let results = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8)
    #expect(results.contains("failed: "), "a wrong answer fails its assertions")
    #expect(results.contains("compile_error"), "a syntax error is a compile error")
  }
}
