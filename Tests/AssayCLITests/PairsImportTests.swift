import Foundation
import GRDB
import Testing

/// `assay pairs import` on the real AlpacaEval, Arena-Hard and MT-Bench files in ../shared.
@Suite struct PairsImportTests {
  func importSet(_ format: String, _ files: [String]) throws -> (CLI.Result, [Row]) {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let result = try CLI.run(["pairs", "import", "--db", db, "--format", format, "--name", "s"] + files, in: dir)
    guard result.status == 0 else { return (result, []) }
    let rows = try DatabaseQueue(path: db).read { try Row.fetchAll($0, sql: "SELECT * FROM pair_item ORDER BY item_index") }
    return (result, rows)
  }

  @Test func alpacaEvalPairsTheSameInstructions() throws {
    let results = CLI.datasets + "/alpaca_eval/results"
    let (result, rows) = try importSet(
      "alpaca_eval", [results + "/gpt4/model_outputs.json", results + "/claude-3-5-sonnet-20240620/model_outputs.json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(rows.count == 805)
    #expect(rows[0]["model_a"] as String == "gpt4")
    #expect(!(rows[0]["response_a"] as String).isEmpty && !(rows[0]["response_b"] as String).isEmpty)
  }

  @Test func arenaHardJoinsQuestionsAndAnswers() throws {
    let base = CLI.datasets + "/arena-hard-auto/arena-hard-v0.1"
    let (result, rows) = try importSet(
      "arena-hard", [base + "/question.jsonl", base + "/model_answer/gpt-4-0314.jsonl", base + "/model_answer/gpt-3.5-turbo-0125.jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(rows.count == 500)
    #expect(Set(rows.map { $0["model_a"] as String }) == ["gpt-4-0314"])
    #expect(Set(rows.map { $0["model_b"] as String }) == ["gpt-3.5-turbo-0125"])
  }

  @Test func mtBenchShowsBothTurns() throws {
    let base = CLI.datasets + "/mt_bench/mt_bench"
    let answers = base + "/reference_answer/gpt-4.jsonl"
    let (result, rows) = try importSet("mt-bench", [base + "/question.jsonl", answers, answers])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(rows.count == 30)
    #expect((rows[0]["prompt"] as String).contains("[Turn 2]"))
    #expect((rows[0]["response_a"] as String).contains("[Turn 1]"))
  }

  @Test func aBrokenAnswerFileNamesTheLine() throws {
    let dir = CLI.temporaryDirectory()
    try "{\"uid\": \"x\"}\nnot json\n".write(toFile: dir + "/bad.jsonl", atomically: true, encoding: .utf8)
    let base = CLI.datasets + "/arena-hard-auto/arena-hard-v0.1"
    let (result, _) = try importSet("arena-hard", [base + "/question.jsonl", dir + "/bad.jsonl", dir + "/bad.jsonl"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("bad.jsonl, line 2"))
  }

  /// Exporting a set that does not exist is an error naming the sets there are (it printed nothing and exited 0).
  @Test func exportingAnUnknownSetNamesTheKnownOnes() throws {
    let dir = CLI.temporaryDirectory()
    let db = dir + "/assay.sqlite"
    let answers = CLI.datasets + "/mt_bench/mt_bench/reference_answer/gpt-4.jsonl"
    let created = try CLI.run(
      ["pairs", "import", "--db", db, "--format", "mt-bench", "--name", "mt", CLI.datasets + "/mt_bench/mt_bench/question.jsonl", answers, answers],
      in: dir)
    #expect(created.status == 0, "\(created.stderr)")
    let result = try CLI.run(["pairs", "export", "--db", db, "--name", "mtt"], in: dir)
    #expect(result.status == 2, "\(result.stdout)")
    #expect(result.stderr.contains("no comparison set 'mtt'") && result.stderr.contains("sets: mt"), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    let known = try CLI.run(["pairs", "export", "--db", db, "--name", "mt"], in: dir)
    #expect(known.status == 0, "\(known.stderr)")
  }

  /// Model names and sources from imported files reach the terminal with their control characters shown.
  @Test func hostileNamesArePrintedVisibly() throws {
    let dir = CLI.temporaryDirectory()
    for (file, generator) in [("a", "m\u{1B}]2;pwned\u{7}"), ("b", "n\u{9B}2J\u{202E}")] {
      let object: [[String: Any]] = [["instruction": "hi", "output": "x", "generator": generator, "dataset": "t"]]
      try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: "\(dir)/\(file)\u{1B}[2J.json"))
    }
    let db = dir + "/assay.sqlite"
    let created = try CLI.run(
      ["pairs", "import", "--db", db, "--format", "alpaca_eval", "--name", "h", dir + "/a\u{1B}[2J.json", dir + "/b\u{1B}[2J.json"], in: dir)
    let listed = try CLI.run(["pairs", "list", "--db", db], in: dir)
    for result in [created, listed] {
      #expect(result.status == 0, "\(result.stderr)")
      #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x202E }, "\(result.stdout)")
    }
    #expect(created.stdout.contains("m␛]2;pwned␇ vs n\\u{9B}2J\\u{202E}"), "\(created.stdout)")
    #expect(listed.stdout.contains("a␛[2J.json"), "\(listed.stdout)")
  }
}
