import AssayTesting
import Foundation
import GRDB
import Testing

/// Needle suites end to end on Assay's llama.cpp server (the tiny Llama 3 model, its real tokenizer): every prompt
/// lands within 1% of its target length as the server itself counts it, the report holds the grid, and lengths
/// beyond the window are refused before anything is sent.
@Suite(.serialized, .tags(.slow)) struct NeedleRunTests {
  func requireLlama() throws {
    let python = (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python"
    try #require(
      FileManager.default.isExecutableFile(atPath: python) || ProcessInfo.processInfo.environment["ASSAY_LLAMA_PYTHON"] != nil,
      "llama.cpp server not installed: run scripts/setup-llama.sh first")
  }

  @Test func promptsLandWithinOnePercentOfTheirTargetLengths() throws {
    try requireLlama()
    let dir = CLI.temporaryDirectory()
    let db = dir + "/needle.sqlite"
    let result = try CLI.run(
      ["run", "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama3-random.gguf", "--ctx-size", "4096",
       "--suite", "needle/en,needle/zh,multi-needle/ar", "--needle-lengths", "300,1k,window", "--needle-depths", "0,50,100",
       "--max-tokens", "8", "--concurrency", "2", "--db", db, "--format", "json"], in: dir)
    #expect(result.status == 0, "\(result.stderr.suffix(3000))")
    let rows = try DatabaseQueue(path: db).read { db in
      try Row.fetchAll(db, sql: "SELECT task_id, sample_index, prompt_tokens, prompt FROM sample ORDER BY task_id, sample_index")
    }
    #expect(rows.count == 27)
    let lengths = [300, 1024, 4096 - 8]
    var worst = 0.0
    for row in rows {
      let index: Int = row["sample_index"]
      let target = lengths[index / 3]
      let counted: Int = try #require(row["prompt_tokens"] as Int?)
      let off = abs(Double(counted - target)) / Double(target)
      worst = max(worst, off)
      #expect(off <= 0.01, "\(row["task_id"] as String) item \(index): \(counted) tokens for a target of \(target)")
    }
    print("needle prompts: largest relative difference from the target length \(worst)")
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
    let maps = try #require(report["needle"] as? [[String: Any]])
    #expect(maps.count == 3)
    #expect(maps[0]["lengths"] as? [Int] == lengths && maps[0]["window"] as? Int == 4096)
    #expect((maps[0]["counts"] as? [[Int]])?.flatMap { $0 } == Array(repeating: 1, count: 9))
  }

  @Test func aLengthBeyondTheWindowIsRefusedBeforeAnythingIsSent() throws {
    try requireLlama()
    let dir = CLI.temporaryDirectory()
    let db = dir + "/refused.sqlite"
    let result = try CLI.run(
      ["run", "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama3-random.gguf", "--ctx-size", "2048",
       "--suite", "needle/en", "--needle-lengths", "1k,4k", "--needle-depths", "50", "--db", db], in: dir)
    #expect(result.status == 2)
    #expect(result.stderr.contains("does not fit the model's window of 2048 tokens"), "\(result.stderr.suffix(2000))")
    #expect(result.stderr.contains("--needle-lengths"))
    let samples = (try? DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sample") }) ?? 0
    #expect(samples == 0)
  }
}

/// Needle suites against a server without /tokenize, and bad grid flags: clear errors, nothing stored.
@Suite struct NeedleBadInputTests {
  @Test func aServerWithoutTokenizeIsNamedWithTheFix() throws {
    let server = try MockServerProcess([])
    defer { server.stop() }
    let dir = CLI.temporaryDirectory()
    let result = try CLI.run(
      ["run", "--base-url", server.baseURL, "--model", "mock-model", "--suite", "needle/en", "--needle-lengths", "1k",
       "--needle-depths", "50", "--context-window", "8192", "--db", dir + "/t.sqlite"], in: dir)
    #expect(result.status != 0)
    #expect(result.stderr.contains("/tokenize"), "\(result.stderr.suffix(2000))")
  }

  @Test func badGridFlagsAreRefusedBeforeAnythingRuns() throws {
    let dir = CLI.temporaryDirectory()
    for (flag, value, expected) in [
      ("--needle-lengths", "12", "at least 64"), ("--needle-lengths", "lots", "not a positive number"),
      ("--needle-depths", "150", "percentage from 0 to 100"), ("--context-window", "10", "--context-window 10"),
    ] {
      let result = try CLI.run(
        ["run", "--base-url", "http://127.0.0.1:9/v1", "--model", "m", "--suite", "needle/en", flag, value,
         "--db", dir + "/t.sqlite"], in: dir)
      #expect(result.status == 2, "\(flag) \(value)")
      #expect(result.stderr.contains(expected), "\(flag) \(value): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir + "/t.sqlite"))
    }
  }
}
