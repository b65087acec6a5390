import AssayTesting
import Foundation
import Testing

/// Issue #17's acceptance: one YAML-only suite per kind of task (several golds, Japanese and Korean character F1,
/// label and similarity metrics, few-shot from the evaluated file per variant, options as an array of objects),
/// written into a temporary `--suites-dir` with data files of their own; each validates, runs against the mock
/// server and the real llama.cpp server, and its report equals what `scripts/user-suite-kinds-reference.py` (the
/// references' rules in plain Python, itself checked against scikit-learn, scipy and transformers' outputs) computes
/// from the stored responses.
@Suite struct UserSuiteKindsTests {
  @Test func theReferenceRulesEqualTheReferencesOwnOutputs() throws {
    let out = try PythonProcess.runScript(
      [PythonProcess.repository + "/scripts/user-suite-kinds-reference.py", "--self-check", PythonProcess.repository])
    let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
    #expect((object["checked"] as? Int ?? 0) >= 150)
    #expect((object["differing"] as? [Any])?.isEmpty == true, "\(out)")
  }

  @Test func everyKindValidates() throws {
    let kinds = try UserSuiteKinds.write()
    let result = try CLI.run(["validate", "--suites-dir", kinds.suites, "--data-dir", kinds.data], in: kinds.root)
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("\(UserSuiteKinds.variantCount) of \(UserSuiteKinds.variantCount) variants ok"), "\(result.stdout)")
    for (suite, _, files) in UserSuiteKinds.kinds {
      for variant in files.keys where !variant.isEmpty {
        #expect(result.stdout.contains("\(suite)/\(variant)"), "validate lists \(suite)/\(variant):\n\(result.stdout)")
      }
      #expect(result.stdout.contains(suite), "validate lists \(suite)")
    }
    #expect(!result.stdout.contains("WARN") && !result.stderr.contains("WARN"), "\(result.stdout)\n\(result.stderr)")
  }

  @Test func everyKindRunsOnTheMockAndScoresAsTheReferences() throws {
    let kinds = try UserSuiteKinds.write()
    let mock = try MockServerProcess(["--latency-ms", "1"])
    defer { mock.stop() }
    let db = kinds.root + "/mock.sqlite"
    let run = try CLI.run(
      ["run", "--suites-dir", kinds.suites, "--data-dir", kinds.data, "--suite", UserSuiteKinds.suiteList,
       "--base-url", mock.baseURL, "--model", "mock-model", "--db", db, "--format", "json"], in: kinds.root)
    #expect(run.status == 0, "\(run.stderr)")
    // Both few-shot variants take their exemplars from the file they evaluate, and say so.
    for variant in ["capitals", "rivers"] {
      #expect(run.stderr.contains("note: kinds-fewshot/\(variant): the"), "\(run.stderr)")
    }
    let tasks = try kinds.expectReportMatchesReference(report: run.stdout, db: db, expectedSamples: 41)
    #expect(tasks.count == UserSuiteKinds.variantCount, "\(tasks)")
  }

  /// A reply full of terminal escapes, a control character that Python splits on, and label words wrapped in escape
  /// sequences: every suite still scores it as the references do, and nothing the harness prints carries the raw
  /// escape characters.
  @Test func hostileRepliesScoreAsTheReferencesAndPrintNoEscapes() throws {
    let kinds = try UserSuiteKinds.write()
    let content = #""\u001b]0;owned\u0007\u001b[2J The answer\u001c is 42。 \u001b[1mcontradiction\u001b[0m entailment\r\nB) 2.5 スカイツリー。 《훈민정음》 \u009b31m the Nile""#
    let mock = try MockServerProcess(["--latency-ms", "1", "--content-json", content])
    defer { mock.stop() }
    let db = kinds.root + "/hostile.sqlite"
    let run = try CLI.run(
      ["run", "--suites-dir", kinds.suites, "--data-dir", kinds.data, "--suite", UserSuiteKinds.suiteList,
       "--base-url", mock.baseURL, "--model", "mock-model", "--db", db, "--format", "json"], in: kinds.root)
    #expect(run.status == 0, "\(run.stderr)")
    try kinds.expectReportMatchesReference(report: run.stdout, db: db, expectedSamples: 41)
    let samples = try kinds.samples(db: db)
    #expect(samples.allSatisfy { ($0["response"] as? String)?.contains("\u{1B}[1mcontradiction") == true }, "the reply is stored as sent")
    let markdown = try CLI.run(["report", "--db", db], in: kinds.root)
    let lines = try CLI.run(["report", "--db", db, "--samples"], in: kinds.root)
    for (name, text) in [("run stdout", run.stdout), ("run stderr", run.stderr), ("report", markdown.stdout),
                         ("report stderr", markdown.stderr), ("report --samples", lines.stdout)] {
      #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B },
        "\(name) prints a raw escape or control character")
    }
  }

  /// A reply with a NUL is scored whole, but the store reads its `response` back only up to the NUL (GRDB reads a
  /// TEXT column with `String(cString:)`), so `report --samples` and anything re-reading stored responses see less
  /// than was scored. Known, left for a store fix (read the column as bytes).
  @Test func aReplyWithANULIsStoredWhole() throws {
    let kinds = try UserSuiteKinds.write()
    let mock = try MockServerProcess(["--latency-ms", "1", "--content-json", #""the Nile\u0000 the Danube""#])
    defer { mock.stop() }
    let db = kinds.root + "/nul.sqlite"
    let run = try CLI.run(
      ["run", "--suites-dir", kinds.suites, "--data-dir", kinds.data, "--suite", "kinds-fewshot/rivers",
       "--base-url", mock.baseURL, "--model", "mock-model", "--db", db, "--format", "json"], in: kinds.root)
    #expect(run.status == 0, "\(run.stderr)")
    let samples = try kinds.samples(db: db)
    #expect(samples.count == 3)
    #expect(samples.allSatisfy { ($0["answers"] as? [String: String])?["f1"] == "the Nile\u{0} the Danube" }, "scored whole")
    #expect(samples.allSatisfy { $0["response"] as? String == "the Nile\u{0} the Danube" }, "\(samples.map { $0["response"] ?? "" })")
  }

  @Test(.tags(.slow)) func everyKindRunsOnLlamaCppAndScoresAsTheReferences() throws {
    let python = (ProcessInfo.processInfo.environment["HOME"] ?? "") + "/.cache/assay/llama-venv/bin/python"
    try #require(
      FileManager.default.isExecutableFile(atPath: python) || ProcessInfo.processInfo.environment["ASSAY_LLAMA_PYTHON"] != nil,
      "llama.cpp server not installed: run scripts/setup-llama.sh first")
    let kinds = try UserSuiteKinds.write()
    let db = kinds.root + "/llama.sqlite"
    let run = try CLI.run(
      ["run", "--suites-dir", kinds.suites, "--data-dir", kinds.data, "--suite", UserSuiteKinds.suiteList,
       "--runtime", "llama.cpp", "--model", CLI.models + "/tiny-llama3-random.gguf", "--ctx-size", "2048",
       "--limit", "3", "--max-tokens", "8", "--concurrency", "1", "--db", db, "--format", "json"], in: kinds.root)
    #expect(run.status == 0, "\(run.stderr.suffix(3000))")
    let tasks = try kinds.expectReportMatchesReference(report: run.stdout, db: db, expectedSamples: 3 * UserSuiteKinds.variantCount)
    #expect(tasks.count == UserSuiteKinds.variantCount, "\(tasks)")
  }
}
